#include "kinora/audience/reports/timeseries.h"

#include <gtest/gtest.h>

namespace kinora::audience::reports {
namespace {

TEST(ZeroFilled, EveryBucketOfTheWidenedRangeInOrder) {
  const TimeRange r{*ParseIso8601("2026-11-24T10:30:00Z"), *ParseIso8601("2026-11-24T13:10:00Z")};
  const int64_t h10 = UnixSeconds(*ParseIso8601("2026-11-24T10:00:00Z"));
  const std::map<int64_t, double> values = {{h10 + 3600, 5}, {h10 + 3 * 3600, 2}, {0, 99}};
  const auto points = ZeroFilled(r, Interval::kHour, values);
  EXPECT_EQ(points,
            (std::vector<Point>{{h10, 0}, {h10 + 3600, 5}, {h10 + 7200, 0}, {h10 + 3 * 3600, 2}}));
  EXPECT_EQ(ZeroFilled(r, Interval::kDay, {}).size(), 1u);
}

}  // namespace
}  // namespace kinora::audience::reports
