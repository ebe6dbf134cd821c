// The sort keys List accepts, in one table: each key's API name and aliases, the column it orders
// by and whether that column is REAL. ParseSortKey, ToString(SortKey), SortKeyNames (catalog.h),
// the cursors and both backends' page queries all read it. Private to libs/catalog.
// Thread safety: constant data and pure functions.
#pragma once

#include <array>
#include <string_view>

#include "kinora/catalog/catalog.h"

namespace kinora::catalog::internal {

struct SortKeyInfo {
  SortKey key;
  std::string_view name;                    // canonical: what ToString and cursors spell
  std::array<std::string_view, 2> aliases;  // also accepted by ParseSortKey; "" is none
  // The column List orders by; every backend indexes (column, video_id) and
  // (status, column, video_id). Unknown durations sort as -1 (duration_key).
  std::string_view column;
  bool real;  // a REAL column (cursors carry a double) rather than an integer one
};

// In SortKey's declaration order; the API lists the names in this order too.
inline constexpr SortKeyInfo kSortKeys[] = {
    {SortKey::kTimestamp, "timestamp", {"upload_timestamp"}, "uploaded_at", false},
    {SortKey::kViews, "views", {}, "views", false},
    {SortKey::kLikes, "likes", {}, "likes", false},
    {SortKey::kEngagement, "engagement", {}, "engagement", true},
    {SortKey::kDuration, "duration", {"duration_seconds", "runtime"}, "duration_key", true},
    {SortKey::kSize, "size", {"file_size"}, "size", false},
};

constexpr const SortKeyInfo& Info(SortKey k) { return kSortKeys[static_cast<size_t>(k)]; }

inline std::string_view SortColumn(SortKey k) { return Info(k).column; }
inline bool SortIsReal(SortKey k) { return Info(k).real; }

}  // namespace kinora::catalog::internal
