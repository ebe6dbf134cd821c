#include "kinora/audience/reports/retention.h"

#include <gtest/gtest.h>

namespace kinora::audience::reports {
namespace {

TEST(Fractions, DividesByPlaysCapsAndPads) {
  const std::vector<int64_t> counts = {4, 2, 5};
  EXPECT_EQ(Fractions(counts, 4, 4), (std::vector<double>{1.0, 0.5, 1.0, 0.0}));
  EXPECT_EQ(Fractions(counts, 4, 3, /*cap=*/false), (std::vector<double>{1.0, 0.5, 1.25}));
  EXPECT_EQ(Fractions(counts, 0, 2), (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(Fractions({}, 3, kRetentionBuckets).size(), 100u);
}

TEST(PerSecond, OnlyUpToTenMinutes) {
  EXPECT_EQ(PerSecondBuckets(124.5), 125u);
  EXPECT_EQ(PerSecondBuckets(600), 600u);
  EXPECT_FALSE(PerSecondBuckets(600.5));
  EXPECT_FALSE(PerSecondBuckets(0));
}

TEST(PercentBucket, MapsTheVideoOntoOneHundredBuckets) {
  EXPECT_EQ(PercentBucket(0, 200), 0);
  EXPECT_EQ(PercentBucket(1.99, 200), 0);
  EXPECT_EQ(PercentBucket(2, 200), 1);
  EXPECT_EQ(PercentBucket(200, 200), 99);
  EXPECT_EQ(PercentBucket(500, 200), 99);
}

}  // namespace
}  // namespace kinora::audience::reports
