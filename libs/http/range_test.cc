#include "kinora/http/range.h"

#include <gtest/gtest.h>

namespace kinora::http {

TEST(Range, Forms) {
  auto r = ParseRange("bytes=0-99", 1000);
  EXPECT_EQ(r.kind, RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  r = ParseRange("bytes=900-", 1000);
  EXPECT_EQ(r.first, 900u);
  EXPECT_EQ(r.last, 999u);
  r = ParseRange("bytes=-100", 1000);
  EXPECT_EQ(r.first, 900u);
  EXPECT_EQ(r.last, 999u);
  r = ParseRange("bytes=-5000", 1000);
  EXPECT_EQ(r.first, 0u);
  r = ParseRange("bytes=990-5000", 1000);
  EXPECT_EQ(r.last, 999u);
  r = ParseRange("bytes=999-999", 1000);
  EXPECT_EQ(r.kind, RangeResult::kSatisfiable);
  EXPECT_EQ(r.first, 999u);
}

TEST(Range, Unsatisfiable) {
  EXPECT_EQ(ParseRange("bytes=1000-", 1000).kind, RangeResult::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 1000).kind, RangeResult::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-", 0).kind, RangeResult::kUnsatisfiable);
}

TEST(Range, IgnoredSyntax) {
  EXPECT_EQ(ParseRange("", 1000).kind, RangeResult::kNone);
  EXPECT_EQ(ParseRange("items=0-1", 1000).kind, RangeResult::kNone);
  EXPECT_EQ(ParseRange("bytes=5-1", 1000).kind, RangeResult::kNone);
  EXPECT_EQ(ParseRange("bytes=a-b", 1000).kind, RangeResult::kNone);
  EXPECT_EQ(ParseRange("bytes=0-1,5-6", 1000).kind, RangeResult::kNone);
  EXPECT_EQ(ParseRange("bytes=99999999999999999999-", 1000).kind, RangeResult::kNone);
}

TEST(Range, ContentRangeHeader) { EXPECT_EQ(ContentRange(0, 99, 1234), "bytes 0-99/1234"); }

}  // namespace kinora::http
