#include "kinora/audience/reports/histogram.h"

#include <algorithm>
#include <cassert>

namespace kinora::audience::reports {

std::optional<double> Percentile(std::span<const double> bounds, std::span<const int64_t> counts,
                                 double q) {
  assert(counts.size() == bounds.size() + 1);
  int64_t total = 0;
  for (int64_t c : counts) total += std::max<int64_t>(c, 0);
  if (total == 0) return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * static_cast<double>(total);
  int64_t below = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const int64_t c = std::max<int64_t>(counts[i], 0);
    if (c == 0) continue;
    if (static_cast<double>(below + c) >= rank) {
      if (i == bounds.size()) return bounds.empty() ? 0.0 : bounds.back();
      const double lo = i == 0 ? 0.0 : bounds[i - 1];
      const double within = (rank - static_cast<double>(below)) / static_cast<double>(c);
      return lo + (bounds[i] - lo) * std::clamp(within, 0.0, 1.0);
    }
    below += c;
  }
  return bounds.empty() ? 0.0 : bounds.back();
}

}  // namespace kinora::audience::reports
