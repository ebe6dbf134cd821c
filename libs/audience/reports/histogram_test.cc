#include "kinora/audience/reports/histogram.h"

#include <gtest/gtest.h>

#include <vector>

namespace kinora::audience::reports {
namespace {

const std::vector<double> kBounds = {100, 250, 500, 1000};

TEST(Percentile, EmptyHistogramHasNone) {
  const std::vector<int64_t> counts = {0, 0, 0, 0, 0};
  EXPECT_FALSE(Percentile(kBounds, counts, 0.5));
}

TEST(Percentile, InterpolatesWithinTheBucket) {
  // 10 values in (100, 250]: the median is the middle of that bucket.
  const std::vector<int64_t> counts = {0, 10, 0, 0, 0};
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, counts, 0.5), 175);
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, counts, 1.0), 250);
  // 50 in the first bucket and 50 in the third: p50 is the first's top, p95 is 90 % into the
  // third (45 of its 50 values).
  const std::vector<int64_t> split = {50, 0, 50, 0, 0};
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, split, 0.5), 100);
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, split, 0.95), 250 + 250 * 0.9);
}

TEST(Percentile, OverflowBucketAnswersTheHighestBound) {
  const std::vector<int64_t> counts = {1, 0, 0, 0, 9};
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, counts, 0.95), 1000);
  EXPECT_DOUBLE_EQ(*Percentile(kBounds, counts, 0.05), 50);
}

TEST(MeanOver, UsesBucketMidpoints) {
  const std::vector<int64_t> counts = {1, 1, 0, 0, 2};
  auto m = MeanOver(kBounds, counts, [](double v) { return v; });
  EXPECT_DOUBLE_EQ(*m, (50 + 175 + 1000 + 1000) / 4.0);
  const std::vector<int64_t> none = {0, 0, 0, 0, 0};
  EXPECT_FALSE(MeanOver(kBounds, none, [](double v) { return v; }));
}

}  // namespace
}  // namespace kinora::audience::reports
