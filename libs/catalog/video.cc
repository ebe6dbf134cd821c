#include "kinora/catalog/video.h"

#include <algorithm>
#include <bitset>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <type_traits>
#include <variant>

#include "columns.h"
#include "kinora/core/json_text.h"

namespace kinora::catalog {
namespace json = boost::json;

std::string_view ToString(VideoStatus s) {
  switch (s) {
    case VideoStatus::kUploaded:
      return "UPLOADED";
    case VideoStatus::kProcessing:
      return "PROCESSING";
    case VideoStatus::kProcessed:
      return "PROCESSED";
    case VideoStatus::kFailed:
      return "FAILED";
  }
  return "UPLOADED";
}

std::optional<VideoStatus> ParseVideoStatus(std::string_view s) {
  std::string upper(s);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (auto st : {VideoStatus::kUploaded, VideoStatus::kProcessing, VideoStatus::kProcessed,
                  VideoStatus::kFailed}) {
    if (upper == ToString(st)) return st;
  }
  return std::nullopt;
}

std::string FlagToken(std::string_view code) { return "," + std::string(code) + ","; }

void SetAnalysis(VideoRecord& v, const json::object& summary) {
  v.analysis_json = ToJsonText(summary);
  v.analysis_flags.clear();
  if (const json::value* flags = summary.if_contains("flags"); flags && flags->is_array()) {
    for (const json::value& f : flags->get_array()) {
      if (!f.is_string() || f.get_string().empty()) continue;
      v.analysis_flags += v.analysis_flags.empty() ? "," : "";
      v.analysis_flags += std::string_view(f.get_string());
      v.analysis_flags += ',';
    }
  }
}

double Engagement(const VideoRecord& v) {
  return static_cast<double>(v.likes) / static_cast<double>(std::max<int64_t>(v.views, 1));
}

namespace {

// The seed's runtime: whole seconds (rounded down), 0 while unknown.
int64_t RuntimeSeconds(const std::optional<double>& d) {
  return d && std::isfinite(*d) && *d >= 0 ? static_cast<int64_t>(std::floor(*d)) : 0;
}

int64_t EpochSeconds(SysTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

// A stored JSON array or object; anything else degrades to an empty one of that kind.
json::value ParseStored(const std::string& text, bool array) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || (array ? !v.is_array() : !v.is_object())) {
    return array ? json::value(json::array()) : json::value(json::object());
  }
  return v;
}

Error Invalid(std::string_view field, std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "video json: field '" + std::string(field) + "' " + std::string(what));
}

// Each reader leaves `out` untouched when the field is missing or null, and fails on a wrong
// type, so FromJson tolerates partial documents but never silently misreads one.
Result<bool> ReadString(const json::object& o, std::string_view key, std::string& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (!v->is_string()) return Invalid(key, "must be a string");
  out = std::string(v->as_string());
  return true;
}

template <class T>
Result<bool> ReadNumber(const json::object& o, std::string_view key, T& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (!v->is_number()) return Invalid(key, "must be a number");
  boost::system::error_code ec;
  T n = v->to_number<T>(ec);
  if (ec) return Invalid(key, "is out of range");
  out = n;
  return true;
}

template <class T>
Result<bool> ReadOptional(const json::object& o, std::string_view key, std::optional<T>& out) {
  T n{};
  KINORA_TRY(bool found, ReadNumber(o, key, n));
  out = found ? std::optional<T>(n) : std::nullopt;
  return found;
}

// A time the seed wrote as integer epoch seconds, or Kinora (before the seed's types came
// back) as ISO-8601 text: either is read.
Result<bool> ReadSecondsOrTime(const json::object& o, std::string_view key, SysTime& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return false;
  if (v->is_string()) {
    auto t = ParseIso8601(v->get_string());
    if (!t) return Invalid(key, "is not epoch seconds or an ISO-8601 time");
    out = *t;
    return true;
  }
  double seconds = 0;
  KINORA_TRY_VOID(ReadNumber(o, key, seconds));
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e11) {
    return Invalid(key, "is not a time in epoch seconds");
  }
  out = SysTime{std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)))};
  return true;
}

Result<bool> ReadTime(const json::object& o, std::string_view key, SysTime& out) {
  std::string s;
  KINORA_TRY(bool found, ReadString(o, key, s));
  if (!found) return false;
  auto t = ParseIso8601(s);
  if (!t) return Invalid(key, "is not an ISO-8601 time");
  out = *t;
  return true;
}

using internal::Column;
using internal::JsonForm;
using internal::kColumns;

// --- Writing ------------------------------------------------------------------------------------

template <class Sink>
void WriteValue(Sink& s, const Column& c, const std::string& x) {
  switch (c.json_form) {
    case JsonForm::kArray:
    case JsonForm::kObject:
      s.Stored(c.json, x, c.json_form == JsonForm::kArray);
      return;
    case JsonForm::kNullIfEmpty:
      if (x.empty()) {
        s.Null(c.json);
        return;
      }
      break;
    case JsonForm::kNone:
    case JsonForm::kValue:
      break;
  }
  s.String(c.json, x);
}
template <class Sink>
void WriteValue(Sink& s, const Column& c, VideoStatus x) {
  s.String(c.json, ToString(x));
}
template <class Sink>
void WriteValue(Sink& s, const Column& c, int64_t x) {
  s.Int(c.json, x);
}
template <class Sink>
void WriteValue(Sink& s, const Column& c, int x) {
  s.Int(c.json, x);
}
template <class Sink>
void WriteValue(Sink& s, const Column& c, double x) {
  s.Double(c.json, x);
}
template <class Sink>
void WriteValue(Sink& s, const Column& c, SysTime x) {
  s.String(c.json, FormatIso8601(x, true));
}
template <class Sink, class T>
void WriteValue(Sink& s, const Column& c, const std::optional<T>& x) {
  if (x) {
    WriteValue(s, c, *x);
  } else {
    s.Null(c.json);
  }
}

// Column c's own field, as the table describes it.
template <class Sink>
void WriteColumnField(Sink& s, const Column& c, const VideoRecord& v) {
  std::visit(
      [&](auto field) {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          WriteValue(s, c, v.*field);
        }
      },
      c.field);
}

using internal::IndexOf;

// What the table leaves to this file: fields with no column of their own (the seed's aliases,
// derived values, the API layer's URLs), each written just before or after the column it belongs
// with, and the columns without a JSON form (WriteByHand).
template <class Sink>
void WriteBefore(Sink& s, size_t column, const VideoRecord& v) {
  switch (column) {
    case IndexOf(&VideoRecord::original_filename):
      // The seed's filename is the name as uploaded; "{id}.{ext}" only when none was given.
      if (!v.original_filename.empty()) {
        s.String("filename", v.original_filename);
      } else {
        s.String("filename",
                 v.file_extension.empty() ? v.video_id : v.video_id + "." + v.file_extension);
      }
      break;
    case IndexOf(&VideoRecord::video_key):
      s.String("s3_key", v.video_key);
      break;
    case IndexOf(&VideoRecord::uploaded_at):
      s.Int("timestamp", EpochSeconds(v.uploaded_at));  // the seed's type; ISO: uploaded_at
      break;
  }
}

template <class Sink>
void WriteByHand(Sink& s, size_t column, const VideoRecord& v) {
  switch (column) {
    case IndexOf(&Engagement):
      s.Double("engagement", std::round(Engagement(v) * 10000.0) / 10000.0);
      break;
    case IndexOf(&VideoRecord::duration_seconds):
      s.Int("runtime", RuntimeSeconds(v.duration_seconds));
      if (const auto& d = v.duration_seconds; d && std::isfinite(*d) && *d >= 0) {
        s.Double("duration_seconds", *d);
      } else {
        s.Null("duration_seconds");
      }
      break;
  }
}

template <class Sink>
void WriteAfter(Sink& s, size_t column, const VideoRecord& v, const VideoUrls* urls) {
  auto str_or_null = [&](std::string_view name, const std::string& value) {
    if (value.empty()) {
      s.Null(name);
    } else {
      s.String(name, value);
    }
  };
  static const std::string kNone;
  switch (column) {
    case IndexOf(&VideoRecord::size):
      s.Int("file_size", v.size);
      break;
    case IndexOf(&VideoRecord::uploaded_at):
      s.Int("upload_timestamp", EpochSeconds(v.uploaded_at));
      break;
    case IndexOf(&VideoRecord::probe_json):
      str_or_null("processed_url", urls ? urls->processed_url : kNone);
      str_or_null("thumbnail_url", urls ? urls->thumbnail_url : kNone);
      str_or_null("video_url", urls ? urls->video_url : kNone);
      str_or_null("hls_url", urls ? urls->hls_url : kNone);
      str_or_null("poster_url", urls ? urls->poster_url : kNone);
      if (urls) str_or_null("original_url", urls->original_url);
      break;
  }
}

// Every field of a video's public JSON, in order, handed to a sink. Both the tree (ToJson) and
// the text writer (AppendJson) are driven from here, so the two can never disagree.
template <class Sink>
void VisitFields(const VideoRecord& v, const VideoUrls* urls, Sink& s) {
  for (size_t i = 0; i < kColumns.size(); ++i) {
    const Column& c = kColumns[i];
    WriteBefore(s, i, v);
    if (c.json_form == JsonForm::kNone) {
      WriteByHand(s, i, v);
    } else {
      WriteColumnField(s, c, v);
    }
    WriteAfter(s, i, v, urls);
  }
}

struct TreeSink {
  json::object& o;
  void String(std::string_view k, std::string_view v) { o[k] = v; }
  void Null(std::string_view k) { o[k] = nullptr; }
  void Int(std::string_view k, int64_t v) { o[k] = v; }
  void Double(std::string_view k, double v) { o[k] = v; }
  void Stored(std::string_view k, const std::string& text, bool array) {
    o[k] = ParseStored(text, array);
  }
};

struct TextSink {
  std::string& out;
  bool first = true;
  void Key(std::string_view k) {
    out += first ? "{" : ",";
    first = false;
    AppendJsonString(out, k);
    out.push_back(':');
  }
  void String(std::string_view k, std::string_view v) {
    Key(k);
    AppendJsonString(out, v);
  }
  void Null(std::string_view k) {
    Key(k);
    out += "null";
  }
  void Int(std::string_view k, int64_t v) {
    Key(k);
    out += std::to_string(v);
  }
  void Double(std::string_view k, double v) {
    Key(k);
    AppendJsonNumber(out, v);
  }
  void Stored(std::string_view k, const std::string& text, bool array) {
    Key(k);
    // Written by Kinora's own serializer; anything that is not the right kind degrades to an
    // empty one.
    const char open = array ? '[' : '{', close = array ? ']' : '}';
    if (text.size() >= 2 && text.front() == open && text.back() == close)
      out += text;
    else
      out += array ? "[]" : "{}";
  }
};

}  // namespace

json::object ToJson(const VideoRecord& v) { return ToJson(v, nullptr); }

json::object ToJson(const VideoRecord& v, const VideoUrls* urls) {
  json::object o;
  o.reserve(50);
  TreeSink sink{o};
  VisitFields(v, urls, sink);
  return o;
}

void AppendJson(std::string& out, const VideoRecord& v, const VideoUrls* urls) {
  TextSink sink{out};
  VisitFields(v, urls, sink);
  out.push_back('}');
}

namespace {

// --- Reading ------------------------------------------------------------------------------------

Result<bool> ReadValue(const json::object& o, const Column& c, std::string& out) {
  if (c.json_form != JsonForm::kArray && c.json_form != JsonForm::kObject) {
    return ReadString(o, c.json, out);
  }
  const json::value* x = o.if_contains(c.json);
  if (!x || x->is_null()) return false;
  if (c.json_form == JsonForm::kArray && !x->is_array()) return Invalid(c.json, "must be an array");
  if (c.json_form == JsonForm::kObject && !x->is_object()) {
    return Invalid(c.json, "must be an object");
  }
  out = json::serialize(*x);
  return true;
}
Result<bool> ReadValue(const json::object& o, const Column& c, VideoStatus& out) {
  std::string text;
  KINORA_TRY(bool found, ReadString(o, c.json, text));
  if (!found) return false;
  auto st = ParseVideoStatus(text);
  if (!st) return Invalid(c.json, "is not a known status");
  out = *st;
  return true;
}
template <class T>
requires std::is_arithmetic_v<T> Result<bool> ReadValue(const json::object& o, const Column& c,
                                                        T& out) {
  return ReadNumber(o, c.json, out);
}
Result<bool> ReadValue(const json::object& o, const Column& c, std::optional<double>& out) {
  return ReadOptional(o, c.json, out);
}
Result<bool> ReadValue(const json::object& o, const Column& c, SysTime& out) {
  return ReadTime(o, c.json, out);
}
Result<bool> ReadValue(const json::object& o, const Column& c, std::optional<SysTime>& out) {
  SysTime t{};
  KINORA_TRY(bool found, ReadTime(o, c.json, t));
  if (found) out = t;
  return found;
}

// Reads column c's own field; false when it is absent (or null, or c has no JSON form).
Result<bool> ReadColumnField(const json::object& o, const Column& c, VideoRecord& v) {
  if (c.json_form == JsonForm::kNone) return false;
  return std::visit(
      [&](auto field) -> Result<bool> {
        if constexpr (std::is_member_object_pointer_v<decltype(field)>) {
          return ReadValue(o, c, v.*field);
        } else {
          return false;  // derived: never read
        }
      },
      c.field);
}

}  // namespace

Result<VideoRecord> FromJson(const json::object& o) {
  VideoRecord v;
  std::bitset<kColumns.size()> found;
  for (const Column& c : kColumns) {
    KINORA_TRY(bool f, ReadColumnField(o, c, v));
    found[IndexOf(c)] = f;
  }
  // What the table cannot say: required fields, the seed's aliases, values derived from others.
  if (v.video_id.empty()) return Invalid("video_id", "is required");
  if (v.video_key.empty()) KINORA_TRY_VOID(ReadString(o, "s3_key", v.video_key));
  if (v.video_key.empty()) return Invalid("s3_video_key", "is required");
  if (!found[IndexOf(&VideoRecord::file_extension)]) {
    auto dot = v.video_key.rfind('.');
    auto slash = v.video_key.rfind('/');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
      v.file_extension = v.video_key.substr(dot + 1);
    }
  }
  if (!found[IndexOf(&VideoRecord::size)]) KINORA_TRY_VOID(ReadNumber(o, "file_size", v.size));
  // The upload time: Kinora's ISO uploaded_at, else the seed's upload_timestamp or timestamp
  // (integer epoch seconds; ISO text in Kinora's older mirrors).
  if (!found[IndexOf(&VideoRecord::uploaded_at)]) {
    KINORA_TRY(bool t, ReadSecondsOrTime(o, "upload_timestamp", v.uploaded_at));
    if (!t) KINORA_TRY_VOID(ReadSecondsOrTime(o, "timestamp", v.uploaded_at));
  }
  if (!found[IndexOf(&VideoRecord::original_filename)]) {
    KINORA_TRY_VOID(ReadString(o, "filename", v.original_filename));  // the seed's: as uploaded
  }
  KINORA_TRY(bool has_duration, ReadOptional(o, "duration_seconds", v.duration_seconds));
  if (const json::value* r = o.if_contains("runtime"); !has_duration && r && r->is_number()) {
    // The seed's integer seconds (0: not known yet). Kinora's older "m:ss" text is skipped:
    // duration_seconds said it exactly.
    double seconds = 0;
    KINORA_TRY_VOID(ReadNumber(o, "runtime", seconds));
    if (std::isfinite(seconds) && seconds > 0) v.duration_seconds = seconds;
  }
  if (!found[IndexOf(&VideoRecord::thumbnail_key)]) {
    // The seed's mirror names its thumbnail by key ("thumbnails/{id}.jpg") in thumbnail_url.
    std::string url;
    KINORA_TRY_VOID(ReadString(o, "thumbnail_url", url));
    if (url.starts_with("thumbnails/")) v.thumbnail_key = url;
  }
  // Absent in documents written before accounts: the default, "public", stays.
  if (!internal::IsVisibility(v.visibility)) return Invalid("visibility", "is not a visibility");
  if (v.media_generation < 0) return Invalid("media_generation", "must not be negative");
  // The flag column follows from the summary (absent in documents from before the analysis).
  if (found[IndexOf(&VideoRecord::analysis_json)]) {
    SetAnalysis(v, ParseStored(v.analysis_json, /*array=*/false).get_object());
  }
  return v;
}

}  // namespace kinora::catalog
