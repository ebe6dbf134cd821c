#include "kinora/media/internal/filter_graph.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
}

#include <new>

namespace kinora::media::internal {

Result<FilterGraph> FilterGraph::Create(const char* source, const std::string& args,
                                        const std::string& chain) {
  FilterGraph g;
  g.graph_.reset(avfilter_graph_alloc());
  if (!g.graph_) throw std::bad_alloc();
  g.graph_->nb_threads = 1;  // the pipeline's parallelism is across its stages
  const bool audio = std::string_view(source) == "abuffer";
  int err = avfilter_graph_create_filter(&g.src_, avfilter_get_by_name(source), "in", args.c_str(),
                                         nullptr, g.graph_.get());
  if (err >= 0) {
    err = avfilter_graph_create_filter(&g.sink_,
                                       avfilter_get_by_name(audio ? "abuffersink" : "buffersink"),
                                       "out", nullptr, nullptr, g.graph_.get());
  }
  if (err < 0) return MapAvError(err, "cannot set up the filters");
  AVFilterInOut* outputs = avfilter_inout_alloc();
  AVFilterInOut* inputs = avfilter_inout_alloc();
  if (!outputs || !inputs) throw std::bad_alloc();
  outputs->name = av_strdup("in");
  outputs->filter_ctx = g.src_;
  inputs->name = av_strdup("out");
  inputs->filter_ctx = g.sink_;
  err = avfilter_graph_parse_ptr(g.graph_.get(), chain.c_str(), &inputs, &outputs, nullptr);
  avfilter_inout_free(&inputs);
  avfilter_inout_free(&outputs);
  if (err >= 0) err = avfilter_graph_config(g.graph_.get(), nullptr);
  if (err < 0) return MapAvError(err, "cannot set up the filters (" + chain + ")");
  g.out_ = NewFrame();
  return g;
}

Result<void> FilterGraph::Drain(const Sink& sink) {
  const AVRational tb = av_buffersink_get_time_base(sink_);
  for (;;) {
    int err = av_buffersink_get_frame(sink_, out_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return MapAvError(err, "filtering failed");
    sink(out_.get(), tb);
    av_frame_unref(out_.get());
  }
}

Result<void> FilterGraph::Push(const AVFrame* frame, const Sink& sink) {
  int err = av_buffersrc_write_frame(src_, frame);
  if (err < 0) return MapAvError(err, "filtering failed");
  return Drain(sink);
}

Result<void> FilterGraph::Finish(const Sink& sink) {
  int err = av_buffersrc_add_frame(src_, nullptr);
  if (err < 0) return MapAvError(err, "filtering failed");
  return Drain(sink);
}

}  // namespace kinora::media::internal
