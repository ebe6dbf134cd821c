// The sound side of content analysis (docs/content-analysis.md): every decoded audio frame of
// the decode pass — also when the AAC track itself is copied — goes through libavfilter's
// ebur128 (integrated loudness, loudness range) and silencedetect; the true peak is taken as
// ebur128 takes it (the signal resampled to 192 kHz, the largest magnitude), and the waveform
// is the peak and RMS of all channels per interval. Failures are recorded, never returned.
// Thread safety: one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

extern "C" {
#include <libswresample/swresample.h>
}

#include "kinora/media/av.h"
#include "kinora/media/content_analysis.h"
#include "kinora/media/internal/filter_graph.h"

namespace kinora::media::internal {

class AudioAnalyzer {
 public:
  // time_base: of the frames' pts; duration: the expected length (sets the waveform interval).
  AudioAnalyzer(AVRational time_base, double duration_seconds);
  ~AudioAnalyzer();

  void Push(const AVFrame* frame);
  void Finish(double end_seconds);
  // loudness, silence, waveform and failures into `a`.
  void Fill(ContentAnalysis& a) const;

 private:
  void OnFiltered(AVFrame* f, AVRational tb);
  void Fail(std::string what);

  struct SwrDeleter {
    void operator()(SwrContext* s) const { swr_free(&s); }
  };
  AVRational tb_;
  double interval_;
  std::optional<FilterGraph> graph_;
  std::unique_ptr<SwrContext, SwrDeleter> swr_;  // the true peak's 4x upsampling
  std::vector<double> upsampled_;
  std::optional<std::string> failed_;
  std::optional<double> integrated_, range_;
  double true_peak_ = 0;
  std::vector<TimeSpan> silence_;
  std::optional<double> silence_open_;
  std::vector<float> peak_, rms_;
  std::vector<double> sum_squares_;
  std::vector<int64_t> samples_;
  double end_seconds_ = 0;
  bool any_ = false;
};

}  // namespace kinora::media::internal
