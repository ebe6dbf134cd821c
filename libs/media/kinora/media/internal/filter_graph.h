// A one-input, one-output libavfilter graph: a buffer (video) or abuffer (audio) source, a
// filter chain given as text, and a buffer sink. The analysis passes use it; frames pulled from
// the sink carry the filters' per-frame metadata ("lavfi.…" keys).
// Thread safety: one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

extern "C" {
#include <libavfilter/avfilter.h>
}

#include "kinora/core/error.h"
#include "kinora/media/av.h"

namespace kinora::media::internal {

class FilterGraph {
 public:
  using Sink = std::function<void(AVFrame* frame, AVRational time_base)>;

  // source: "buffer" or "abuffer"; args: its arguments ("video_size=…:pix_fmt=…:time_base=…");
  // chain: the filters between them ("scale=320:180,blackdetect").
  static Result<FilterGraph> Create(const char* source, const std::string& args,
                                    const std::string& chain);

  // Sends a frame (not consumed; its data is referenced) and hands every frame ready at the
  // output to `sink`.
  Result<void> Push(const AVFrame* frame, const Sink& sink);
  // End of stream: flushes the chain into `sink`.
  Result<void> Finish(const Sink& sink);

 private:
  Result<void> Drain(const Sink& sink);

  struct GraphDeleter {
    void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
  };
  std::unique_ptr<AVFilterGraph, GraphDeleter> graph_;
  AVFilterContext* src_ = nullptr;
  AVFilterContext* sink_ = nullptr;
  Frame out_;
};

}  // namespace kinora::media::internal
