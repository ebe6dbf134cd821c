// Probing media containers with libavformat: what a file is (container, streams, duration,
// size, frame rate, codecs, rotation). The upload-time probe works on a bounded head and tail
// of the upload held in memory, so nothing has to be stored before the file is known good.
// Thread safety: functions are safe to call concurrently (each call owns its libav contexts).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/media/input_policy.h"

namespace kinora::media {

struct ProbeResult {
  std::string container;        // libavformat's short name: "mov,mp4,m4a,3gp,3g2,mj2"
  double duration_seconds = 0;  // 0 if unknown
  int64_t bitrate = 0;          // bits/s, 0 if unknown
  // First video stream.
  std::string video_codec;
  int width = 0;
  int height = 0;
  double fps = 0;
  int rotation = 0;                  // display rotation in degrees (0, 90, 180, 270)
  int sar_num = 1, sar_den = 1;      // sample aspect ratio (1:1 when unknown)
  bool variable_frame_rate = false;  // timestamps do not follow one constant rate
  std::string pixel_format;
  int bit_depth = 0;          // bits per luma sample: 8, 10, 12
  int64_t video_bitrate = 0;  // bits/s, 0 if unknown
  // First audio stream (empty codec when none).
  std::string audio_codec;
  int sample_rate = 0;
  int channels = 0;
  int64_t audio_bitrate = 0;  // bits/s, 0 if unknown
};

// The probe as JSON (the `probe` object of a video): every field above, sample_aspect_ratio as
// "num:den".
boost::json::object ToJson(const ProbeResult& p);

// Probes a file of total_size bytes of which only `head` (its first bytes) and `tail` (its
// last bytes) are available; reads outside them fail, as on a truncated file. Only accepted
// containers are opened and the result must pass `limits` (input_policy.h). Errors:
// kUnsupported with a human-readable reason ("not a recognised video container", "no video
// stream", "the video is 16000x16000 …"). Hostile input may still make libav allocate up to the
// pixel limit's worth of memory: run it where that cannot hurt (the uploader's probe child).
Result<ProbeResult> ProbeHeadTail(std::string_view head, std::string_view tail, uint64_t total_size,
                                  const MediaLimits& limits = {});

// Probes a whole local file (bounded probe sizes as well). Same errors as ProbeHeadTail.
Result<ProbeResult> ProbeFile(const std::filesystem::path& path, const MediaLimits& limits = {});

// The probe a ToJson document describes (missing fields left at their defaults).
ProbeResult ProbeFromJson(const boost::json::object& o);

// Routes libav's own log output into Kinora's JSON log (at debug level). Call once at start.
void InstallLibavLogging();

}  // namespace kinora::media
