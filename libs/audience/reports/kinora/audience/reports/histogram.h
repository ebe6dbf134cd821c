// Percentiles from a histogram with fixed bucket bounds (the startup-time histogram): the same
// arithmetic on SQLite and PostgreSQL, with no database-specific percentile function. Within a
// bucket values are taken as evenly spread (Prometheus's histogram_quantile does the same).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace kinora::audience::reports {

// `bounds` are the buckets' inclusive upper bounds, ascending; `counts` has one more element
// than `bounds`: counts[i] values in (bounds[i-1], bounds[i]] (bounds[-1] = 0), and the last
// counts the values above every bound. q in [0, 1]. Returns nothing when the histogram is
// empty; a quantile falling in the overflow bucket is the highest bound.
// REQUIRES: counts.size() == bounds.size() + 1, bounds ascending and positive.
std::optional<double> Percentile(std::span<const double> bounds, std::span<const int64_t> counts,
                                 double q);

// The mean of f(value) over the histogram, each bucket's values taken at its midpoint (the
// overflow bucket at the highest bound). Nothing when empty.
template <class F>
std::optional<double> MeanOver(std::span<const double> bounds, std::span<const int64_t> counts,
                               F f) {
  double sum = 0;
  int64_t n = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] <= 0) continue;
    const double lo = i == 0 ? 0.0 : bounds[i - 1];
    const double v = i < bounds.size() ? (lo + bounds[i]) / 2 : bounds.back();
    sum += f(v) * static_cast<double>(counts[i]);
    n += counts[i];
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

}  // namespace kinora::audience::reports
