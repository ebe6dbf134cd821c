#include "kinora/media/input_policy.h"

extern "C" {
#include <libavformat/avformat.h>
}

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "kinora/media/probe.h"

namespace kinora::media {
namespace {

// Full AVInputFormat names, as FFmpeg 5.1 spells them.
constexpr std::array<std::string_view, 8> kAccepted = {
    "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "flv", "mpeg", "ogg", "asf"};

bool IsStillImage(std::string_view name) {
  return name.find("_pipe") != std::string_view::npos || name == "image2" || name == "gif" ||
         name == "apng" || name == "webp";
}

// What a refused demuxer is, in words.
std::string Describe(std::string_view name) {
  if (IsStillImage(name)) return "a still image";
  if (name == "concat") return "a concat list (it names other files)";
  if (name == "hls" || name == "dash") return "a streaming playlist (it names other files)";
  if (name == "lavfi") return "a filter graph";
  return "a '" + std::string(name.substr(0, 32)) + "' stream";
}

std::string Millions(int64_t pixels) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(pixels) / 1e6);
  return buf;
}

}  // namespace

bool IsAcceptedContainer(std::string_view demuxer_name) {
  for (std::string_view a : kAccepted) {
    if (demuxer_name == a) return true;
  }
  return false;
}

Result<const AVInputFormat*> DetectContainer(std::string_view head) {
  if (head.empty()) return Unsupported("the file is empty");
  // libavformat reads up to AVPROBE_PADDING_SIZE bytes past the end: give it zeros.
  std::vector<unsigned char> buf(head.size() + AVPROBE_PADDING_SIZE, 0);
  std::memcpy(buf.data(), head.data(), head.size());
  AVProbeData pd{};
  pd.filename = "";
  pd.buf = buf.data();
  pd.buf_size = static_cast<int>(head.size());
  int score = 0;
  const AVInputFormat* fmt = av_probe_input_format2(&pd, 1, &score);
  if (!fmt) return Unsupported("not a recognised video container");
  if (!IsAcceptedContainer(fmt->name)) {
    return Unsupported("the file is " + Describe(fmt->name) +
                       ", not a video container Kinora accepts (MP4/MOV, Matroska/WebM, AVI, "
                       "MPEG-TS/PS, FLV, Ogg, ASF/WMV)");
  }
  return fmt;
}

Result<void> CheckGeometry(int width, int height, int sar_num, int sar_den,
                           const MediaLimits& limits) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width <= 0 || height <= 0) {
    return Unsupported("the video stream has no usable frame size (" + size + ")");
  }
  if (width > kMaxDimension || height > kMaxDimension) {
    return Unsupported("the video is " + size + "; Kinora takes at most " +
                       std::to_string(kMaxDimension) + " pixels a side");
  }
  const int64_t pixels = int64_t{width} * height;
  if (limits.max_pixels > 0 && pixels > limits.max_pixels) {
    return Unsupported("the video is " + size + " (" + Millions(pixels) +
                       " million pixels a frame); the limit is " + Millions(limits.max_pixels) +
                       " million (KINORA_MAX_PIXELS)");
  }
  double w = width, h = height;
  if (sar_num > 0 && sar_den > 0) w = w * sar_num / sar_den;
  if (w > kMaxDimension || w / h > kMaxAspectRatio || h / w > kMaxAspectRatio) {
    return Unsupported("the video's shape is absurd: " + size + " with sample aspect ratio " +
                       std::to_string(sar_num) + ":" + std::to_string(sar_den));
  }
  return {};
}

Result<void> CheckDuration(double seconds, const MediaLimits& limits) {
  if (limits.max_duration_seconds > 0 && seconds > limits.max_duration_seconds) {
    return Unsupported("the video lasts " + HumanDuration(seconds) + ", longer than the limit of " +
                       HumanDuration(limits.max_duration_seconds) +
                       " (KINORA_MAX_DURATION_SECONDS)");
  }
  return {};
}

Result<void> CheckProbe(const ProbeResult& p, const MediaLimits& limits) {
  KINORA_TRY_VOID(CheckGeometry(p.width, p.height, p.sar_num, p.sar_den, limits));
  return CheckDuration(p.duration_seconds, limits);
}

std::string HumanDuration(double seconds) {
  if (!std::isfinite(seconds)) return "forever";
  const auto s = static_cast<int64_t>(std::llround(seconds));
  if (s < 60) return std::to_string(s) + " s";
  const int64_t h = s / 3600, m = (s % 3600) / 60, rest = s % 60;
  std::string out;
  if (h > 0) out += std::to_string(h) + " h";
  if (m > 0) out += (out.empty() ? "" : " ") + std::to_string(m) + " min";
  if (h == 0 && rest > 0) out += " " + std::to_string(rest) + " s";
  return out.empty() ? "0 s" : out;
}

}  // namespace kinora::media
