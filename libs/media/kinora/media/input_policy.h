// What Kinora agrees to open at all: the demuxers of real video containers (no playlists,
// concat lists, image sequences, filter graphs or network protocols, which would read other
// files or decode huge stills) and the limits every source is held to before a decoder sees
// it: pixels per frame, each side, aspect ratio, and duration. The upload-time probe and the
// processing child apply the same policy, so a file refused by one is refused by the other.
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

extern "C" {
struct AVInputFormat;
}

namespace kinora::media {

struct ProbeResult;

// Bounds on a source (KINORA_MAX_PIXELS, KINORA_MAX_DURATION_SECONDS).
struct MediaLimits {
  int64_t max_pixels = int64_t{8192} * 4320;  // per frame: 8K UHD
  double max_duration_seconds = 6 * 3600;     // 0: no limit
};

// Neither side of a frame may exceed this, whatever the pixel limit.
inline constexpr int kMaxDimension = 16384;
// Nor may one side be more than this many times the other (after the sample aspect ratio).
inline constexpr int kMaxAspectRatio = 32;

// libavformat's format_whitelist: the demuxers Kinora opens (mov/mp4, matroska/webm, avi,
// mpegts, flv, mpeg-ps, ogg, asf/wmv).
inline constexpr const char* kContainerWhitelist = "mov,matroska,avi,mpegts,flv,mpeg,ogg,asf";
// libavformat's protocol_whitelist for local files.
inline constexpr const char* kProtocolWhitelist = "file";

// Whether a demuxer (its AVInputFormat::name, "mov,mp4,m4a,3gp,3g2,mj2") is a video container
// Kinora opens.
bool IsAcceptedContainer(std::string_view demuxer_name);

// The demuxer libavformat would pick for a file that starts with `head` (content only, never
// the file name), when it is one Kinora accepts. kUnsupported saying what the file is
// otherwise ("a concat list", "a still image", "not a recognised video container").
Result<const AVInputFormat*> DetectContainer(std::string_view head);

// kUnsupported with the reason when the frame geometry is missing, zero or absurd (a side over
// kMaxDimension, more pixels than limits.max_pixels, an aspect ratio beyond kMaxAspectRatio).
Result<void> CheckGeometry(int width, int height, int sar_num, int sar_den,
                           const MediaLimits& limits);
// kUnsupported when the source lasts longer than limits.max_duration_seconds.
Result<void> CheckDuration(double seconds, const MediaLimits& limits);
// Both, on a probe.
Result<void> CheckProbe(const ProbeResult& p, const MediaLimits& limits);

// "2 h 30 min", "45 s": a duration for people.
std::string HumanDuration(double seconds);

}  // namespace kinora::media
