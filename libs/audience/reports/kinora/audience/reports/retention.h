// Retention curves from bucket counts: of the plays that showed a first frame, the share that
// played some of each percent of the video (first plays), re-watches apart, and, for videos up
// to 10 minutes, the same per second.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace kinora::audience::reports {

inline constexpr int kRetentionBuckets = 100;
inline constexpr double kPerSecondMaxDuration = 600;  // seconds: per-second curve up to this

// counts[i] / plays for each bucket, each capped at 1 (`cap`), zeros when plays is 0. The
// result has `size` elements; missing counts are zero.
std::vector<double> Fractions(std::span<const int64_t> counts, int64_t plays, size_t size,
                              bool cap = true);

// The number of per-second buckets for a video of `duration` seconds: ceil(duration), or
// nothing when the video is longer than 10 minutes (or has no known duration).
std::optional<size_t> PerSecondBuckets(double duration);

// The percent bucket of content second `t` of a video of `duration` seconds (0…99).
int PercentBucket(double t, double duration);

}  // namespace kinora::audience::reports
