// What the decode pass measures about a video's content (docs/content-analysis.md): scene cuts,
// black, frozen and silent segments, loudness, waveform, complexity, storyboard, encode quality,
// and the flags a person can act on. ContentAnalysis is processed/{id}/analysis.json;
// ContentSummary is its digest kept in the catalog (the video document's `analysis` field).
// Thread safety: plain values and pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::media {

inline constexpr int kAnalysisVersion = 1;
inline constexpr const char* kAnalysisFile = "analysis.json";
inline constexpr const char* kStoryboardDir = "storyboard";
inline constexpr const char* kStoryboardVtt = "storyboard/storyboard.vtt";

struct TimeSpan {
  double start = 0, end = 0;  // seconds
};

struct SceneCut {
  double time = 0;   // the first frame of the new scene
  double score = 0;  // scdet's 0..100
};

struct Loudness {
  double integrated_lufs = 0, range_lu = 0, true_peak_dbtp = 0;
};

struct Waveform {
  double interval_seconds = 0.1;
  std::vector<float> peak, rms;  // linear 0..1, one per interval
};

struct Complexity {
  double si_mean = 0, si_max = 0, ti_mean = 0, ti_max = 0;
};

struct Storyboard {
  double interval_seconds = 1;
  int tile_width = 0, tile_height = 0, columns = 10, rows = 10, tiles = 0;
  std::vector<std::string> sprites;  // relative to the output directory
};

struct RungQuality {
  std::string rung;  // "720p"
  bool copied = false;
  double ssim = 1;
  std::optional<double> psnr_db;  // null when copied (or identical)
  int frames = 0;                 // frames compared
};

struct ContentFlag {
  std::string code;  // content_flags.h
  std::string severity;
  std::optional<double> start, end;
  std::string message;
};

struct ContentAnalysis {
  bool complete = true;
  std::vector<std::string> incomplete;  // "loudness: …" per failed step
  double duration_seconds = 0;
  std::vector<SceneCut> scenes;
  std::vector<TimeSpan> black, freeze, silence;
  std::optional<Loudness> loudness;  // none without audio
  std::optional<Waveform> waveform;
  std::optional<Complexity> complexity;
  std::optional<Storyboard> storyboard;
  std::vector<RungQuality> quality;
  std::vector<ContentFlag> flags;
};

// The catalog's digest.
struct ContentSummary {
  std::string status = "none";  // complete | incomplete | none
  std::optional<double> integrated_lufs, true_peak_dbtp;
  int scene_count = 0;
  double black_seconds = 0, frozen_seconds = 0, silent_seconds = 0;
  std::vector<std::string> flags;  // codes
};

ContentSummary Summarize(const ContentAnalysis& a);

boost::json::object ToJson(const ContentAnalysis& a);
Result<ContentAnalysis> ContentAnalysisFromJson(const boost::json::object& o);
boost::json::object ToJson(const ContentSummary& s);
Result<ContentSummary> ContentSummaryFromJson(const boost::json::object& o);

}  // namespace kinora::media
