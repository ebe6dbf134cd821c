#include "kinora/media/av.h"

extern "C" {
#include <libavutil/display.h>
}

#include <cmath>
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

int DisplayRotation(const AVStream* stream) {
  const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (!matrix) return 0;
  double theta = -av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(theta)) return 0;  // a degenerate matrix
  int deg = static_cast<int>(std::lround(theta)) % 360;
  if (deg < 0) deg += 360;
  return (deg + 45) / 90 * 90 % 360;
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
