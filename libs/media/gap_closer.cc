#include "kinora/media/internal/gap_closer.h"

#include <algorithm>

namespace kinora::media::internal {

double GapCloser::Shift(int stream, double at, double duration) {
  double& shift = shift_[stream];
  double t = at - shift;
  if (!started_) {
    started_ = true;
    end_ = t;
  } else if (t > end_ + max_gap_) {
    shift += t - end_;
    t = end_;
  }
  end_ = std::max(end_, t + std::max(0.0, duration));
  return shift;
}

double GapCloser::closed_seconds() const {
  double most = 0;
  for (const auto& [stream, shift] : shift_) most = std::max(most, shift);
  return most;
}

}  // namespace kinora::media::internal
