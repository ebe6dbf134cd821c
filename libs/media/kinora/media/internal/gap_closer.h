// Closes timestamp gaps in a source: where no stream has any content for more than max_gap
// seconds, the packets after the gap are moved back to just after what came before, so the
// outputs hold the content actually present rather than hours of a repeated frame (a 60 KB
// file with a 10-hour timestamp jump stays a few seconds long). Each stream keeps its own
// shift, so a stream that goes on through another's pause keeps its timing.
// Thread safety: one instance per decode pass.
#pragma once

#include <map>

namespace kinora::media::internal {

class GapCloser {
 public:
  explicit GapCloser(double max_gap_seconds) : max_gap_(max_gap_seconds) {}

  // A packet of `stream` starting at `at` seconds (from the file's start) lasting `duration`:
  // returns the seconds to subtract from its timestamps (0 unless this or an earlier packet of
  // the stream followed a gap).
  double Shift(int stream, double at, double duration);
  // The end of the content seen so far, after shifting.
  double end() const { return end_; }
  // The most any stream was moved back.
  double closed_seconds() const;

 private:
  double max_gap_;
  std::map<int, double> shift_;
  bool started_ = false;
  double end_ = 0;
};

}  // namespace kinora::media::internal
