#include "qoe_score.h"

#include <algorithm>
#include <cmath>

namespace kinora::audience {
namespace {

constexpr double kSmoothnessWeight = 3, kStartupWeight = 2, kQualityWeight = 1;

}  // namespace

double StartupScore(double startup_seconds) {
  return 100.0 * 8.0 / (8.0 + std::max(startup_seconds, 0.0));
}

double SmoothnessScore(double rebuffer_count, double rebuffer_fraction) {
  const double half = std::max(rebuffer_count, 0.0) / 2.0;
  const double by_count = 100.0 / std::sqrt(1.0 + half * half);
  const double by_fraction = 100.0 * std::exp(-10.0 * std::clamp(rebuffer_fraction, 0.0, 1.0));
  return (by_count + by_fraction) / 2.0;
}

double VideoQualityScore(double max_upscale, double avg_upscale) {
  return 100.0 *
         std::exp(-0.33 * (0.15 * std::max(max_upscale, 0.0) + 0.85 * std::max(avg_upscale, 0.0)));
}

double Tradeoff(double a, double weight_a, double b, double weight_b) {
  return (weight_a * a + weight_b * b) / (weight_a + weight_b);
}

QoeScores ComputeScores(const QoeFigures& f) {
  QoeScores s;
  if (f.plays > 0) {
    const int64_t failed = std::min(f.failed, f.plays);
    const int64_t exits = std::min(f.exits_before_start, f.plays - failed);
    const int64_t ok = f.plays - failed - exits;
    s.playback_success = (100.0 * static_cast<double>(ok) + 50.0 * static_cast<double>(exits)) /
                         static_cast<double>(f.plays);
  }
  s.startup = f.mean_startup_score;
  if (f.started > 0) {
    const double total = f.watch_seconds + f.stall_seconds;
    const double fraction = total > 0 ? f.stall_seconds / total : 0.0;
    s.smoothness =
        SmoothnessScore(static_cast<double>(f.stalls) / static_cast<double>(f.started), fraction);
    const double up =
        f.sized_seconds > 0 ? std::clamp(f.upscaled_seconds / f.sized_seconds, 0.0, 1.0) : 0.0;
    s.video_quality = VideoQualityScore(up, up);
  }
  if (s.playback_success) {
    const double sm = s.smoothness.value_or(100), su = s.startup.value_or(100),
                 q = s.video_quality.value_or(100);
    const double mean = (Tradeoff(sm, kSmoothnessWeight, q, kQualityWeight) +
                         Tradeoff(sm, kSmoothnessWeight, su, kStartupWeight) +
                         Tradeoff(su, kStartupWeight, q, kQualityWeight)) /
                        3.0;
    s.overall = *s.playback_success / 100.0 * mean;
  }
  return s;
}

}  // namespace kinora::audience
