// The public sort-key functions of catalog.h, read off the table in sort_keys.h.
#include "sort_keys.h"

#include <string>

namespace kinora::catalog {

namespace {

using internal::kSortKeys;

constexpr bool InDeclarationOrder() {
  for (size_t i = 0; i < std::size(kSortKeys); ++i) {
    if (kSortKeys[i].key != static_cast<SortKey>(i)) return false;
  }
  return true;
}
static_assert(InDeclarationOrder(), "kSortKeys[i] must describe SortKey(i): Info() indexes it");
// A key added to SortKey without a row here fails -Wswitch (an error) below.
constexpr bool HasRow(SortKey k) {
  switch (k) {
    case SortKey::kTimestamp:
    case SortKey::kViews:
    case SortKey::kLikes:
    case SortKey::kEngagement:
    case SortKey::kDuration:
    case SortKey::kSize:
      return static_cast<size_t>(k) < std::size(kSortKeys);
  }
  return false;
}
static_assert(HasRow(SortKey::kSize), "every SortKey needs a row in kSortKeys");

}  // namespace

std::string_view ToString(SortKey k) { return internal::Info(k).name; }

std::optional<SortKey> ParseSortKey(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (const auto& info : kSortKeys) {
    if (s == info.name) return info.key;
    for (std::string_view alias : info.aliases) {
      if (s == alias) return info.key;
    }
  }
  return std::nullopt;
}

std::string SortKeyNames() {
  std::string out;
  for (const auto& info : kSortKeys) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out;
}

}  // namespace kinora::catalog
