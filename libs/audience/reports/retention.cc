#include "kinora/audience/reports/retention.h"

#include <algorithm>
#include <cmath>

namespace kinora::audience::reports {

std::vector<double> Fractions(std::span<const int64_t> counts, int64_t plays, size_t size,
                              bool cap) {
  std::vector<double> out(size, 0.0);
  if (plays <= 0) return out;
  for (size_t i = 0; i < size && i < counts.size(); ++i) {
    double f = static_cast<double>(std::max<int64_t>(counts[i], 0)) / static_cast<double>(plays);
    out[i] = cap ? std::min(f, 1.0) : f;
  }
  return out;
}

std::optional<size_t> PerSecondBuckets(double duration) {
  if (!(duration > 0) || duration > kPerSecondMaxDuration) return std::nullopt;
  return static_cast<size_t>(std::ceil(duration));
}

int PercentBucket(double t, double duration) {
  if (!(duration > 0)) return 0;
  const int b = static_cast<int>(std::floor(t / duration * kRetentionBuckets));
  return std::clamp(b, 0, kRetentionBuckets - 1);
}

}  // namespace kinora::audience::reports
