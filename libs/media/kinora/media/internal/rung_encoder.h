// One rung of the ladder: a thread that scales the shared upright frames to the rung's size
// (libswscale, 8-bit 4:2:0) and encodes them with libx264, writing every packet to each output
// that carries this rung (its HLS variant and, for the MP4's rung, the MP4). Rungs run in
// parallel, each behind a short bounded queue, so one decode feeds them all. Each also
// measures its own encode quality on a few sampled frames (rung_quality.h).
// Thread safety: Push/Finish from the producer thread; the encoder runs on its own thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/av.h"
#include "kinora/media/internal/muxer.h"
#include "kinora/media/internal/rung_quality.h"
#include "kinora/media/ladder.h"

namespace kinora::media::internal {

struct EncodeSettings {
  std::string preset = "veryfast";
  int crf = 23;
  int gop_frames = 60;
  // Key frames exactly where the source has them (frame->key_frame), so this rung's segments
  // line up with a rung copied from the source; otherwise one every gop_frames.
  bool follow_source_keyframes = false;
  // Measure the rung's encode quality on a few sampled frames (rung_quality.h)...
  bool measure_quality = true;
  // ...spread over this many frames (the duration at the output rate); 0 when unknown.
  int64_t expected_frames = 0;
};

class RungEncoder {
 public:
  // rate: the constant frame rate of the frames pushed; their pts count frames (1/rate).
  static Result<std::unique_ptr<RungEncoder>> Open(const Rung& rung, const EncodeSettings& s,
                                                   AVRational rate);
  ~RungEncoder();

  const AVCodecContext* codec() const { return enc_.get(); }
  void AddOutput(Muxer* muxer, int stream_index) { outputs_.push_back({muxer, stream_index}); }
  // A smaller rung scaled from this rung's pictures instead of from the full-size source (a
  // 720p picture is under half the pixels of a 1080p one). Set before Start; the child must be
  // finished after this one.
  void AddChild(RungEncoder* child) { children_.push_back(child); }

  void Start();
  // Queues a new reference to the frame; waits while the queue is full. Fails with the encoder
  // thread's error once it has failed.
  Result<void> Push(const AVFrame* frame);
  // End of stream: drains the encoder, joins the thread, returns its error if any.
  Result<void> Finish();

  int64_t frames_encoded() const { return frames_; }
  // After Finish: SSIM/PSNR of the encoded rung against the pictures it was given, on sampled
  // frames (frames 0 when none could be sampled or measuring was off); the error that stopped
  // the measuring, if one did (the encode itself is not affected).
  Result<RungQuality> quality() const;

 private:
  RungEncoder() = default;
  void Run();
  Result<void> Encode(AVFrame* scaled);
  Result<void> Scale(const AVFrame& src, AVFrame* dst);

  Rung rung_;
  EncodeSettings settings_;
  CodecContext enc_;
  Scaler sws_;
  std::vector<MuxTarget> outputs_;
  std::vector<RungEncoder*> children_;
  Packet pkt_ = NewPacket();
  int64_t frames_ = 0;
  std::unique_ptr<QualitySampler> quality_;  // null when not measuring

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Frame> queue_;
  bool eof_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace kinora::media::internal
