#include "kinora/media/ladder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace kinora::media {
namespace {

// Largest picture side we plan for (libx264 and browsers stop well before anything larger).
constexpr int64_t kMaxSide = 16384;
constexpr int64_t kAudioBitrate = 128000;
constexpr double kMaxFps = 60;
constexpr double kDefaultFps = 30;
constexpr double kGopSeconds = 2;
constexpr int kGopsPerSegment = 2;  // 4 s segments, each starting on a keyframe

struct LadderStep {
  int short_side;
  int64_t cap;  // bits/s
};
// Tallest first. Sources under the last step get one rung capped like it.
constexpr std::array<LadderStep, 5> kLadder = {{
    {1080, 5'000'000},
    {720, 3'000'000},
    {480, 1'500'000},
    {360, 800'000},
    {240, 400'000},
}};

// H.264 Table A-1, lowest level first. Level 1b is left out: the tiny rungs we make would
// not fit its bitrate, and High profile signals it as level_idc 9 anyway.
struct Level {
  int idc;
  int64_t max_mbps;  // macroblocks per second
  int64_t max_fs;    // macroblocks per frame
  int64_t max_br;    // base (Baseline/Main) MaxBR in 1000 bits/s; High allows 1.25x
};
constexpr std::array<Level, 19> kLevels = {{
    {10, 1485, 99, 64},
    {11, 3000, 396, 192},
    {12, 6000, 396, 384},
    {13, 11880, 396, 768},
    {20, 11880, 396, 2000},
    {21, 19800, 792, 4000},
    {22, 20250, 1620, 4000},
    {30, 40500, 1620, 10000},
    {31, 108000, 3600, 14000},
    {32, 216000, 5120, 20000},
    {40, 245760, 8192, 20000},
    {41, 245760, 8192, 50000},
    {42, 522240, 8704, 50000},
    {50, 589824, 22080, 135000},
    {51, 983040, 36864, 240000},
    {52, 2073600, 36864, 240000},
    {60, 4177920, 139264, 240000},
    {61, 8355840, 139264, 480000},
    {62, 16711680, 139264, 800000},
}};

// The lowest level that holds width x height at fps within max_bitrate (High profile).
int LevelIdc(int width, int height, double fps, int64_t max_bitrate) {
  const int64_t mbs_w = (width + 15) / 16;
  const int64_t mbs_h = (height + 15) / 16;
  const int64_t frame_mbs = mbs_w * mbs_h;
  const double mbps = static_cast<double>(frame_mbs) * fps;
  for (const Level& l : kLevels) {
    // The level also bounds each side: at most sqrt(8 * MaxFS) macroblocks.
    const int64_t max_side = static_cast<int64_t>(std::sqrt(8.0 * static_cast<double>(l.max_fs)));
    if (frame_mbs > l.max_fs || mbs_w > max_side || mbs_h > max_side) continue;
    if (mbps > static_cast<double>(l.max_mbps)) continue;
    if (max_bitrate > l.max_br * 1250) continue;  // 1000 bits/s units x 1.25 (High profile)
    return l.idc;
  }
  return kLevels.back().idc;
}

// Nearest even number, at least 2 and at most the largest even number <= limit.
int EvenWithin(double value, int limit) {
  const int max_even = limit - limit % 2;
  const int even = static_cast<int>(std::lround(value / 2)) * 2;
  return std::clamp(even, 2, max_even);
}

int64_t Bandwidth(int64_t video, int64_t audio) { return (video + audio) * 11 / 10; }

}  // namespace

std::string Plan::codecs_attribute(const Rung& r) const {
  char avc1[16];
  std::snprintf(avc1, sizeof avc1, "avc1.6400%02x",
                LevelIdc(r.width, r.height, fps, r.video_bitrate));
  std::string out = avc1;
  if (audio) out += ",mp4a.40.2";  // AAC-LC
  return out;
}

Result<Plan> PlanRenditions(const SourceFacts& s) {
  if (s.width <= 0 || s.height <= 0) {
    return MakeError(ErrorCode::kUnsupported, "the video stream has no picture size");
  }
  const int rotation = ((s.rotation % 360) + 360) % 360;
  if (rotation % 90 != 0) {
    return MakeError(ErrorCode::kUnsupported, "the video's display rotation of " +
                                                  std::to_string(s.rotation) +
                                                  " degrees is not a multiple of 90");
  }

  // Display size: square pixels first (stretch the width by the SAR; an unknown SAR is square),
  // then rotation.
  const bool square = s.sar_num <= 0 || s.sar_den <= 0 || s.sar_num == s.sar_den;
  int64_t display_w = s.width;
  int64_t display_h = s.height;
  if (!square) {
    display_w = (int64_t{s.width} * s.sar_num + s.sar_den / 2) / s.sar_den;
  }
  if (rotation == 90 || rotation == 270) std::swap(display_w, display_h);
  const std::string size_text = std::to_string(display_w) + "x" + std::to_string(display_h);
  if (display_w > kMaxSide || display_h > kMaxSide) {
    return MakeError(ErrorCode::kUnsupported, "the picture size " + size_text + " is larger than " +
                                                  std::to_string(kMaxSide) + " pixels on a side");
  }
  if (display_w < 2 || display_h < 2) {
    return MakeError(ErrorCode::kUnsupported, "the picture size " + size_text + " is too small");
  }

  Plan plan;
  plan.audio = s.has_audio;
  // Constant output rate: VFR sources are resampled to their average rate.
  plan.fps = s.fps > 0 && std::isfinite(s.fps) ? std::min(s.fps, kMaxFps) : kDefaultFps;
  plan.gop_frames = std::max(1, static_cast<int>(std::lround(plan.fps * kGopSeconds)));
  plan.segment_seconds = kGopsPerSegment * plan.gop_frames / plan.fps;

  // Rungs are chosen and named by the short side so portrait videos are not starved.
  const bool portrait = display_h > display_w;
  const int short_side = static_cast<int>(std::min(display_w, display_h));
  const int long_side = static_cast<int>(std::max(display_w, display_h));
  const bool copyable_source = s.video_codec == "h264" && s.pixel_format == "yuv420p" &&
                               rotation == 0 && square && !s.variable_frame_rate && s.fps > 0 &&
                               s.fps <= kMaxFps && s.video_bitrate > 0;
  const int64_t audio_bitrate = s.has_audio ? kAudioBitrate : 0;

  auto add_rung = [&](int target_short, int64_t cap) {
    Rung r;
    const int rung_short = EvenWithin(target_short, short_side);
    const int rung_long =
        EvenWithin(static_cast<double>(rung_short) * long_side / short_side, long_side);
    r.name = std::to_string(target_short) + "p";
    r.width = portrait ? rung_short : rung_long;
    r.height = portrait ? rung_long : rung_short;
    r.video_bitrate = cap;
    r.audio_bitrate = audio_bitrate;
    r.copy = copyable_source && r.width == display_w && r.height == display_h &&
             s.video_bitrate * 2 <= cap * 3;
    // A copied stream is only bounded by the source's own rate, which may exceed the cap.
    r.bandwidth = Bandwidth(r.copy ? std::max(cap, s.video_bitrate) : cap, audio_bitrate);
    plan.hls.push_back(std::move(r));
  };
  for (const LadderStep& step : kLadder) {
    if (step.short_side <= short_side) add_rung(step.short_side, step.cap);
  }
  if (plan.hls.empty()) add_rung(short_side - short_side % 2, kLadder.back().cap);

  auto it = std::find_if(plan.hls.begin(), plan.hls.end(),
                         [](const Rung& r) { return r.name == "720p"; });
  plan.mp4 = it != plan.hls.end() ? *it : plan.hls.front();
  return plan;
}

}  // namespace kinora::media
