#include "kinora/audience/reports/figures.h"

#include <gtest/gtest.h>

#include "kinora/audience/schema.h"

namespace kinora::audience::reports {
namespace {

TEST(MakeOverview, DefinitionsOfTheMetricsTable) {
  HourlySums s;
  s.plays = 4;
  s.views = 3;
  s.dnt_views = 1;
  s.watch_ms = 60'000;
  s.stall_ms = 15'000;
  s.completions = 1;
  s.viewed_ppm_sum = 2'000'000;  // two full plays' worth
  StartupCounts startup(kStartupBucketsMs.size(), 0);
  startup[1] = 4;  // (100, 250]
  const OverviewFigures f = MakeOverview(s, 2, startup);
  EXPECT_EQ(f.plays, 4);
  EXPECT_EQ(f.views, 3);
  EXPECT_EQ(f.unique_viewers, 3);
  EXPECT_DOUBLE_EQ(f.watch_time_seconds, 60);
  EXPECT_DOUBLE_EQ(f.avg_view_duration_seconds, 15);
  EXPECT_DOUBLE_EQ(f.avg_percentage_viewed, 0.5);
  EXPECT_DOUBLE_EQ(f.completion_rate, 0.25);
  EXPECT_DOUBLE_EQ(f.rebuffer_percentage, 0.2);
  EXPECT_DOUBLE_EQ(*f.startup_time_ms_p50, 175);
  EXPECT_FALSE(MakeOverview({}, 0, {}).startup_time_ms_p50);
  EXPECT_DOUBLE_EQ(MakeOverview({}, 0, {}).avg_view_duration_seconds, 0);
}

TEST(MakeQoe, RatesAndScores) {
  HourlySums s;
  s.plays = 10;
  s.first_frames = 8;
  s.failures = 1;
  s.exits_before_start = 1;
  s.watch_ms = 120'000;
  s.stalls = 4;
  s.stall_ms = 0;
  s.rendition_switches = 5;
  s.nominal_bits = 240'000'000;  // 2 Mbit/s over 120 s
  s.bitrate_watch_ms = 120'000;
  s.upscaled_ms = 30'000;
  s.sized_watch_ms = 120'000;
  const QoeReport q = MakeQoe(s, {});
  EXPECT_DOUBLE_EQ(q.playback_failure_percentage, 0.1);
  EXPECT_DOUBLE_EQ(q.rebuffer_frequency, 2);  // 4 stalls in 2 minutes
  EXPECT_DOUBLE_EQ(q.rendition_switches, 0.5);
  EXPECT_DOUBLE_EQ(*q.avg_bitrate, 2'000'000);
  EXPECT_DOUBLE_EQ(q.upscale_percentage, 0.25);
  EXPECT_EQ(q.startup_histogram.size(), kStartupBucketsMs.size());
  EXPECT_DOUBLE_EQ(*q.scores.playback_success, (800.0 + 50.0) / 10);
  EXPECT_FALSE(q.scores.startup);
  EXPECT_DOUBLE_EQ(*q.scores.smoothness, SmoothnessScore(0.5, 0));
  EXPECT_TRUE(q.scores.overall);
}

}  // namespace
}  // namespace kinora::audience::reports
