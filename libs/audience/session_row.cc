#include "session_row.h"

#include <array>
#include <string_view>

namespace kinora::audience::internal {
namespace {

// In the order of SessionParams() and SessionFromRow(); view_id first.
constexpr std::array<std::string_view, 50> kColumns = {"view_id",
                                                       "video_id",
                                                       "started_at",
                                                       "last_seen_at",
                                                       "finalised_at",
                                                       "max_seq",
                                                       "last_t_ms",
                                                       "duration_ms",
                                                       "credited_ms",
                                                       "covered",
                                                       "viewed_ppm",
                                                       "first_frame",
                                                       "startup_ms",
                                                       "stalls",
                                                       "stall_ms",
                                                       "seeks",
                                                       "pauses",
                                                       "rendition_switches",
                                                       "bytes",
                                                       "download_ms",
                                                       "height",
                                                       "bitrate",
                                                       "element_height",
                                                       "nominal_bits",
                                                       "bitrate_watch_ms",
                                                       "upscaled_ms",
                                                       "sized_watch_ms",
                                                       "errors",
                                                       "error_code",
                                                       "error_message",
                                                       "autoplay",
                                                       "ended",
                                                       "viewend",
                                                       "completed",
                                                       "qualified",
                                                       "counted",
                                                       "bot",
                                                       "owner",
                                                       "implausible",
                                                       "dnt",
                                                       "viewer_key",
                                                       "surface",
                                                       "embed_host",
                                                       "referrer_host",
                                                       "country",
                                                       "device",
                                                       "browser",
                                                       "os",
                                                       "last_minute",
                                                       "exited_before_start"};

std::string ColumnList() {
  std::string out;
  for (auto c : kColumns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

std::string Placeholders() {
  std::string out;
  for (size_t i = 1; i <= kColumns.size(); ++i) {
    if (i > 1) out += ", ";
    out += "$" + std::to_string(i);
  }
  return out;
}

int64_t Bit(bool b) { return b ? 1 : 0; }

}  // namespace

int SessionColumnCount() { return static_cast<int>(kColumns.size()); }

const std::string& SelectSessionSql(bool lock) {
  static const std::string kPlain =
      "SELECT " + ColumnList() + " FROM view_sessions WHERE view_id = $1";
  static const std::string kLocked = kPlain + " FOR UPDATE";
  return lock ? kLocked : kPlain;
}

const std::string& InsertSessionSql() {
  static const std::string kSql = "INSERT INTO view_sessions (" + ColumnList() + ") VALUES (" +
                                  Placeholders() + ") ON CONFLICT (view_id) DO NOTHING";
  return kSql;
}

const std::string& UpdateSessionSql() {
  static const std::string kSql = [] {
    std::string s = "UPDATE view_sessions SET ";
    for (size_t i = 1; i < kColumns.size(); ++i) {
      if (i > 1) s += ", ";
      s += std::string(kColumns[i]) + " = $" + std::to_string(i + 1);
    }
    return s + " WHERE view_id = $1";
  }();
  return kSql;
}

SqlParams SessionParams(const ViewSession& s) {
  return SqlParams{s.view_id,
                   s.video_id,
                   s.started_at,
                   s.last_seen_at,
                   s.finalised_at,
                   s.max_seq,
                   s.last_t_ms,
                   s.duration_ms,
                   s.credited_ms,
                   EncodeRanges(s.covered),
                   s.viewed_ppm,
                   Bit(s.first_frame),
                   s.startup_ms,
                   s.stalls,
                   s.stall_ms,
                   s.seeks,
                   s.pauses,
                   s.rendition_switches,
                   s.bytes,
                   s.download_ms,
                   s.height,
                   s.bitrate,
                   s.element_height,
                   s.nominal_bits,
                   s.bitrate_watch_ms,
                   s.upscaled_ms,
                   s.sized_watch_ms,
                   s.errors,
                   s.error_code,
                   s.error_message,
                   Bit(s.autoplay),
                   Bit(s.ended),
                   Bit(s.viewend),
                   Bit(s.completed),
                   Bit(s.qualified),
                   Bit(s.counted),
                   Bit(s.bot),
                   Bit(s.owner),
                   Bit(s.implausible),
                   Bit(s.dnt),
                   s.viewer_key,
                   std::string(ToString(s.surface)),
                   s.embed_host,
                   s.referrer_host,
                   s.country,
                   s.device,
                   s.browser,
                   s.os,
                   s.last_minute,
                   Bit(s.exited_before_start)};
}

ViewSession SessionFromRow(const SqlRows& r, size_t row) {
  ViewSession s;
  int c = 0;
  auto text = [&] { return r.Text(row, c++); };
  auto num = [&] { return r.Int(row, c++); };
  auto flag = [&] { return r.Int(row, c++) != 0; };
  s.view_id = text();
  s.video_id = text();
  s.started_at = num();
  s.last_seen_at = num();
  s.finalised_at = num();
  s.max_seq = num();
  s.last_t_ms = num();
  s.duration_ms = num();
  s.credited_ms = num();
  DecodeRanges(text(), s.covered);
  s.viewed_ppm = num();
  s.first_frame = flag();
  s.startup_ms = num();
  s.stalls = num();
  s.stall_ms = num();
  s.seeks = num();
  s.pauses = num();
  s.rendition_switches = num();
  s.bytes = num();
  s.download_ms = num();
  s.height = num();
  s.bitrate = num();
  s.element_height = num();
  s.nominal_bits = num();
  s.bitrate_watch_ms = num();
  s.upscaled_ms = num();
  s.sized_watch_ms = num();
  s.errors = num();
  s.error_code = text();
  s.error_message = text();
  s.autoplay = flag();
  s.ended = flag();
  s.viewend = flag();
  s.completed = flag();
  s.qualified = flag();
  s.counted = flag();
  s.bot = flag();
  s.owner = flag();
  s.implausible = flag();
  s.dnt = flag();
  s.viewer_key = text();
  s.surface = text() == "embed" ? Surface::kEmbed : Surface::kWatch;
  s.embed_host = text();
  s.referrer_host = text();
  s.country = text();
  s.device = text();
  s.browser = text();
  s.os = text();
  s.last_minute = num();
  s.exited_before_start = flag();
  return s;
}

}  // namespace kinora::audience::internal
