#include "kinora/media/av.h"

extern "C" {
#include <libavutil/display.h>
}

#include <climits>
#include <cmath>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "kinora/media/input_policy.h"

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

Result<InputFormat> OpenAcceptedInput(const std::filesystem::path& path, int64_t probesize,
                                      int analyze_seconds) {
  std::string head(1 << 20, '\0');
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kNotFound, "cannot open the media file");
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
  }
  KINORA_TRY(const AVInputFormat* container, DetectContainer(head));
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw std::bad_alloc();
  raw->probesize = probesize;
  raw->max_analyze_duration = int64_t{analyze_seconds} * AV_TIME_BASE;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "format_whitelist", kContainerWhitelist, 0);
  av_dict_set(&opts, "protocol_whitelist", kProtocolWhitelist, 0);
  int err = avformat_open_input(&raw, path.c_str(), container, &opts);
  av_dict_free(&opts);
  if (err < 0) return MapAvError(err, "cannot open the media file");
  return InputFormat(raw);
}

Result<InputFormat> OpenInput(const std::filesystem::path& path, int64_t max_pixels) {
  KINORA_TRY(InputFormat in, OpenAcceptedInput(path, 5 << 20, 10));
  std::vector<AVDictionary*> options(in->nb_streams, nullptr);
  for (AVDictionary*& d : options) {
    av_dict_set_int(&d, "max_pixels", max_pixels > 0 ? max_pixels : INT_MAX, 0);
  }
  int err = avformat_find_stream_info(in.get(), options.data());
  for (AVDictionary*& d : options) av_dict_free(&d);
  if (err < 0) return MapAvError(err, "cannot read the streams of the media file");
  return in;
}

}  // namespace kinora::media
