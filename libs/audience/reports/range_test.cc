#include "kinora/audience/reports/range.h"

#include <gtest/gtest.h>

namespace kinora::audience::reports {
namespace {

using std::chrono::days;
using std::chrono::hours;

SysTime At(std::string_view iso) { return *ParseIso8601(iso); }

TEST(ParseBound, DatesAreUtcMidnightsAndToIncludesTheDay) {
  EXPECT_EQ(ParseBound("2026-11-24", false), At("2026-11-24T00:00:00Z"));
  EXPECT_EQ(ParseBound("2026-11-24", true), At("2026-11-25T00:00:00Z"));
  EXPECT_EQ(ParseBound("2024-02-29", false), At("2024-02-29T00:00:00Z"));
}

TEST(ParseBound, DateTimesWithAndWithoutZoneAndFraction) {
  EXPECT_EQ(ParseBound("2026-11-24T10:30:00Z", true), At("2026-11-24T10:30:00Z"));
  EXPECT_EQ(ParseBound("2026-11-24T10:30", false), At("2026-11-24T10:30:00Z"));
  EXPECT_EQ(ParseBound("2026-11-24T10:30:05.250Z", false), At("2026-11-24T10:30:05.250Z"));
  EXPECT_EQ(ParseBound("2026-11-24T12:30:00+02:00", false), At("2026-11-24T10:30:00Z"));
  EXPECT_EQ(ParseBound("2026-11-24T00:30:00-01:00", false), At("2026-11-24T01:30:00Z"));
}

TEST(ParseBound, RejectsMalformedText) {
  for (std::string_view bad : {"", "2026", "2026-13-01", "2026-02-30", "2026-11-24T25:00",
                               "2026-11-24T10:60", "2026-11-24X", "2026-11-24T10:00:00Zjunk",
                               "24/11/2026", "2026-11-24T10:00+0200", "-2026-11-24"}) {
    EXPECT_FALSE(ParseBound(bad, false)) << bad;
  }
}

TEST(ParseRange, DefaultsToTheLast28Days) {
  const SysTime now = At("2026-12-05T15:00:00Z");
  auto r = ParseRange(std::nullopt, std::nullopt, now);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->to, now);
  EXPECT_EQ(r->from, now - days{28});
  auto only_to = ParseRange(std::nullopt, "2026-11-30", now);
  ASSERT_TRUE(only_to);
  EXPECT_EQ(only_to->to, At("2026-12-01T00:00:00Z"));
  EXPECT_EQ(only_to->from, At("2026-11-03T00:00:00Z"));
  auto only_from = ParseRange("2026-12-01", std::nullopt, now);
  ASSERT_TRUE(only_from);
  EXPECT_EQ(only_from->from, At("2026-12-01T00:00:00Z"));
  EXPECT_EQ(only_from->to, now);
}

TEST(ParseRange, ReversedEmptyOrLongerThan400DaysIsInvalid) {
  const SysTime now = At("2026-12-05T15:00:00Z");
  for (auto [from, to] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"2026-12-02", "2026-12-01"},
           {"2026-12-01T10:00Z", "2026-12-01T10:00Z"},
           {"2025-01-01", "2026-02-05"},
           {"nonsense", "2026-12-01"},
           {"2026-12-01", "tomorrow"}}) {
    auto r = ParseRange(from, to, now);
    ASSERT_FALSE(r) << from << " " << to;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  // Exactly 400 days is allowed: 2025-11-01 … 2026-12-05 inclusive.
  EXPECT_TRUE(ParseRange("2025-11-01", "2026-12-05", now));
  EXPECT_FALSE(ParseRange("2025-11-01", "2026-12-06", now));
}

TEST(Buckets, WidenToWholeHoursAndDays) {
  const TimeRange r{At("2026-11-24T10:30:00Z"), At("2026-11-25T05:00:00Z")};
  EXPECT_EQ(Widen(r, Interval::kHour),
            (TimeRange{At("2026-11-24T10:00:00Z"), At("2026-11-25T05:00:00Z")}));
  EXPECT_EQ(Widen(r, Interval::kDay),
            (TimeRange{At("2026-11-24T00:00:00Z"), At("2026-11-26T00:00:00Z")}));
  EXPECT_EQ(BucketStart(At("2026-11-24T10:59:59Z"), Interval::kHour), At("2026-11-24T10:00:00Z"));
  EXPECT_EQ(BucketStart(SysTime{} - hours{1} + std::chrono::minutes{5}, Interval::kDay),
            SysTime{} - days{1});
}

TEST(Buckets, PreviousPeriodHasTheSameLengthAndEndsAtFrom) {
  const TimeRange r{At("2026-11-10T00:00:00Z"), At("2026-11-24T12:00:00Z")};
  const TimeRange p = Previous(r);
  EXPECT_EQ(p.to, r.from);
  EXPECT_EQ(p.length(), r.length());
  EXPECT_EQ(p.from, At("2026-10-26T12:00:00Z"));
}

TEST(Intervals, ParseAndName) {
  EXPECT_EQ(ParseInterval("hour"), Interval::kHour);
  EXPECT_EQ(ParseInterval("day"), Interval::kDay);
  EXPECT_FALSE(ParseInterval("week"));
  EXPECT_EQ(ToString(Interval::kDay), "day");
}

}  // namespace
}  // namespace kinora::audience::reports
