#include "kinora/audience/reports/figures.h"

#include <algorithm>
#include <span>
#include <vector>

#include "kinora/audience/reports/histogram.h"
#include "kinora/audience/schema.h"

namespace kinora::audience::reports {
namespace {

// The finite bounds (every kStartupBucketsMs but the +Inf one) as doubles.
const std::vector<double>& FiniteBounds() {
  static const std::vector<double> kBounds = [] {
    std::vector<double> b;
    for (size_t i = 0; i + 1 < kStartupBucketsMs.size(); ++i) {
      b.push_back(static_cast<double>(kStartupBucketsMs[i]));
    }
    return b;
  }();
  return kBounds;
}

StartupCounts Padded(const StartupCounts& c) {
  StartupCounts out = c;
  out.resize(kStartupBucketsMs.size(), 0);
  return out;
}

double Ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

}  // namespace

std::optional<double> StartupPercentile(const StartupCounts& counts, double q) {
  const StartupCounts c = Padded(counts);
  return Percentile(FiniteBounds(), c, q);
}

double RebufferFraction(const HourlySums& s) {
  return Ratio(static_cast<double>(s.stall_ms), static_cast<double>(s.watch_ms + s.stall_ms));
}

OverviewFigures MakeOverview(const HourlySums& s, int64_t distinct_viewer_days,
                             const StartupCounts& startup) {
  OverviewFigures f;
  const auto plays = static_cast<double>(s.plays);
  f.plays = s.plays;
  f.views = s.views;
  f.unique_viewers = distinct_viewer_days + s.dnt_views;
  f.watch_time_seconds = static_cast<double>(s.watch_ms) / 1000.0;
  f.avg_view_duration_seconds = Ratio(f.watch_time_seconds, plays);
  f.avg_percentage_viewed =
      std::min(1.0, Ratio(static_cast<double>(s.viewed_ppm_sum) / 1e6, plays));
  f.completion_rate = Ratio(static_cast<double>(s.completions), plays);
  f.rebuffer_percentage = RebufferFraction(s);
  f.startup_time_ms_p50 = StartupPercentile(startup, 0.5);
  f.startup_time_ms_p95 = StartupPercentile(startup, 0.95);
  return f;
}

QoeReport MakeQoe(const HourlySums& s, const StartupCounts& startup) {
  QoeReport q;
  const auto plays = static_cast<double>(s.plays);
  const double watch = static_cast<double>(s.watch_ms) / 1000.0;
  q.plays = s.plays;
  q.exits_before_start = s.exits_before_start;
  q.failures = s.failures;
  q.startup_histogram = Padded(startup);
  q.startup_time_ms_p50 = StartupPercentile(startup, 0.5);
  q.startup_time_ms_p95 = StartupPercentile(startup, 0.95);
  q.playback_failure_percentage = Ratio(static_cast<double>(s.failures), plays);
  q.rebuffer_percentage = RebufferFraction(s);
  q.rebuffer_frequency = Ratio(static_cast<double>(s.stalls), watch / 60.0);
  q.rendition_switches = Ratio(static_cast<double>(s.rendition_switches), plays);
  q.upscale_percentage =
      Ratio(static_cast<double>(s.upscaled_ms), static_cast<double>(s.sized_watch_ms));
  q.stalls = s.stalls;
  q.stall_seconds = static_cast<double>(s.stall_ms) / 1000.0;
  q.watch_time_seconds = watch;
  if (s.bitrate_watch_ms > 0) {
    q.avg_bitrate =
        static_cast<double>(s.nominal_bits) / (static_cast<double>(s.bitrate_watch_ms) / 1000.0);
  }
  QoeFigures f;
  f.plays = s.plays;
  f.failed = s.failures;
  f.exits_before_start = s.exits_before_start;
  f.started = s.first_frames;
  f.mean_startup_score = MeanOver(FiniteBounds(), std::span<const int64_t>(q.startup_histogram),
                                  [](double ms) { return StartupScore(ms / 1000.0); });
  f.stalls = s.stalls;
  f.stall_seconds = q.stall_seconds;
  f.watch_seconds = watch;
  f.upscaled_seconds = static_cast<double>(s.upscaled_ms) / 1000.0;
  f.sized_seconds = static_cast<double>(s.sized_watch_ms) / 1000.0;
  q.scores = ComputeScores(f);
  return q;
}

}  // namespace kinora::audience::reports
