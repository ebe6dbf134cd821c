#include "kinora/media/hls_playlist.h"

#include <cmath>
#include <cstdio>

namespace kinora::media {
namespace {

// Decimal with up to 3 places and no trailing zeros ("4.004", "30", "29.97").
std::string Decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string MasterPlaylist(const std::vector<Variant>& variants) {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const Variant& v : variants) {
    out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(v.rung.bandwidth);
    out += ",RESOLUTION=" + std::to_string(v.rung.width) + "x" + std::to_string(v.rung.height);
    out += ",CODECS=\"" + v.codecs + "\"";
    if (v.frame_rate > 0) out += ",FRAME-RATE=" + Decimal(v.frame_rate);
    out += "\n" + v.uri + "\n";
  }
  return out;
}

std::string MediaPlaylist(const std::string& init_uri, const std::vector<Segment>& segments) {
  double longest = 0;
  for (const Segment& s : segments) longest = std::max(longest, s.duration);
  // RFC 8216: each segment duration, rounded to the nearest integer, must be <= TARGETDURATION.
  long target = std::max(1L, std::lround(longest + 0.4999));
  std::string out = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + std::to_string(target) +
                    "\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                    "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"" +
                    init_uri + "\"\n";
  for (const Segment& s : segments) out += "#EXTINF:" + Decimal(s.duration) + ",\n" + s.uri + "\n";
  out += "#EXT-X-ENDLIST\n";
  return out;
}

}  // namespace kinora::media
