// HLS playlists (RFC 8216) as text: the master playlist listing the ladder's variants, and a
// media playlist for one variant's fMP4 segments. Pure functions, so the pipeline only has to
// supply what it produced (sizes, durations, file names).
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <vector>

#include "kinora/media/ladder.h"

namespace kinora::media {

struct Variant {
  Rung rung;              // size, BANDWIDTH
  std::string codecs;     // the CODECS attribute, e.g. Plan::codecs_attribute(rung)
  double frame_rate = 0;  // FRAME-RATE attribute (omitted when 0)
  std::string uri;        // relative URI of the variant's media playlist, e.g. "720p/index.m3u8"
};

// #EXTM3U, #EXT-X-VERSION:7, #EXT-X-INDEPENDENT-SEGMENTS, then one #EXT-X-STREAM-INF per variant
// (BANDWIDTH, AVERAGE-BANDWIDTH when known, RESOLUTION, CODECS, FRAME-RATE) tallest first.
std::string MasterPlaylist(const std::vector<Variant>& variants);

struct Segment {
  double duration = 0;  // seconds
  std::string uri;      // relative, e.g. "seg_00001.m4s"
};

// A VOD media playlist for fMP4 segments: TARGETDURATION is the longest segment rounded up
// (as RFC 8216 §4.3.3.1 requires), #EXT-X-MAP names the init segment, #EXT-X-ENDLIST closes it.
std::string MediaPlaylist(const std::string& init_uri, const std::vector<Segment>& segments);

}  // namespace kinora::media
