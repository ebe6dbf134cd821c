// Quality-of-experience scores (0–100) after Mux Data's published Viewer Experience formulas,
// computed from a range's aggregate figures (Kinora keeps rollups, not every view forever, so
// per-view terms are replaced by their aggregates as noted). The one home of these formulas;
// docs/analytics.md and the `qoe` answer's OpenAPI description quote them.
//
//   playback_success = (100·succeeded + 50·exits_before_start + 0·failed) / scored plays
//                      (Mux: 100 a view without a fatal error, 50 an exit before video start,
//                      0 a playback failure)
//   startup          = mean over plays with a first frame of 100 · 8 / (8 + startup_seconds)
//                      (each startup-histogram bucket taken at its midpoint)
//   smoothness       = ( 100 / sqrt(1 + (rebuffer_count / 2)²) + 100 · e^(−10 · rebuffer_fraction)
//   ) / 2
//                      rebuffer_count = stalls per play with a first frame,
//                      rebuffer_fraction = stall time / (watch time + stall time)
//   video_quality    = 100 · e^(−0.33 · (0.15 · U_max + 0.85 · U_avg))
//                      U = upscale fraction (watch time below the element's height / watch
//                      time with both heights known);
//                      both terms use the range's upscale fraction (no per-view maximum is kept)
//   overall          = playback_success/100 · (T(sm, q) + T(sm, su) + T(su, q)) / 3
//                      Mux multiplies by playback success and averages three pairwise trade-off
//                      scores but does not publish the trade-off function; Kinora uses the
//                      weighted mean T(a, b) = (w_a·a + w_b·b) / (w_a + w_b) with Mux's stated
//                      order of importance as weights: smoothness 3, startup 2, quality 1.
//
// A score whose inputs are empty (no plays; no first frame) is absent; the overall score then
// uses the sub-scores present (absent ones count as 100, as no evidence of harm).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

namespace kinora::audience {

struct QoeFigures {
  int64_t plays = 0;                         // viewstarts (bots and the owner excluded)
  int64_t failed = 0;                        // plays with an `error`
  int64_t exits_before_start = 0;            // no first frame, no error
  int64_t started = 0;                       // plays that showed a first frame
  std::optional<double> mean_startup_score;  // mean of 100·8/(8+s) over started plays
  int64_t stalls = 0;
  double stall_seconds = 0;
  double watch_seconds = 0;
  double upscaled_seconds = 0;  // watch time with the rendition below the element's height
  double sized_seconds = 0;     // watch time with both heights known
};

struct QoeScores {
  std::optional<double> playback_success, startup, smoothness, video_quality, overall;
};

// Mux's startup time score of one view: 100 · 8 / (8 + seconds).
double StartupScore(double startup_seconds);
// Mux's smoothness score for a rebuffer count and fraction (0…1).
double SmoothnessScore(double rebuffer_count, double rebuffer_fraction);
// Mux's video quality score for max and average upscale fractions.
double VideoQualityScore(double max_upscale, double avg_upscale);
// Kinora's trade-off of two sub-scores (weights above).
double Tradeoff(double a, double weight_a, double b, double weight_b);

QoeScores ComputeScores(const QoeFigures& f);

}  // namespace kinora::audience
