// The report figures of docs/analytics.md "Metrics", computed from rollup sums: the overview's
// engagement figures, startup percentiles from the fixed-bound histogram, and the quality of
// experience with Mux's scores (qoe_score.h). Plain values in, plain values out.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "kinora/audience/reports/report_store.h"
#include "qoe_score.h"

namespace kinora::audience::reports {

struct OverviewFigures {
  int64_t plays = 0, views = 0, unique_viewers = 0;
  double watch_time_seconds = 0, avg_view_duration_seconds = 0, avg_percentage_viewed = 0,
         completion_rate = 0, rebuffer_percentage = 0;
  std::optional<double> startup_time_ms_p50, startup_time_ms_p95;
};

struct QoeReport {
  int64_t plays = 0, exits_before_start = 0, failures = 0;
  std::optional<double> startup_time_ms_p50, startup_time_ms_p95;
  double playback_failure_percentage = 0, rebuffer_percentage = 0, rebuffer_frequency = 0,
         rendition_switches = 0, upscale_percentage = 0;
  int64_t stalls = 0;
  double stall_seconds = 0, watch_time_seconds = 0;
  std::optional<double> avg_bitrate;  // bit/s, watch-time weighted
  StartupCounts startup_histogram;    // per kStartupBucketsMs bound
  QoeScores scores;
};

// Percentile q of the startup histogram (kStartupBucketsMs; the last bound is +Inf), in ms.
std::optional<double> StartupPercentile(const StartupCounts& counts, double q);
// stall time / (watch time + stall time), 0 without either.
double RebufferFraction(const HourlySums& s);
// `unique_viewers` is the sum of distinct viewer keys per day (DailyViewers), to which the
// counted DNT views are added here.
OverviewFigures MakeOverview(const HourlySums& s, int64_t distinct_viewer_days,
                             const StartupCounts& startup);
QoeReport MakeQoe(const HourlySums& s, const StartupCounts& startup);

}  // namespace kinora::audience::reports
