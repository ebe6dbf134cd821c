// Turns decoded source frames into upright frames at one constant rate (libavfilter: transpose
// or flips for the display rotation, then fps), the common input of every rung's scaler.
// Frames keep the source's pixel format and size (after rotation); rungs scale them.
// Rebuilds its graph when the source's frame size or format changes mid-stream.
// Thread safety: one thread.
#pragma once

#include <functional>
#include <memory>

#include "kinora/core/error.h"
#include "kinora/media/av.h"

extern "C" {
#include <libavfilter/avfilter.h>
}

namespace kinora::media::internal {

class UprightFilter {
 public:
  using Sink = std::function<Result<void>(AVFrame* frame)>;  // pts in OutputTimeBase()

  // rotation: clockwise degrees (0/90/180/270); rate: the output frame rate; in_time_base: the
  // time base of the frames' pts.
  UprightFilter(int rotation, AVRational rate, AVRational in_time_base);
  ~UprightFilter();

  // Sends one frame (its pts set) and hands every frame ready at the output to `sink`.
  Result<void> Push(const AVFrame* frame, const Sink& sink);
  // Flushes the graph at end of stream.
  Result<void> Finish(const Sink& sink);

  AVRational OutputTimeBase() const { return av_inv_q(rate_); }

 private:
  Result<void> Build(const AVFrame& like);
  Result<void> Drain(const Sink& sink);

  struct GraphDeleter {
    void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
  };
  int rotation_;
  AVRational rate_, in_tb_;
  std::unique_ptr<AVFilterGraph, GraphDeleter> graph_;
  AVFilterContext* src_ = nullptr;
  AVFilterContext* sink_ = nullptr;
  int width_ = 0, height_ = 0, format_ = -1;
  bool built_ = false;
  int64_t last_pts_ = AV_NOPTS_VALUE, end_pts_ = AV_NOPTS_VALUE;  // in the input time base
  Frame out_ = NewFrame();
};

}  // namespace kinora::media::internal
