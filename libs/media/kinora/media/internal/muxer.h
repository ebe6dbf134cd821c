// An output file being written by several pipeline threads at once (each rung's encoder thread
// and the audio encoder write packets into the same HLS variant or MP4), serialised by a mutex.
// Thread safety: AddStream/Open before any Write; Write and Finish from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/av.h"

namespace kinora::media::internal {

class Muxer {
 public:
  // format: libavformat's short name ("hls", "mp4"); url: the file to write (for "hls" the
  // media playlist, with segments named by the options).
  static Result<Muxer> Create(const char* format, const std::string& url);
  Muxer(Muxer&&) = default;

  // Adds a stream described by an opened encoder (or by a source stream's parameters, for
  // copies) and returns its index.
  Result<int> AddStream(const AVCodecContext* encoder);
  Result<int> AddStream(const AVCodecParameters* par, AVRational time_base);

  // Writes the header with muxer options (e.g. {"movflags","+faststart"}).
  Result<void> Open(const std::map<std::string, std::string>& options);

  // Writes one packet, whose timestamps are in `time_base`, to stream `index`. Takes a new
  // reference; the caller's packet is left as it was.
  Result<void> Write(const AVPacket* pkt, AVRational time_base, int index);

  // Writes the trailer and closes the file. Idempotent.
  Result<void> Finish();

 private:
  explicit Muxer(OutputFormat ctx) : ctx_(std::move(ctx)), mu_(std::make_unique<std::mutex>()) {}
  OutputFormat ctx_;
  std::unique_ptr<std::mutex> mu_;
  bool opened_ = false, finished_ = false;
  std::string url_;
};

// One stream of one output: where a packet goes.
struct MuxTarget {
  Muxer* muxer;
  int index;
};

// Writes the packet (timestamps in time_base) to every target; stops at the first failure.
Result<void> WriteToAll(const std::vector<MuxTarget>& targets, const AVPacket* pkt,
                        AVRational time_base);

}  // namespace kinora::media::internal
