// The processing pipeline: one pass over a source file that produces every web output — an HLS
// ladder of fMP4 variants with aligned key frames and a master playlist, a progressive
// +faststart MP4, and the card thumbnail and poster. The source is decoded once; its frames are
// turned upright at one constant rate, then each rung scales and encodes them on its own
// thread; the MP4 reuses its rung's packets, and audio is encoded once for every output. A rung
// the source already satisfies (H.264 4:2:0 within the rung's caps) is copied, not re-encoded.
// Thread safety: Transcode may run concurrently on different outputs; it starts its own threads.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/content_analysis.h"
#include "kinora/media/ladder.h"
#include "kinora/media/probe.h"
#include "kinora/media/thumbnail.h"

namespace kinora::media {

// Files a transcode writes, relative to its output directory.
inline constexpr const char* kMasterPlaylistFile = "hls/master.m3u8";
inline constexpr const char* kMp4File = "video.mp4";
inline constexpr const char* kThumbnailFile = "thumbnail.jpg";  // the 320x180 card
inline constexpr const char* kPosterFile = "poster.jpg";

struct TranscodeOptions {
  std::string x264_preset = "veryfast";
  int crf = 23;
  int64_t audio_bitrate = 128000;
  bool allow_copy = true;
  // Measure the content in the same pass and write analysis.json and the storyboard
  // (content_analysis.h). A failing analysis step never fails the transcode.
  bool analyze = true;
  // Replaces the picture detectors' filter chain (video_analyzer.cc); tests use it to make an
  // analysis step fail.
  std::string video_detectors;
  ThumbnailOptions thumbnails;
  // What the source may be (input_policy.h): checked on the probe, enforced by the decoders
  // (pixels) and on the content actually decoded (duration).
  MediaLimits limits;
  // Called from the pipeline's thread with the share of the source done (0..1), at most every
  // percent.
  std::function<void(double)> on_progress;
};

struct RenditionResult {
  Rung rung;
  std::string codecs;    // the master playlist's CODECS attribute
  std::string playlist;  // relative path of its media playlist: "hls/720p/index.m3u8"
  int segments = 0;
  double duration_seconds = 0;  // sum of the playlist's segment durations
};

struct TranscodeReport {
  ProbeResult probe;
  int display_width = 0, display_height = 0;  // rotation applied, square pixels
  double fps = 0;                             // the outputs' constant frame rate
  std::vector<RenditionResult> renditions;    // tallest first
  Rung mp4;                                   // the MP4's size; mp4.copy when remuxed
  bool audio_copy = false;                    // the source's AAC-LC 48 kHz stereo carried as it is
  int64_t frames_decoded = 0;
  double gaps_closed_seconds = 0;  // timestamp gaps taken out (probe.duration_seconds is after)
  double thumbnail_seconds = 0;    // where the thumbnail frame was taken from
  int poster_width = 0, poster_height = 0;
  ContentSummary content;       // the analysis' digest (analysis.json has the whole of it)
  double analysis_seconds = 0;  // writing the analysis and storyboard after the pass
  double wall_seconds = 0, cpu_seconds = 0;
  std::vector<std::string> files;  // every file written, relative to the output directory
};

// Runs the pipeline on a local file into out_dir (created if missing; existing outputs are
// overwritten). Errors: kUnsupported with a reason a person can act on for input that cannot be
// processed ("the video stream has no frames", "the file is truncated: its video stops at
// 2.1 s of 4.0 s", "the video stream is corrupt: …"); kUnavailable for I/O failures;
// kInternal for bugs and missing encoders.
Result<TranscodeReport> Transcode(const std::filesystem::path& input,
                                  const std::filesystem::path& out_dir,
                                  const TranscodeOptions& o = {});

boost::json::object ToJson(const TranscodeReport& r);
Result<TranscodeReport> TranscodeReportFromJson(const boost::json::object& o);

}  // namespace kinora::media
