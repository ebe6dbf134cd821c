#include "kinora/media/internal/upright_filter.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
}

#include <algorithm>
#include <cstdio>
#include <new>
#include <string>

namespace kinora::media::internal {
namespace {

std::string RotationFilters(int rotation) {
  switch (rotation) {
    case 90:
      return "transpose=clock,";
    case 180:
      return "hflip,vflip,";
    case 270:
      return "transpose=cclock,";
    default:
      return "";
  }
}

}  // namespace

UprightFilter::UprightFilter(int rotation, AVRational rate, AVRational in_time_base)
    : rotation_(rotation), rate_(rate), in_tb_(in_time_base) {}

UprightFilter::~UprightFilter() = default;

Result<void> UprightFilter::Build(const AVFrame& like) {
  graph_.reset(avfilter_graph_alloc());
  if (!graph_) throw std::bad_alloc();
  graph_->nb_threads = 1;  // the pipeline's parallelism is across rungs
  char args[256];
  AVRational sar = like.sample_aspect_ratio.num > 0 ? like.sample_aspect_ratio : AVRational{1, 1};
  std::snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d",
                like.width, like.height, like.format, in_tb_.num, in_tb_.den, sar.num, sar.den);
  int err = avfilter_graph_create_filter(&src_, avfilter_get_by_name("buffer"), "in", args, nullptr,
                                         graph_.get());
  if (err >= 0) {
    err = avfilter_graph_create_filter(&sink_, avfilter_get_by_name("buffersink"), "out", nullptr,
                                       nullptr, graph_.get());
  }
  if (err < 0) return MapAvError(err, "cannot set up the video filters");
  const std::string spec = RotationFilters(rotation_) + "fps=fps=" + std::to_string(rate_.num) +
                           "/" + std::to_string(rate_.den) +
                           (built_ ? "" : ":start_time=0");  // a rebuild continues the timeline
  AVFilterInOut* outputs = avfilter_inout_alloc();
  AVFilterInOut* inputs = avfilter_inout_alloc();
  if (!outputs || !inputs) throw std::bad_alloc();
  outputs->name = av_strdup("in");
  outputs->filter_ctx = src_;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = sink_;
  err = avfilter_graph_parse_ptr(graph_.get(), spec.c_str(), &inputs, &outputs, nullptr);
  avfilter_inout_free(&inputs);
  avfilter_inout_free(&outputs);
  if (err >= 0) err = avfilter_graph_config(graph_.get(), nullptr);
  if (err < 0) return MapAvError(err, "cannot set up the video filters (" + spec + ")");
  width_ = like.width;
  height_ = like.height;
  format_ = like.format;
  built_ = true;
  return {};
}

Result<void> UprightFilter::Drain(const Sink& sink) {
  for (;;) {
    int err = av_buffersink_get_frame(sink_, out_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return MapAvError(err, "video filtering failed");
    Result<void> r = sink(out_.get());
    av_frame_unref(out_.get());
    if (!r) return r;
  }
}

Result<void> UprightFilter::Push(const AVFrame* frame, const Sink& sink) {
  if (!graph_ || frame->width != width_ || frame->height != height_ || frame->format != format_) {
    if (graph_) KINORA_TRY_VOID(Finish(sink));  // a mid-stream size change: flush, then rebuild
    KINORA_TRY_VOID(Build(*frame));
  }
  if (frame->pts != AV_NOPTS_VALUE) {  // where the stream ends if this frame is the last
    int64_t step = frame->pkt_duration > 0                                 ? frame->pkt_duration
                   : last_pts_ != AV_NOPTS_VALUE && frame->pts > last_pts_ ? frame->pts - last_pts_
                                                                           : 0;
    last_pts_ = frame->pts;
    end_pts_ = std::max(end_pts_, frame->pts + step);
  }
  int err = av_buffersrc_write_frame(src_, frame);
  if (err < 0) return MapAvError(err, "video filtering failed");
  return Drain(sink);
}

Result<void> UprightFilter::Finish(const Sink& sink) {
  if (!graph_) return {};
  // Closing at the last frame's end (not its start) lets fps emit that frame too.
  int err = end_pts_ != AV_NOPTS_VALUE ? av_buffersrc_close(src_, end_pts_, AV_BUFFERSRC_FLAG_PUSH)
                                       : av_buffersrc_add_frame(src_, nullptr);
  if (err < 0) return MapAvError(err, "video filtering failed");
  Result<void> r = Drain(sink);
  graph_.reset();
  return r;
}

}  // namespace kinora::media::internal
