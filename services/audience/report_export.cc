#include "kinora/audience/report_export.h"

#include <cstdio>
#include <memory>

#include "kinora/core/json_text.h"
#include "kinora/core/time.h"

namespace kinora::audience {
namespace {

using reports::SessionRow;

constexpr int kPage = 1000;

// The exported fields, in order: name and how to write it.
struct Field {
  const char* name;
  enum Kind { kText, kInt, kTime, kSeconds, kFraction, kBool } kind;
  std::string SessionRow::*text = nullptr;
  int64_t SessionRow::*number = nullptr;
};

const std::vector<Field>& Fields() {
  using F = Field;
  static const std::vector<Field> kFields = {
      {"view_id", F::kText, &SessionRow::view_id},
      {"video_id", F::kText, &SessionRow::video_id},
      {"started_at", F::kTime, nullptr, &SessionRow::started_at},
      {"last_seen_at", F::kTime, nullptr, &SessionRow::last_seen_at},
      {"finalised_at", F::kTime, nullptr, &SessionRow::finalised_at},
      {"duration_seconds", F::kSeconds, nullptr, &SessionRow::duration_ms},
      {"watch_time_seconds", F::kSeconds, nullptr, &SessionRow::credited_ms},
      {"percentage_viewed", F::kFraction, nullptr, &SessionRow::viewed_ppm},
      {"first_frame", F::kBool, nullptr, &SessionRow::first_frame},
      {"startup_ms", F::kInt, nullptr, &SessionRow::startup_ms},
      {"stalls", F::kInt, nullptr, &SessionRow::stalls},
      {"stall_ms", F::kInt, nullptr, &SessionRow::stall_ms},
      {"seeks", F::kInt, nullptr, &SessionRow::seeks},
      {"pauses", F::kInt, nullptr, &SessionRow::pauses},
      {"rendition_switches", F::kInt, nullptr, &SessionRow::rendition_switches},
      {"bytes", F::kInt, nullptr, &SessionRow::bytes},
      {"height", F::kInt, nullptr, &SessionRow::height},
      {"bitrate", F::kInt, nullptr, &SessionRow::bitrate},
      {"element_height", F::kInt, nullptr, &SessionRow::element_height},
      {"errors", F::kInt, nullptr, &SessionRow::errors},
      {"error_code", F::kText, &SessionRow::error_code},
      {"ended", F::kBool, nullptr, &SessionRow::ended},
      {"completed", F::kBool, nullptr, &SessionRow::completed},
      {"qualified", F::kBool, nullptr, &SessionRow::qualified},
      {"counted", F::kBool, nullptr, &SessionRow::counted},
      {"exited_before_start", F::kBool, nullptr, &SessionRow::exited_before_start},
      {"bot", F::kBool, nullptr, &SessionRow::bot},
      {"owner", F::kBool, nullptr, &SessionRow::owner},
      {"implausible", F::kBool, nullptr, &SessionRow::implausible},
      {"dnt", F::kBool, nullptr, &SessionRow::dnt},
      {"surface", F::kText, &SessionRow::surface},
      {"embed_host", F::kText, &SessionRow::embed_host},
      {"referrer_host", F::kText, &SessionRow::referrer_host},
      {"country", F::kText, &SessionRow::country},
      {"device", F::kText, &SessionRow::device},
      {"browser", F::kText, &SessionRow::browser},
      {"os", F::kText, &SessionRow::os},
  };
  return kFields;
}

std::string TimeText(int64_t ms) {
  if (ms <= 0) return {};
  return FormatIso8601(SysTime{std::chrono::milliseconds{ms}}, /*millis=*/true);
}

void AppendCsvText(std::string& out, std::string_view s) {
  // Quote every text field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not
  // run it as a formula (CSV injection).
  out += '"';
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendNumber(std::string& out, double d) { AppendJsonNumber(out, d); }

}  // namespace

std::string CsvHeader() {
  std::string out;
  for (const Field& f : Fields()) {
    if (!out.empty()) out += ',';
    out += f.name;
  }
  return out + "\r\n";
}

void AppendCsv(std::string& out, const SessionRow& s) {
  bool first = true;
  for (const Field& f : Fields()) {
    if (!first) out += ',';
    first = false;
    switch (f.kind) {
      case Field::kText:
        AppendCsvText(out, s.*f.text);
        break;
      case Field::kTime:
        out += TimeText(s.*f.number);
        break;
      case Field::kInt:
        out += std::to_string(s.*f.number);
        break;
      case Field::kBool:
        out += s.*f.number ? "true" : "false";
        break;
      case Field::kSeconds:
        AppendNumber(out, static_cast<double>(s.*f.number) / 1000.0);
        break;
      case Field::kFraction:
        AppendNumber(out, static_cast<double>(s.*f.number) / 1e6);
        break;
    }
  }
  out += "\r\n";
}

void AppendNdjson(std::string& out, const SessionRow& s) {
  out += '{';
  bool first = true;
  for (const Field& f : Fields()) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, f.name);
    out += ':';
    switch (f.kind) {
      case Field::kText:
        AppendJsonString(out, s.*f.text);
        break;
      case Field::kTime: {
        const std::string t = TimeText(s.*f.number);
        if (t.empty()) {
          out += "null";
        } else {
          AppendJsonString(out, t);
        }
        break;
      }
      case Field::kInt:
        out += std::to_string(s.*f.number);
        break;
      case Field::kBool:
        out += s.*f.number ? "true" : "false";
        break;
      case Field::kSeconds:
        AppendNumber(out, static_cast<double>(s.*f.number) / 1000.0);
        break;
      case Field::kFraction:
        AppendNumber(out, static_cast<double>(s.*f.number) / 1e6);
        break;
    }
  }
  out += "}\n";
}

Result<http::Response> ExportSessions(reports::ReportStore& store, const reports::Scope& scope,
                                      const reports::TimeRange& range, ExportFormat format) {
  std::shared_ptr<std::FILE> file(std::tmpfile(), [](std::FILE* f) {
    if (f) std::fclose(f);
  });
  if (!file) return Unavailable("cannot create a temporary file for the export");
  uint64_t length = 0;
  std::string chunk;
  auto flush = [&]() -> Result<void> {
    if (!chunk.empty() && std::fwrite(chunk.data(), 1, chunk.size(), file.get()) != chunk.size()) {
      return InsufficientStorage("cannot write the export's temporary file");
    }
    length += chunk.size();
    chunk.clear();
    return {};
  };
  if (format == ExportFormat::kCsv) chunk = CsvHeader();
  std::optional<reports::ExportCursor> after;
  for (;;) {
    KINORA_TRY(auto rows, store.Sessions(scope, range, after, kPage));
    for (const SessionRow& s : rows) {
      if (format == ExportFormat::kCsv) {
        AppendCsv(chunk, s);
      } else {
        AppendNdjson(chunk, s);
      }
    }
    KINORA_TRY_VOID(flush());
    if (rows.size() < static_cast<size_t>(kPage)) break;
    after = reports::ExportCursor{rows.back().started_at, rows.back().view_id};
  }
  if (std::fflush(file.get()) != 0 || std::fseek(file.get(), 0, SEEK_SET) != 0) {
    return InsufficientStorage("cannot rewind the export's temporary file");
  }
  http::Response res;
  const bool csv = format == ExportFormat::kCsv;
  res.Set(http::bhttp::field::content_type,
          csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
  res.Set(http::bhttp::field::content_disposition,
          csv ? "attachment; filename=\"view-sessions.csv\""
              : "attachment; filename=\"view-sessions.ndjson\"");
  res.Set(http::bhttp::field::cache_control, "no-store");
  http::StreamBody body;
  body.length = length;
  body.read = [file](std::span<char> buf) -> Result<size_t> {
    const size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
    if (n == 0 && std::ferror(file.get())) return Internal("export temporary file read failed");
    return n;
  };
  res.stream = std::move(body);
  return res;
}

}  // namespace kinora::audience
