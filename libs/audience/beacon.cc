#include "kinora/audience/beacon.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cmath>
#include <optional>

#include "kinora/core/ids.h"

namespace kinora::audience {
namespace {

namespace json = boost::json;

// Players report positions a little past the end (rounding, an approximate duration): positions
// up to this much beyond the duration are taken and clipped.
constexpr int64_t kDurationSlackMs = 500;
constexpr double kMaxDurationSeconds = 7 * 24 * 3600.0;
constexpr double kMaxClientMs = 7 * 24 * 3600.0 * 1000;
constexpr int64_t kMaxSeq = 1'000'000'000;
constexpr size_t kMaxHostChars = 253;

struct EventTypeName {
  std::string_view name;
  EventType type;
};
constexpr EventTypeName kEventTypes[] = {
    {"viewstart", EventType::kViewStart}, {"playing", EventType::kPlaying},
    {"pause", EventType::kPause},         {"play", EventType::kPlay},
    {"seek", EventType::kSeek},           {"stall_start", EventType::kStallStart},
    {"stall_end", EventType::kStallEnd},  {"rendition", EventType::kRendition},
    {"error", EventType::kError},         {"heartbeat", EventType::kHeartbeat},
    {"ended", EventType::kEnded},         {"viewend", EventType::kViewEnd},
};

Error Bad(const std::string& where, std::string_view what) {
  return InvalidArgument("beacon " + where + ": " + std::string(what));
}

std::string Seconds(int64_t ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) {
    std::string frac = std::to_string(1000 + ms % 1000).substr(1);
    while (frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s;
}

std::string Fmt(double x) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::optional<double> Number(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) return v->get_double();
  return std::nullopt;
}

// A required number in [lo, hi].
Result<double> NumberIn(const json::object& o, std::string_view key, const std::string& where,
                        double lo, double hi) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return Bad(where, "'" + std::string(key) + "' is required");
  auto n = Number(v);
  if (!n) return Bad(where, "'" + std::string(key) + "' must be a number");
  if (*n < lo || *n > hi) {
    return Bad(where, "'" + std::string(key) + "' must be from " + Fmt(lo) + " to " + Fmt(hi));
  }
  return *n;
}

// An optional non-negative integer-valued field (absent or null: 0).
Result<int64_t> Count(const json::object& o, std::string_view key, const std::string& where,
                      double hi) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return int64_t{0};
  auto n = Number(v);
  if (!n || *n < 0 || *n > hi) {
    return Bad(where, "'" + std::string(key) + "' must be a number from 0 to " +
                          std::to_string(static_cast<int64_t>(hi)));
  }
  return static_cast<int64_t>(std::llround(*n));
}

int64_t Ms(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1000.0)); }

// A content position in seconds, within [0, duration + slack], clipped to the duration.
Result<int64_t> Position(const json::object& o, std::string_view key, const std::string& where,
                         int64_t duration_ms) {
  KINORA_TRY(double s, NumberIn(o, key, where, 0, kMaxDurationSeconds + 1));
  const int64_t ms = Ms(s);
  if (ms > duration_ms + kDurationSlackMs) {
    return Bad(where, "'" + std::string(key) + "' " + Seconds(ms) + " is after the duration " +
                          Seconds(duration_ms));
  }
  return std::min(ms, duration_ms);
}

Result<std::string> OptionalString(const json::object& o, std::string_view key,
                                   const std::string& where, size_t max_chars) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) return Bad(where, "'" + std::string(key) + "' must be a string or null");
  const json::string& s = v->get_string();
  if (s.size() > max_chars) {
    return Bad(where,
               "'" + std::string(key) + "' is longer than " + std::to_string(max_chars) + " bytes");
  }
  return std::string(s);
}

bool IsViewId(std::string_view s) {
  if (s.size() < 16 || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A bare host name as a page's location.host gives it (an optional :port is dropped).
std::optional<std::string> NormaliseHost(std::string_view h) {
  if (h.empty() || h.size() > kMaxHostChars) return std::nullopt;
  std::string out;
  for (char c : h) {
    if (c == ':') break;
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return std::nullopt;
    out += static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Result<std::vector<PlayedRange>> Ranges(const json::object& o, const std::string& where,
                                        int64_t duration_ms) {
  std::vector<PlayedRange> out;
  const json::value* v = o.if_contains("ranges");
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Bad(where, "'ranges' must be an array of [start, end] pairs");
  const json::array& a = v->get_array();
  if (a.size() > kMaxRangesPerHeartbeat) {
    return Bad(where, "more than " + std::to_string(kMaxRangesPerHeartbeat) + " ranges");
  }
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string at = where + ".ranges[" + std::to_string(i) + "]";
    const json::array* pair = a[i].if_array();
    if (!pair || pair->size() != 2) return Bad(at, "must be a [start, end] pair of seconds");
    auto start = Number(&(*pair)[0]);
    auto end = Number(&(*pair)[1]);
    if (!start || !end) return Bad(at, "start and end must be numbers");
    if (*start < 0) return Bad(at, "start is negative");
    if (*end < *start) return Bad(at, "end is before start");
    if (*end > kMaxDurationSeconds + 1) return Bad(at, "end is too large");
    const int64_t s = Ms(*start), e = Ms(*end);
    if (e > duration_ms + kDurationSlackMs) {
      return Bad(at, "end " + Seconds(e) + " is after the duration " + Seconds(duration_ms));
    }
    out.push_back({std::min(s, duration_ms), std::min(e, duration_ms)});
  }
  return out;
}

Result<BeaconEvent> ParseEvent(const json::value& v, const std::string& where,
                               int64_t duration_ms) {
  const json::object* o = v.if_object();
  if (!o) return Bad(where, "must be an object");
  BeaconEvent e;
  const json::value* seq = o->if_contains("seq");
  if (!seq || !(seq->is_int64() || seq->is_uint64()) ||
      (seq->is_int64() && (seq->get_int64() < 0 || seq->get_int64() > kMaxSeq)) ||
      (seq->is_uint64() && seq->get_uint64() > static_cast<uint64_t>(kMaxSeq))) {
    return Bad(where, "'seq' must be an integer from 0 to " + std::to_string(kMaxSeq));
  }
  e.seq = seq->is_int64() ? seq->get_int64() : static_cast<int64_t>(seq->get_uint64());
  const json::value* type = o->if_contains("type");
  if (!type || !type->is_string()) return Bad(where, "'type' must be a string");
  bool known = false;
  for (const auto& t : kEventTypes) {
    if (t.name == type->get_string()) {
      e.type = t.type;
      known = true;
    }
  }
  if (!known) {
    return Bad(where, "unknown event type '" + std::string(type->get_string()).substr(0, 32) + "'");
  }
  KINORA_TRY(double t, NumberIn(*o, "t", where, 0, kMaxClientMs));
  e.t_ms = static_cast<int64_t>(std::llround(t));
  KINORA_TRY(e.playhead_ms, Position(*o, "playhead", where, duration_ms));
  if ((e.seq == 0) != (e.type == EventType::kViewStart)) {
    return Bad(where, "a view's first event (seq 0) is its viewstart, and only it");
  }
  switch (e.type) {
    case EventType::kViewStart:
      if (const json::value* a = o->if_contains("autoplay"); a && !a->is_null()) {
        if (!a->is_bool()) return Bad(where, "'autoplay' must be a boolean");
        e.autoplay = a->get_bool();
      }
      break;
    case EventType::kPlaying: {
      KINORA_TRY(double ms, NumberIn(*o, "startup_ms", where, 0, 600'000));
      e.startup_ms = static_cast<int64_t>(std::llround(ms));
      break;
    }
    case EventType::kSeek: {
      KINORA_TRY(e.from_ms, Position(*o, "from", where, duration_ms));
      KINORA_TRY(e.to_ms, Position(*o, "to", where, duration_ms));
      break;
    }
    case EventType::kStallEnd: {
      KINORA_TRY(double ms, NumberIn(*o, "stall_ms", where, 0, 3'600'000));
      e.stall_ms = static_cast<int64_t>(std::llround(ms));
      break;
    }
    case EventType::kRendition: {
      KINORA_TRY(e.height, Count(*o, "height", where, 16384));
      KINORA_TRY(e.bitrate, Count(*o, "bitrate", where, 1e10));
      break;
    }
    case EventType::kError: {
      const json::value* code = o->if_contains("code");
      if (code && (code->is_int64() || code->is_uint64())) {
        e.error_code = json::serialize(*code);
      } else {
        KINORA_TRY(e.error_code, OptionalString(*o, "code", where, 64));
      }
      KINORA_TRY(e.error_message, OptionalString(*o, "message", where, 4 * kMaxErrorMessageChars));
      if (e.error_message.size() > kMaxErrorMessageChars) {
        // Cut at a UTF-8 character boundary.
        size_t n = kMaxErrorMessageChars;
        while (n > 0 && (static_cast<unsigned char>(e.error_message[n]) & 0xC0) == 0x80) --n;
        e.error_message.resize(n);
      }
      break;
    }
    case EventType::kHeartbeat: {
      KINORA_TRY(e.ranges, Ranges(*o, where, duration_ms));
      KINORA_TRY(e.bytes, Count(*o, "bytes", where, 1e12));
      KINORA_TRY(e.download_ms, Count(*o, "download_ms", where, 3.6e6));
      KINORA_TRY(e.height, Count(*o, "height", where, 16384));
      KINORA_TRY(e.bitrate, Count(*o, "bitrate", where, 1e10));
      KINORA_TRY(e.element_height, Count(*o, "element_height", where, 16384));
      break;
    }
    default:
      break;
  }
  return e;
}

}  // namespace

std::string_view ToString(EventType t) {
  for (const auto& e : kEventTypes)
    if (e.type == t) return e.name;
  return "?";
}

std::string_view ToString(Surface s) { return s == Surface::kEmbed ? "embed" : "watch"; }

std::string HostOfUrl(std::string_view url) {
  if (url.empty() || url.size() > 4096) return "";
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return "";
  const std::string scheme = u->scheme();
  if (scheme != "http" && scheme != "https") return "";
  auto host = NormaliseHost(u->encoded_host());
  return host ? *host : "";
}

Result<Beacon> ParseBeacon(std::string_view body) {
  if (body.size() > kMaxBeaconBytes) {
    return TooLarge("beacon body is larger than " + std::to_string(kMaxBeaconBytes) + " bytes");
  }
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 8;
  json::value doc = json::parse(body, ec, {}, opts);
  if (ec) return InvalidArgument("beacon is not JSON: " + ec.message());
  const json::object* o = doc.if_object();
  if (!o) return InvalidArgument("beacon must be a JSON object");
  const std::string top = "body";

  const json::value* version = o->if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != 1)
    return Bad(top, "'v' must be 1");
  Beacon b;
  const json::value* video = o->if_contains("video_id");
  if (!video || !video->is_string() || !IsUuid(video->get_string()))
    return Bad(top, "'video_id' must be a video id (a UUID)");
  b.video_id = std::string(video->get_string());
  for (char& c : b.video_id)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  const json::value* view = o->if_contains("view_id");
  if (!view || !view->is_string() || !IsViewId(view->get_string()))
    return Bad(top, "'view_id' must be 16 to 64 characters of [A-Za-z0-9_-]");
  b.view_id = std::string(view->get_string());

  const json::value* surface = o->if_contains("surface");
  if (!surface || surface->is_null() ||
      (surface->is_string() && surface->get_string() == "watch")) {
    b.surface = Surface::kWatch;
  } else if (surface->is_string() && surface->get_string() == "embed") {
    b.surface = Surface::kEmbed;
  } else {
    return Bad(top, "'surface' must be \"watch\" or \"embed\"");
  }
  KINORA_TRY(std::string embed_host, OptionalString(*o, "embed_host", top, kMaxHostChars + 6));
  if (!embed_host.empty()) {
    if (b.surface != Surface::kEmbed) return Bad(top, "'embed_host' is only for surface embed");
    auto host = NormaliseHost(embed_host);
    if (!host) return Bad(top, "'embed_host' must be a host name");
    b.embed_host = *host;
  }
  KINORA_TRY(std::string referrer, OptionalString(*o, "referrer", top, 4096));
  b.referrer_host = HostOfUrl(referrer);

  KINORA_TRY(double duration, NumberIn(*o, "duration", top, 0, kMaxDurationSeconds));
  b.duration_ms = Ms(duration);
  if (b.duration_ms <= 0) return Bad(top, "'duration' must be positive");

  const json::value* events = o->if_contains("events");
  if (!events || !events->is_array()) return Bad(top, "'events' must be an array");
  const json::array& list = events->get_array();
  if (list.empty()) return Bad(top, "'events' is empty");
  if (list.size() > kMaxEventsPerBatch) {
    return Bad(top, "more than " + std::to_string(kMaxEventsPerBatch) + " events in one batch");
  }
  b.events.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = "events[" + std::to_string(i) + "]";
    KINORA_TRY(BeaconEvent e, ParseEvent(list[i], where, b.duration_ms));
    if (!b.events.empty()) {
      if (e.seq <= b.events.back().seq) return Bad(where, "'seq' must be above the previous one");
      if (e.t_ms < b.events.back().t_ms) return Bad(where, "'t' is before the previous event's");
    }
    b.events.push_back(std::move(e));
  }
  return b;
}

}  // namespace kinora::audience
