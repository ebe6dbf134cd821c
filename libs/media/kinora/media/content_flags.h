// The flags a person can act on, derived from a content analysis (docs/content-analysis.md):
// every threshold lives in kFlagRules, the one table the docs' flag list describes.
// Thread safety: pure functions over constant tables.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "kinora/media/content_analysis.h"

namespace kinora::media {

struct FlagRule {
  std::string_view code;
  std::string_view severity;  // warning | info
  double threshold;           // in the unit the code's rule reads (LUFS, dBTP, seconds, share)
};

// too_quiet: integrated below (LUFS); too_loud: integrated above (LUFS); clipping: true peak
// above (dBTP); black_start / black_end: a black segment touching the start / end at least
// this long (s); black: any other black segment at least (s); frozen: a frozen segment at least
// (s); silent: silent share of the duration at least (0..1); no_audio: no audio track;
// poor_rung: an encoded rung's SSIM below.
inline constexpr FlagRule kFlagRules[] = {
    {"too_quiet", "warning", -24.0}, {"too_loud", "warning", -9.0}, {"clipping", "warning", -1.0},
    {"black_start", "warning", 1.0}, {"black_end", "warning", 1.0}, {"black", "warning", 2.0},
    {"frozen", "warning", 2.0},      {"silent", "warning", 0.25},   {"no_audio", "info", 0.0},
    {"poor_rung", "warning", 0.90},
};

// Every flag code, in the table's order (what the library filter accepts).
std::vector<std::string_view> FlagCodes();

// The flags of `a` (its measures filled; has_audio: the video has an audio track).
std::vector<ContentFlag> DeriveFlags(const ContentAnalysis& a, bool has_audio);

}  // namespace kinora::media
