// Time series with every interval of the range present: the buckets the database returned,
// and zeros for the rest.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "kinora/audience/reports/range.h"

namespace kinora::audience::reports {

struct Point {
  int64_t t = 0;  // bucket start, Unix seconds
  double value = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

// One point per bucket of `range` widened to `interval`, in order; `values` maps a bucket's
// start (Unix seconds) to its value, and buckets it lacks are 0. Values outside are ignored.
std::vector<Point> ZeroFilled(const TimeRange& range, Interval interval,
                              const std::map<int64_t, double>& values);

}  // namespace kinora::audience::reports
