// The audio of every output: decoded source audio resampled (libswresample) to 48 kHz stereo
// and encoded once as AAC-LC; each packet is written to every output (all HLS variants and the
// MP4), so audio is encoded once however many rungs there are.
// Thread safety: one thread (the pipeline's main loop); the muxers serialise their writes.
#pragma once

#include <memory>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/av.h"
#include "kinora/media/internal/muxer.h"

extern "C" {
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
}

namespace kinora::media::internal {

class AudioEncoder {
 public:
  static constexpr int kSampleRate = 48000;

  static Result<std::unique_ptr<AudioEncoder>> Open(int64_t bitrate);
  ~AudioEncoder();

  const AVCodecContext* codec() const { return enc_.get(); }
  void AddOutput(Muxer* muxer, int stream_index) { outputs_.push_back({muxer, stream_index}); }

  // A decoded frame whose pts (in `time_base`) is already relative to the file's start.
  Result<void> Push(const AVFrame* frame, AVRational time_base);
  // Encodes what is left (the last frame padded with silence) and drains the encoder.
  Result<void> Finish();

  double seconds_encoded() const { return static_cast<double>(next_pts_) / kSampleRate; }

 private:
  AudioEncoder() = default;
  Result<void> Resample(const AVFrame* frame);
  Result<void> EncodeFromFifo(bool final);
  Result<void> Send(AVFrame* frame);

  struct SwrDeleter {
    void operator()(SwrContext* s) const { swr_free(&s); }
  };
  struct FifoDeleter {
    void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
  };
  CodecContext enc_;
  std::unique_ptr<SwrContext, SwrDeleter> swr_;
  std::unique_ptr<AVAudioFifo, FifoDeleter> fifo_;
  AVChannelLayout in_layout_{};
  int in_rate_ = 0, in_format_ = -1;
  std::vector<MuxTarget> outputs_;
  bool started_ = false;
  int64_t next_pts_ = 0;  // in 1/kSampleRate
  Frame out_ = NewFrame();
  Packet pkt_ = NewPacket();
};

}  // namespace kinora::media::internal
