// What the catalog backends (SQLite, PostgreSQL) share beyond the schema: record validation,
// the not-found error, List's argument checks, and literal LIKE patterns (sort columns:
// sort_keys.h).
// Private to libs/catalog. Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cursor.h"
#include "kinora/catalog/catalog.h"

namespace kinora::catalog::internal {

// kInvalidArgument for an empty id or key, or renditions_json that is not a JSON array.
Result<void> ValidateRecord(const VideoRecord& v);
Error VideoNotFound(std::string_view video_id);

// What every List checks before it queries: kInvalidArgument unless 1 ≤ limit ≤ 100, offset ≥ 0,
// and the cursor (if any) decodes and belongs to q's sort and order. Returns where the page
// starts: after the cursor's position, or nullopt (no cursor: at q.offset).
Result<std::optional<CursorPosition>> CheckListQuery(const ListQuery& q);

// "50%_off" -> "%50\%\_off%": the user's text matched literally, as a substring, with '\' as
// the escape character.
std::string LikePattern(std::string_view text);

}  // namespace kinora::catalog::internal
