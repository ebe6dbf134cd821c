// The beacon (docs/analytics.md "The beacon"): the batch of playback events one view sends to
// POST /api/analytics/beacon, parsed from untrusted bytes into plain values and validated against
// every rule the doc states. Nothing here knows the database or the clock: a Beacon that parses
// is well-formed; what the server believes of it is decided by session_rules.h.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::audience {

inline constexpr size_t kMaxBeaconBytes = 64 * 1024;
inline constexpr size_t kMaxEventsPerBatch = 100;
inline constexpr size_t kMaxRangesPerHeartbeat = 100;
inline constexpr size_t kMaxErrorMessageChars = 200;

enum class EventType {
  kViewStart,
  kPlaying,
  kPause,
  kPlay,
  kSeek,
  kStallStart,
  kStallEnd,
  kRendition,
  kError,
  kHeartbeat,
  kEnded,
  kViewEnd,
};
std::string_view ToString(EventType t);

enum class Surface { kWatch, kEmbed };
std::string_view ToString(Surface s);

// Content positions and durations are integer milliseconds (the wire's seconds, rounded), so
// the rules add them exactly.
struct PlayedRange {
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // >= start_ms
  friend bool operator==(const PlayedRange&, const PlayedRange&) = default;
};

struct BeaconEvent {
  int64_t seq = 0;
  EventType type = EventType::kHeartbeat;
  int64_t t_ms = 0;         // client ms since the view started
  int64_t playhead_ms = 0;  // content position
  bool autoplay = false;    // viewstart
  int64_t startup_ms = -1;  // playing
  int64_t from_ms = 0;      // seek
  int64_t to_ms = 0;        // seek
  int64_t stall_ms = 0;     // stall_end
  std::string error_code;   // error
  std::string error_message;
  std::vector<PlayedRange> ranges;  // heartbeat
  int64_t bytes = 0;                // heartbeat
  int64_t download_ms = 0;          // heartbeat
  int64_t height = 0;               // heartbeat, rendition: px, 0 unknown
  int64_t bitrate = 0;              // heartbeat, rendition: bit/s, 0 unknown
  int64_t element_height = 0;       // heartbeat: CSS px of the <video> element, 0 unknown
};

struct Beacon {
  std::string video_id;  // a UUID
  std::string view_id;   // 16–64 of [A-Za-z0-9_-]
  Surface surface = Surface::kWatch;
  std::string embed_host;     // embed only; lowercase host, may be empty
  std::string referrer_host;  // the referrer URL's lowercase host; empty if none or unparsable
  int64_t duration_ms = 0;    // the player's idea of the duration, > 0
  std::vector<BeaconEvent> events;  // 1–100, seq strictly increasing, t non-decreasing
};

// Parses a beacon body (JSON, whether sent as application/json or text/plain). kTooLarge for a
// body over kMaxBeaconBytes; kInvalidArgument naming the first problem (e.g.
// "events[3].ranges[0]: end 12.5 is after the duration 10") for anything else malformed.
Result<Beacon> ParseBeacon(std::string_view body);

// The lowercase host of an absolute http(s) URL, or "" when it has none or does not parse.
std::string HostOfUrl(std::string_view url);

}  // namespace kinora::audience
