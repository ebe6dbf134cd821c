#include "kinora/audience/reports/timeseries.h"

namespace kinora::audience::reports {

std::vector<Point> ZeroFilled(const TimeRange& range, Interval interval,
                              const std::map<int64_t, double>& values) {
  const TimeRange w = Widen(range, interval);
  const int64_t step = BucketLength(interval).count();
  std::vector<Point> out;
  for (int64_t t = UnixSeconds(w.from); t < UnixSeconds(w.to); t += step) {
    auto it = values.find(t);
    out.push_back({t, it == values.end() ? 0.0 : it->second});
  }
  return out;
}

}  // namespace kinora::audience::reports
