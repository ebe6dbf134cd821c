// The rendition ladder: "what to produce" for a source video (HLS rungs, the progressive MP4,
// frame rate, GOP, codecs strings), decided apart from "how to run FFmpeg". Plain C++ with no
// libav calls, so every rule is unit-tested without media files.
// Thread safety: pure functions over plain values; safe to call concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::media {

// Facts about the source, as the probe reports them.
struct SourceFacts {
  int width = 0, height = 0;     // coded size
  int rotation = 0;              // 0/90/180/270 display rotation (clockwise or not: only 90/270
                                 // matter here, they swap width and height)
  int sar_num = 1, sar_den = 1;  // sample aspect ratio; 0 or negative means unknown (square)
  double fps = 0;                // average frame rate (0 unknown)
  bool variable_frame_rate = false;
  std::string video_codec;    // "h264", "hevc", "vp9", ...
  std::string pixel_format;   // "yuv420p", "yuv420p10le", "yuv444p", ...
  int64_t video_bitrate = 0;  // bits/s, 0 unknown
  bool has_audio = false;
};

struct Rung {
  std::string name;           // "1080p", ..., "240p"; for tiny sources "<short side>p" ("144p")
  int width = 0, height = 0;  // display size after square-pixel correction and rotation; even
  int64_t video_bitrate = 0;  // H.264 cap (maxrate) in bits/s; bufsize = 2x
  int64_t audio_bitrate = 0;  // 128000 when the source has audio, else 0
  int64_t bandwidth = 0;      // HLS BANDWIDTH: peak video+audio bits/s plus 10% container overhead
  bool copy = false;          // the source's own video stream can be copied for this rung

  friend bool operator==(const Rung&, const Rung&) = default;
};

struct Plan {
  std::vector<Rung> hls;       // tallest first; never empty
  Rung mp4;                    // the progressive MP4: the 720p rung, else the tallest rung
  double fps = 30;             // constant output rate: source fps capped at 60; 30 if unknown
  int gop_frames = 60;         // keyframe every 2 s at the output fps (rounded, at least 1)
  double segment_seconds = 4;  // HLS segment target: exactly two GOP durations (~4 s)
  bool audio = false;          // AAC-LC 48 kHz stereo when the source has audio

  // The HLS CODECS attribute for a rung: H.264 High profile (0x64), no constraint flags, and the
  // lowest level of the H.264 level table (Table A-1) whose macroblock rate, frame size and
  // bitrate (High: 1.25x the base MaxBR) hold the rung at this plan's fps, e.g.
  // "avc1.640028,mp4a.40.2" for 1080p30 with audio, "avc1.64001f" for 720p30 without.
  std::string codecs_attribute(const Rung& r) const;
};

// Plans the renditions for a source. Rules:
//  - Display size: SAR first (square pixels: width * sar_num / sar_den, height kept), then
//    rotation (90/270 swap width and height).
//  - Rungs are named and chosen by the display's SHORTER side, so a portrait 1080x1920 phone
//    video gets "1080p" = 1080x1920, "720p" = 720x1280, ... Every ladder rung (1080, 720, 480,
//    360, 240) no longer than that short side is included; a source whose short side is under
//    240 gets one rung at its own size. The long side keeps the display aspect ratio; both are
//    rounded to even numbers and never exceed the display size.
//  - copy is set only on the rung equal to the display size, for h264 yuv420p sources with no
//    rotation, square pixels, a known constant frame rate <= 60 and a known bitrate <= 1.5x the
//    rung's cap.
// Errors: kUnsupported with a reason a person can act on (no picture size, a picture too small
// or too large, a rotation that is not a multiple of 90 degrees).
Result<Plan> PlanRenditions(const SourceFacts& s);

}  // namespace kinora::media
