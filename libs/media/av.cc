#include "kinora/media/av.h"

#include <new>
#include <string>

namespace kinora::media {

Frame NewFrame() {
  Frame f(av_frame_alloc());
  if (!f) throw std::bad_alloc();
  return f;
}

Packet NewPacket() {
  Packet p(av_packet_alloc());
  if (!p) throw std::bad_alloc();
  return p;
}

Error MapAvError(int err, std::string_view what) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  std::string msg = std::string(what) + " (" + buf + ")";
  if (err == AVERROR(ENOMEM)) return MakeError(ErrorCode::kInternal, msg);
  if (err == AVERROR(EIO) || err == AVERROR(ENOSPC) || err == AVERROR(EAGAIN)) {
    return MakeError(ErrorCode::kUnavailable, msg);
  }
  if (err == AVERROR(ENOENT)) return MakeError(ErrorCode::kNotFound, msg);
  return MakeError(ErrorCode::kUnsupported, msg);
}

Result<InputFormat> OpenInput(const char* path) {
  AVFormatContext* raw = nullptr;
  int err = avformat_open_input(&raw, path, nullptr, nullptr);
  if (err < 0) return MapAvError(err, "cannot open the media file");
  InputFormat in(raw);
  err = avformat_find_stream_info(in.get(), nullptr);
  if (err < 0) return MapAvError(err, "cannot read the streams of the media file");
  return in;
}

}  // namespace kinora::media
