// The picture side of content analysis (docs/content-analysis.md): on its own thread, each
// upright frame of the decode pass is shrunk to a small copy that libavfilter's scdet,
// blackdetect, freezedetect and siti read, and the storyboard takes its tiles from.
// A failing step is recorded, never returned: the analysis must not fail the transcode.
// Thread safety: Push/Finish from the producer thread; the filters run on the analyzer's thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "kinora/media/av.h"
#include "kinora/media/content_analysis.h"
#include "kinora/media/internal/filter_graph.h"
#include "kinora/media/internal/storyboard.h"

namespace kinora::media::internal {

class VideoAnalyzer {
 public:
  // rate: the frames' constant rate (their pts count frames); duration: the expected length.
  // detectors: replaces the default detector chain when not empty.
  VideoAnalyzer(AVRational rate, double duration_seconds, std::string detectors = {});
  ~VideoAnalyzer();

  void Start();
  // Queues a reference to the frame; waits while the queue is full.
  void Push(const AVFrame* frame);
  // End of stream: flushes the filters and joins the thread.
  void Finish();

  // After Finish: scenes, black, freeze, complexity and the failures into `a`; the storyboard
  // sheets are written by storyboard().Write.
  void Fill(ContentAnalysis& a) const;
  StoryboardBuilder& storyboard() { return storyboard_; }
  double end_seconds() const { return end_seconds_; }

 private:
  void Run();
  void Analyze(const AVFrame& frame);
  void OnFiltered(AVFrame* f, AVRational tb);
  void Fail(std::string what);

  AVRational rate_;
  std::string detectors_;
  StoryboardBuilder storyboard_;
  std::optional<FilterGraph> graph_;
  int in_w_ = 0, in_h_ = 0, in_fmt_ = -1;
  std::optional<std::string> failed_, storyboard_failed_;

  std::vector<SceneCut> scenes_;
  std::vector<TimeSpan> black_, freeze_;
  std::optional<double> black_open_, freeze_open_;
  double si_sum_ = 0, si_max_ = 0, ti_sum_ = 0, ti_max_ = 0;
  int64_t siti_frames_ = 0;
  double end_seconds_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Frame> queue_;
  bool eof_ = false;
  std::thread thread_;
};

}  // namespace kinora::media::internal
