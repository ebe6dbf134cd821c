// What the catalog backends (SQLite, PostgreSQL) share beyond the schema: record validation,
// the not-found error, the sort column of each sort key, and literal LIKE patterns.
// Private to libs/catalog. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "kinora/catalog/catalog.h"

namespace kinora::catalog::internal {

// kInvalidArgument for an empty id or key, or renditions_json that is not a JSON array.
Result<void> ValidateRecord(const VideoRecord& v);
Error VideoNotFound(std::string_view video_id);

// The column a sort key orders by; each has (column, video_id) and (status, column, video_id)
// indexes in every backend. Unknown durations sort as -1 (duration_key).
std::string_view SortColumn(SortKey k);
// Whether that column is floating point (cursors carry a double) rather than an integer.
bool SortIsReal(SortKey k);

// "50%_off" -> "%50\%\_off%": the user's text matched literally, as a substring, with '\' as
// the escape character.
std::string LikePattern(std::string_view text);

}  // namespace kinora::catalog::internal
