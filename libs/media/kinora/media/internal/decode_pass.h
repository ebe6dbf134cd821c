// The decode-once pass of the pipeline (see transcode.h): demux, decode, turn frames upright
// at one rate, fan them out to the rung encoders and the thumbnail picker; copy what can be
// copied; encode audio once; then judge whether the source was whole ("truncated", "corrupt").
// Thread safety: one Pass per thread; it runs one encoder thread per encoded rung.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/av.h"
#include "kinora/media/internal/audio_analyzer.h"
#include "kinora/media/internal/audio_encoder.h"
#include "kinora/media/internal/gap_closer.h"
#include "kinora/media/internal/muxer.h"
#include "kinora/media/internal/rung_encoder.h"
#include "kinora/media/internal/upright_filter.h"
#include "kinora/media/internal/video_analyzer.h"
#include "kinora/media/ladder.h"
#include "kinora/media/transcode.h"

namespace kinora::media::internal {

// The opened source: its first video and audio streams and their decoders.
struct Media {
  InputFormat fmt;
  AVStream* video = nullptr;
  AVStream* audio = nullptr;
  CodecContext video_dec, audio_dec;
};

// Where no stream has content for longer than this, the gap is closed.
inline constexpr double kMaxGapSeconds = 2.0;

// The decode-once pass: state shared by the loop's steps.
class Pass {
 public:
  Pass(Media& m, const Plan& plan, const TranscodeOptions& o, const std::filesystem::path& out,
       TranscodeReport& report)
      : m_(m), plan_(plan), o_(o), out_(out), report_(report) {}

  Result<void> Setup();
  Result<void> Run();
  // Thumbnails picked from this pass's frames (none when every output was copied).
  const ThumbnailPicker& thumbnails() const { return thumbs_; }
  // The content analysis of this pass's frames and samples (null when not asked for, or, for
  // audio, when the source has none); finished when Run returns.
  VideoAnalyzer* video_analysis() { return video_analysis_.get(); }
  AudioAnalyzer* audio_analysis() { return audio_analysis_.get(); }
  // The encoded rungs, tallest first (their encode quality is read after Run).
  const std::vector<std::unique_ptr<RungEncoder>>& encoders() const { return encoders_; }

 private:
  Result<void> OnVideoPacket(const AVPacket* pkt);
  Result<void> OnAudioPacket(const AVPacket* pkt);
  Result<void> CopyPacket(const AVPacket* pkt, AVRational tb, int64_t offset,
                          const std::vector<MuxTarget>& targets);
  Result<void> DecodeVideo(const AVPacket* pkt);
  Result<void> ToRungs(AVFrame* upright);
  Result<void> Finish();
  Result<void> CheckComplete(int read_error);
  // Closes timestamp gaps (gap_closer.h) in place and enforces the duration limit on the
  // content actually present.
  Result<void> Retime(AVPacket* pkt);
  // The share of the file read so far (bytes, not timestamps: a jumpy stream cannot freeze it).
  void Progress();

  Media& m_;
  const Plan& plan_;
  const TranscodeOptions& o_;
  std::filesystem::path out_;
  TranscodeReport& report_;

  AVRational rate_{};
  int64_t video_offset_ = 0, audio_offset_ = 0;  // the file's start time in each stream's tb
  std::vector<Muxer> hls_;                       // one per rung, same order as plan_.hls
  std::optional<Muxer> mp4_;
  std::vector<std::unique_ptr<RungEncoder>> encoders_;  // tallest first
  std::vector<RungEncoder*> roots_;                     // the ones fed from the source
  std::unique_ptr<AudioEncoder> audio_;
  std::unique_ptr<UprightFilter> filter_;
  std::vector<MuxTarget> copies_;        // outputs that take the source's video packets as they are
  std::vector<MuxTarget> audio_copies_;  // every output, when the source audio is already AAC
  bool decode_video_ = false;
  std::unique_ptr<VideoAnalyzer> video_analysis_;
  std::unique_ptr<AudioAnalyzer> audio_analysis_;
  ThumbnailPicker thumbs_{o_.thumbnails, report_.probe.duration_seconds};

  Frame frame_ = NewFrame();
  int64_t packets_ = 0, decode_errors_ = 0;
  double first_error_at_ = -1, video_end_ = 0;
  int last_percent_ = -1;
  GapCloser gaps_{kMaxGapSeconds};
};

}  // namespace kinora::media::internal
