// The storyboard (docs/content-analysis.md): one small frame every interval seconds, tiled into
// JPEG sprite sheets, and the WebVTT thumbnails track that points into them (#xywh=).
// Thread safety: one thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/av.h"
#include "kinora/media/content_analysis.h"

namespace kinora::media::internal {

struct StoryboardLayout {
  double interval_seconds = 1;
  int tiles = 0;  // over the whole duration
  int columns = 10, rows = 10;
  int long_side = 160;
};

// At most 200 tiles: one per second up to 200 s, then one per ceil(duration / 200) s.
StoryboardLayout PlanStoryboard(double duration_seconds);

// "WEBVTT" and one cue per tile: [i * interval, min((i + 1) * interval, duration)) →
// "sprite_NNN.jpg#xywh=x,y,w,h".
std::string StoryboardVtt(const Storyboard& s, double duration_seconds);

class StoryboardBuilder {
 public:
  explicit StoryboardBuilder(StoryboardLayout layout) : layout_(layout) {}

  // Offers a frame with square pixels shown at `seconds`; it becomes the next tile if the
  // tile's time has come.
  Result<void> Offer(const AVFrame& frame, double seconds);
  // Encodes the sheets and the VTT into out_dir/storyboard/; nullopt when no tile was taken.
  Result<std::optional<Storyboard>> Write(const std::filesystem::path& out_dir,
                                          double duration_seconds);

 private:
  Result<void> Place(const AVFrame& frame);

  StoryboardLayout layout_;
  int tile_w_ = 0, tile_h_ = 0, taken_ = 0;
  std::vector<Frame> sheets_;  // YUVJ420P, columns x rows tiles each
  Scaler sws_;
  int sws_w_ = 0, sws_h_ = 0, sws_fmt_ = -1;
};

}  // namespace kinora::media::internal
