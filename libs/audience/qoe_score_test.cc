#include "qoe_score.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kinora::audience {
namespace {

TEST(MuxScores, MatchMuxsPublishedExamples) {
  // Mux's startup examples: 400 ms → 95, 2 s → 80, 8 s → 50, 20 s → 29.
  EXPECT_NEAR(StartupScore(0.4), 95, 0.5);
  EXPECT_NEAR(StartupScore(2), 80, 0.5);
  EXPECT_NEAR(StartupScore(8), 50, 0.5);
  EXPECT_NEAR(StartupScore(20), 29, 0.5);
  // Video quality: no upscaling 100; 50 % upscaling throughout ≈ 85.
  EXPECT_DOUBLE_EQ(VideoQualityScore(0, 0), 100);
  EXPECT_NEAR(VideoQualityScore(0.5, 0.5), 85, 0.5);
  // Smoothness: none → 100; two stalls and 10 % rebuffering → mean of 100/√2 and 100/e.
  EXPECT_DOUBLE_EQ(SmoothnessScore(0, 0), 100);
  EXPECT_NEAR(SmoothnessScore(2, 0.1), (100 / std::sqrt(2.0) + 100 / std::exp(1.0)) / 2, 1e-9);
}

TEST(ComputeScores, PlaybackSuccessWeighsExitsAtHalf) {
  QoeFigures f;
  f.plays = 10;
  f.failed = 1;
  f.exits_before_start = 2;
  f.started = 7;
  auto s = ComputeScores(f);
  ASSERT_TRUE(s.playback_success);
  EXPECT_DOUBLE_EQ(*s.playback_success, (700.0 + 100.0) / 10);
}

TEST(ComputeScores, OverallIsSuccessTimesTheMeanOfTheTradeoffs) {
  QoeFigures f;
  f.plays = 4;
  f.started = 4;
  f.mean_startup_score = 80;
  f.stalls = 4;  // one per play
  f.stall_seconds = 10;
  f.watch_seconds = 90;
  f.upscaled_seconds = 45;
  f.sized_seconds = 90;
  auto s = ComputeScores(f);
  const double sm = SmoothnessScore(1, 0.1), q = VideoQualityScore(0.5, 0.5), su = 80;
  EXPECT_DOUBLE_EQ(*s.smoothness, sm);
  EXPECT_DOUBLE_EQ(*s.video_quality, q);
  EXPECT_DOUBLE_EQ(*s.startup, su);
  const double want =
      ((3 * sm + q) / 4 + (3 * sm + 2 * su) / 5 + (2 * su + q) / 3) / 3;  // success is 100
  EXPECT_DOUBLE_EQ(*s.overall, want);
}

TEST(ComputeScores, NoPlaysNoScores) {
  auto s = ComputeScores({});
  EXPECT_FALSE(s.playback_success || s.startup || s.smoothness || s.video_quality || s.overall);
}

}  // namespace
}  // namespace kinora::audience
