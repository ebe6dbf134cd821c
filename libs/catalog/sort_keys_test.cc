#include "sort_keys.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cursor.h"

namespace kinora::catalog {
namespace {

TEST(SortKeys, EveryNameAndAliasParsesToItsKey) {
  std::set<std::string_view> seen;
  for (const auto& info : internal::kSortKeys) {
    EXPECT_EQ(ParseSortKey(info.name), info.key) << info.name;
    EXPECT_EQ(ToString(info.key), info.name);
    EXPECT_TRUE(seen.insert(info.name).second) << "duplicate " << info.name;
    for (std::string_view alias : info.aliases) {
      if (alias.empty()) continue;
      EXPECT_EQ(ParseSortKey(alias), info.key) << alias;
      EXPECT_TRUE(seen.insert(alias).second) << "duplicate " << alias;
    }
  }
  EXPECT_EQ(ParseSortKey("upload_timestamp"), SortKey::kTimestamp);
  EXPECT_EQ(ParseSortKey("runtime"), SortKey::kDuration);
  EXPECT_EQ(ParseSortKey("file_size"), SortKey::kSize);
  EXPECT_FALSE(ParseSortKey("Views"));
  EXPECT_FALSE(ParseSortKey(""));
}

TEST(SortKeys, NamesListsTheCanonicalNamesInOrder) {
  EXPECT_EQ(SortKeyNames(), "timestamp, views, likes, engagement, duration, size");
}

TEST(SortKeys, CursorsCarryTheColumnsKindOfNumber) {
  for (const auto& info : internal::kSortKeys) {
    CursorPosition p{info.key, true, int64_t{7}, "id"};
    if (info.real) p.value = 0.25;
    auto back = DecodeCursor(EncodeCursor(p));
    ASSERT_TRUE(back) << info.name;
    EXPECT_EQ(back->value, p.value) << info.name;
    // The other kind of number is not accepted for this key.
    CursorPosition wrong = p;
    wrong.value = info.real ? std::variant<int64_t, double>(int64_t{7}) : 0.25;
    auto mixed = DecodeCursor(EncodeCursor(wrong));
    if (info.real) {
      ASSERT_TRUE(mixed) << info.name;  // an integer is a valid double
      EXPECT_EQ(mixed->value, (std::variant<int64_t, double>(7.0))) << info.name;
    } else {
      EXPECT_FALSE(mixed) << info.name;
    }
  }
}

}  // namespace
}  // namespace kinora::catalog
