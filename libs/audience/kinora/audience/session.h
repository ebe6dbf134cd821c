// A view session as the rules see it: one row of view_sessions (kinora/audience/schema.h has
// every column's meaning and unit), as plain values. The store reads and writes it; the rules
// (session_rules.h) change it.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kinora/audience/beacon.h"

namespace kinora::audience {

// What the request says about the viewer, fixed when the session is created.
struct ViewerFacts {
  std::string viewer_key;  // 32 hex chars; empty for DNT/GPC
  bool dnt = false;        // DNT: 1 or Sec-GPC: 1: nothing below the country is kept
  bool bot = false;
  bool owner = false;  // the signed-in caller owns the video
  std::string country, device, browser, os;
};

struct ViewSession {
  std::string view_id;
  std::string video_id;
  int64_t started_at = 0;
  int64_t last_seen_at = 0;
  int64_t finalised_at = 0;
  int64_t max_seq = -1;
  int64_t last_t_ms = 0;
  int64_t duration_ms = 0;
  int64_t credited_ms = 0;
  std::vector<PlayedRange> covered;  // ascending, disjoint, merged
  int64_t viewed_ppm = 0;
  bool first_frame = false;
  int64_t startup_ms = -1;
  int64_t stalls = 0;
  int64_t stall_ms = 0;
  int64_t seeks = 0;
  int64_t pauses = 0;
  int64_t rendition_switches = 0;
  int64_t bytes = 0;
  int64_t download_ms = 0;
  int64_t height = 0;
  int64_t bitrate = 0;
  int64_t element_height = 0;
  int64_t nominal_bits = 0;
  int64_t bitrate_watch_ms = 0;
  int64_t upscaled_ms = 0;
  int64_t sized_watch_ms = 0;
  int64_t errors = 0;
  std::string error_code;
  std::string error_message;
  bool autoplay = false;
  bool ended = false;
  bool viewend = false;
  bool completed = false;
  bool qualified = false;
  bool counted = false;
  bool bot = false;
  bool owner = false;
  bool implausible = false;
  bool dnt = false;
  std::string viewer_key;
  Surface surface = Surface::kWatch;
  std::string embed_host;
  std::string referrer_host;
  std::string country, device, browser, os;
  int64_t last_minute = 0;
  bool exited_before_start = false;

  // Whether the view is left out of every rollup (stored and flagged only).
  bool excluded() const { return bot || owner; }
};

// "startMs-endMs,…" and back; Decode refuses (empty result, false) anything else.
std::string EncodeRanges(const std::vector<PlayedRange>& ranges);
bool DecodeRanges(std::string_view text, std::vector<PlayedRange>& out);

}  // namespace kinora::audience
