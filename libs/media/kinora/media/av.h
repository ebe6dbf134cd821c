// RAII ownership for libav* objects and the one place libav error codes become kinora::Error.
// Every FFmpeg resource in Kinora is held by one of these; no naked av_*_free calls elsewhere.
// Thread safety: the wrappers are plain owners; libav objects are used by one thread at a time.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::media {

struct InputFormatDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct OutputFormatDeleter {
  void operator()(AVFormatContext* c) const {
    if (c && c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

using InputFormat = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormat = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using Scaler = std::unique_ptr<SwsContext, SwsDeleter>;

// Allocators that never return null (they throw std::bad_alloc, a bug-level failure).
Frame NewFrame();
Packet NewPacket();

// Maps a negative libav return code: AVERROR_INVALIDDATA and friends -> kUnsupported
// ("what" + libav's text), ENOMEM -> kInternal, EIO/ENOSPC -> kUnavailable.
Error MapAvError(int err, std::string_view what);

// Clockwise degrees (0, 90, 180, 270) a player must turn the stream's frames to show them
// upright, from its display matrix — the same convention as the ffmpeg program's autorotate.
int DisplayRotation(const AVStream* stream);

// Opens a local file for demuxing when its content is an accepted video container
// (input_policy.h: the demuxer is chosen from the first bytes, only whitelisted ones, only the
// file protocol), with bounded probe sizes. Does not read stream info. kUnsupported with the
// reason for any other file.
Result<InputFormat> OpenAcceptedInput(const std::filesystem::path& path, int64_t probesize,
                                      int analyze_seconds);

// OpenAcceptedInput, then the stream info, read by decoders that refuse frames of more than
// max_pixels.
Result<InputFormat> OpenInput(const std::filesystem::path& path, int64_t max_pixels);

}  // namespace kinora::media
