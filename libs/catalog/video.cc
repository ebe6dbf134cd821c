#include "kinora/catalog/video.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

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

double Engagement(const VideoRecord& v) {
  return static_cast<double>(v.likes) / static_cast<double>(std::max<int64_t>(v.views, 1));
}

namespace {

// "m:ss" below an hour, "h:mm:ss" above; whole seconds, rounded down.
std::string Runtime(double seconds) {
  auto total = static_cast<int64_t>(std::floor(seconds));
  int64_t h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  char buf[48];
  if (h > 0) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m),
                  static_cast<long long>(s));
  }
  return buf;
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

Result<bool> ReadTime(const json::object& o, std::string_view key, SysTime& out) {
  std::string s;
  KINORA_TRY(bool found, ReadString(o, key, s));
  if (!found) return false;
  auto t = ParseIso8601(s);
  if (!t) return Invalid(key, "is not an ISO-8601 time");
  out = *t;
  return true;
}

}  // namespace

namespace {

// Every field of a video's public JSON, in order, handed to a sink. Both the tree (ToJson) and
// the text writer (AppendJson) are driven from here, so the two can never disagree.
template <class Sink>
void VisitFields(const VideoRecord& v, const VideoUrls* urls, Sink& s) {
  auto str_or_null = [&](std::string_view name, const std::string& value) {
    if (value.empty())
      s.Null(name);
    else
      s.String(name, value);
  };
  std::string uploaded = FormatIso8601(v.uploaded_at, true);
  s.String("video_id", v.video_id);
  s.String("title", v.title);
  s.String("description", v.description);
  s.String("filename", v.file_extension.empty() ? v.video_id : v.video_id + "." + v.file_extension);
  s.String("original_filename", v.original_filename);
  s.String("file_extension", v.file_extension);
  s.String("content_type", v.content_type);
  s.Int("size", v.size);
  s.Int("file_size", v.size);
  s.String("s3_bucket", v.bucket);
  s.String("s3_key", v.video_key);
  s.String("s3_video_key", v.video_key);
  s.String("timestamp", uploaded);
  s.String("upload_timestamp", uploaded);
  s.String("status", ToString(v.status));
  str_or_null("error", v.error);
  s.Double("progress", v.progress);
  s.Int("views", v.views);
  s.Int("likes", v.likes);
  s.Double("engagement", std::round(Engagement(v) * 10000.0) / 10000.0);
  bool known = v.duration_seconds && std::isfinite(*v.duration_seconds) && *v.duration_seconds >= 0;
  if (known) {
    s.String("runtime", Runtime(*v.duration_seconds));
    s.Double("duration_seconds", *v.duration_seconds);
  } else {
    s.Null("runtime");
    s.Null("duration_seconds");
  }
  s.Int("width", v.width);
  s.Int("height", v.height);
  s.Double("fps", v.fps);
  str_or_null("container", v.container);
  str_or_null("video_codec", v.video_codec);
  str_or_null("audio_codec", v.audio_codec);
  s.Int("bitrate", v.bitrate);
  s.Stored("renditions", v.renditions_json, true);
  s.Stored("probe", v.probe_json, false);
  static const std::string kNone;
  str_or_null("thumbnail_url", urls ? urls->thumbnail_url : kNone);
  str_or_null("video_url", urls ? urls->video_url : kNone);
  str_or_null("hls_url", urls ? urls->hls_url : kNone);
  str_or_null("poster_url", urls ? urls->poster_url : kNone);
  if (urls) str_or_null("original_url", urls->original_url);
  str_or_null("thumbnail_key", v.thumbnail_key);
  str_or_null("mp4_key", v.mp4_key);
  str_or_null("hls_key", v.hls_key);
  str_or_null("poster_key", v.poster_key);
  if (v.processed_at)
    s.String("processed_timestamp", FormatIso8601(*v.processed_at, true));
  else
    s.Null("processed_timestamp");
  if (v.processing_seconds)
    s.Double("processing_seconds", *v.processing_seconds);
  else
    s.Null("processing_seconds");
  s.Int("processed_bytes", v.processed_bytes);
  s.String("correlation_id", v.correlation_id);
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

Result<VideoRecord> FromJson(const json::object& o) {
  VideoRecord v;
  KINORA_TRY(bool has_id, ReadString(o, "video_id", v.video_id));
  if (!has_id || v.video_id.empty()) return Invalid("video_id", "is required");
  KINORA_TRY(bool has_key, ReadString(o, "s3_video_key", v.video_key));
  if (!has_key || v.video_key.empty()) {
    KINORA_TRY(has_key, ReadString(o, "s3_key", v.video_key));
  }
  if (!has_key || v.video_key.empty()) return Invalid("s3_video_key", "is required");

  KINORA_TRY_VOID(ReadString(o, "title", v.title));
  KINORA_TRY_VOID(ReadString(o, "description", v.description));
  KINORA_TRY_VOID(ReadString(o, "original_filename", v.original_filename));
  KINORA_TRY(bool has_ext, ReadString(o, "file_extension", v.file_extension));
  if (!has_ext) {
    auto dot = v.video_key.rfind('.');
    auto slash = v.video_key.rfind('/');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
      v.file_extension = v.video_key.substr(dot + 1);
    }
  }
  KINORA_TRY_VOID(ReadString(o, "content_type", v.content_type));
  KINORA_TRY(bool has_size, ReadNumber(o, "size", v.size));
  if (!has_size) KINORA_TRY_VOID(ReadNumber(o, "file_size", v.size));
  KINORA_TRY_VOID(ReadString(o, "s3_bucket", v.bucket));
  KINORA_TRY(bool has_time, ReadTime(o, "upload_timestamp", v.uploaded_at));
  if (!has_time) KINORA_TRY_VOID(ReadTime(o, "timestamp", v.uploaded_at));

  std::string status;
  KINORA_TRY(bool has_status, ReadString(o, "status", status));
  if (has_status) {
    auto st = ParseVideoStatus(status);
    if (!st) return Invalid("status", "is not a known status");
    v.status = *st;
  }
  KINORA_TRY_VOID(ReadString(o, "error", v.error));
  KINORA_TRY_VOID(ReadNumber(o, "progress", v.progress));
  KINORA_TRY_VOID(ReadNumber(o, "views", v.views));
  KINORA_TRY_VOID(ReadNumber(o, "likes", v.likes));
  KINORA_TRY_VOID(ReadOptional(o, "duration_seconds", v.duration_seconds));
  KINORA_TRY_VOID(ReadNumber(o, "width", v.width));
  KINORA_TRY_VOID(ReadNumber(o, "height", v.height));
  KINORA_TRY_VOID(ReadNumber(o, "fps", v.fps));
  KINORA_TRY_VOID(ReadString(o, "container", v.container));
  KINORA_TRY_VOID(ReadString(o, "video_codec", v.video_codec));
  KINORA_TRY_VOID(ReadString(o, "audio_codec", v.audio_codec));
  KINORA_TRY_VOID(ReadNumber(o, "bitrate", v.bitrate));
  if (const json::value* r = o.if_contains("renditions"); r && !r->is_null()) {
    if (!r->is_array()) return Invalid("renditions", "must be an array");
    v.renditions_json = json::serialize(*r);
  }
  KINORA_TRY_VOID(ReadString(o, "thumbnail_key", v.thumbnail_key));
  KINORA_TRY_VOID(ReadString(o, "mp4_key", v.mp4_key));
  KINORA_TRY_VOID(ReadString(o, "hls_key", v.hls_key));
  KINORA_TRY_VOID(ReadString(o, "poster_key", v.poster_key));
  if (const json::value* p = o.if_contains("probe"); p && !p->is_null()) {
    if (!p->is_object()) return Invalid("probe", "must be an object");
    v.probe_json = json::serialize(*p);
  }
  SysTime processed{};
  KINORA_TRY(bool has_processed, ReadTime(o, "processed_timestamp", processed));
  if (has_processed) v.processed_at = processed;
  KINORA_TRY_VOID(ReadOptional(o, "processing_seconds", v.processing_seconds));
  KINORA_TRY_VOID(ReadNumber(o, "processed_bytes", v.processed_bytes));
  KINORA_TRY_VOID(ReadString(o, "correlation_id", v.correlation_id));
  return v;
}

}  // namespace kinora::catalog
