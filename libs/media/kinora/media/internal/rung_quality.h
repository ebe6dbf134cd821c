// The encode quality of one rung, measured inside the encode without decoding the rung: a few
// sample pictures (one 8 frames into each of up to 6 GOPs spread over the video) are kept
// as the encoder gets them, and an H.264 decoder is fed the rung's packets only from the key
// frame that starts a sampled GOP until that GOP's sample has come out; the decoded sample is
// compared with the kept picture (frame_quality.h). A failure here never fails the encode: it
// is kept and reported by result().
// Thread safety: one thread (the rung's encoder thread).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "kinora/core/error.h"
#include "kinora/media/av.h"
#include "kinora/media/content_analysis.h"
#include "kinora/media/internal/frame_quality.h"

namespace kinora::media::internal {

struct SamplingPlan {
  int gop_frames = 60;
  // Key frames follow the source's (plus one every 4 × gop_frames without one), as the encoder
  // places them (rung_encoder.h); else exactly every gop_frames.
  bool follow_source_keyframes = false;
  // The frames the rung should get, to spread the samples over the video; 0 when unknown
  // (then GOPs 0, 3, 7, 15, 31, … are sampled).
  int64_t expected_frames = 0;
};

inline constexpr int kQualitySamples = 6;       // GOPs sampled at most (expected_frames known)
inline constexpr int kQualitySampleOffset = 8;  // frames into the GOP (P/B frames, not the key)

class QualitySampler {
 public:
  // encoder: the rung's opened encoder (its extradata configures the decoder).
  QualitySampler(const AVCodecContext* encoder, const SamplingPlan& plan);

  // Each picture given to the encoder, in order, before it is sent; source_key: the picture
  // starts a source GOP. True when a reference to it was kept: the caller must then scale the
  // next picture into a new buffer rather than overwrite this one.
  bool OnPicture(const AVFrame& picture, bool source_key);
  // Each packet the encoder put out, in order.
  void OnPacket(const AVPacket& packet);
  // The encoder is drained: takes the last samples, releases the kept pictures.
  void Finish();

  // After Finish: the rung's SSIM/PSNR over the frames compared (frames 0 when none could be;
  // the rung's name is left to the caller). The error that stopped the measuring, if one did.
  Result<RungQuality> result() const;

 private:
  struct Sample {
    int64_t key_pts = 0;                // the GOP's first picture
    std::optional<int64_t> sample_pts;  // known once the sample picture was seen
    Frame picture;                      // the kept reference
    bool abandoned = false;             // the GOP ended before the sample
    bool done = false;
  };

  bool WantGop(int64_t index);
  void StartDecoding();
  void Decode(const AVPacket* packet);  // null: drain
  void Match(const AVFrame& decoded);
  void Fail(Error e);

  const AVCodecContext* encoder_;
  SamplingPlan plan_;
  int offset_ = kQualitySampleOffset;
  int64_t index_ = 0;            // pictures seen
  int64_t gop_start_ = 0;        // index of the picture that starts the current GOP
  int64_t gops_ = 0;             // GOPs started
  int targets_ = 1;              // positions spread over the video (expected_frames known)
  int next_target_ = 0;          // the next of them still without a sample
  int planned_ = 0;              // samples kept
  std::deque<Sample> samples_;   // oldest first
  bool in_sampled_gop_ = false;  // and its sample not yet seen
  bool retry_ = false;           // the last sampled GOP was too short: sample the next one

  CodecContext decoder_;
  Frame decoded_;
  bool feeding_ = false;
  QualityTally tally_;
  std::optional<Error> error_;
};

}  // namespace kinora::media::internal
