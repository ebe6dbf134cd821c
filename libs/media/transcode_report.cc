// TranscodeReport <-> JSON: what `kinora process` prints, and how the processor reads back the
// report of the sandboxed child that ran the pipeline.
#include <boost/json.hpp>

#include "kinora/media/transcode.h"

namespace kinora::media {
namespace {

namespace json = boost::json;

double Num(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0;
}
int64_t Int(const json::object& o, std::string_view key) {
  return static_cast<int64_t>(Num(o, key));
}
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}
const json::object& Obj(const json::object& o, std::string_view key) {
  static const json::object empty;
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : empty;
}

json::object RungJson(const Rung& r) {
  return {{"name", r.name},
          {"width", r.width},
          {"height", r.height},
          {"bandwidth", r.bandwidth},
          {"video_bitrate", r.video_bitrate},
          {"audio_bitrate", r.audio_bitrate},
          {"copy", r.copy}};
}
Rung RungFrom(const json::object& o) {
  Rung r;
  r.name = Str(o, "name");
  r.width = static_cast<int>(Int(o, "width"));
  r.height = static_cast<int>(Int(o, "height"));
  r.bandwidth = Int(o, "bandwidth");
  r.video_bitrate = Int(o, "video_bitrate");
  r.audio_bitrate = Int(o, "audio_bitrate");
  r.copy = Bool(o, "copy");
  return r;
}

}  // namespace

ProbeResult ProbeFromJson(const json::object& o) {
  ProbeResult p;
  p.container = Str(o, "container");
  p.duration_seconds = Num(o, "duration_seconds");
  p.bitrate = Int(o, "bitrate");
  p.video_codec = Str(o, "video_codec");
  p.width = static_cast<int>(Int(o, "width"));
  p.height = static_cast<int>(Int(o, "height"));
  p.rotation = static_cast<int>(Int(o, "rotation"));
  std::string sar = Str(o, "sample_aspect_ratio");
  if (std::sscanf(sar.c_str(), "%d:%d", &p.sar_num, &p.sar_den) != 2) p.sar_num = p.sar_den = 1;
  p.fps = Num(o, "fps");
  p.variable_frame_rate = Bool(o, "variable_frame_rate");
  p.pixel_format = Str(o, "pixel_format");
  p.bit_depth = static_cast<int>(Int(o, "bit_depth"));
  p.video_bitrate = Int(o, "video_bitrate");
  p.audio_codec = Str(o, "audio_codec");
  p.sample_rate = static_cast<int>(Int(o, "sample_rate"));
  p.channels = static_cast<int>(Int(o, "channels"));
  p.audio_bitrate = Int(o, "audio_bitrate");
  return p;
}

json::object ToJson(const TranscodeReport& r) {
  json::array renditions;
  for (const RenditionResult& rr : r.renditions) {
    json::object o = RungJson(rr.rung);
    o["codecs"] = rr.codecs;
    o["playlist"] = rr.playlist;
    o["segments"] = rr.segments;
    o["duration_seconds"] = rr.duration_seconds;
    renditions.push_back(std::move(o));
  }
  json::array files;
  for (const std::string& f : r.files) files.push_back(json::string(f));
  return {{"probe", ToJson(r.probe)},
          {"display_width", r.display_width},
          {"display_height", r.display_height},
          {"fps", r.fps},
          {"renditions", std::move(renditions)},
          {"mp4", RungJson(r.mp4)},
          {"audio_copy", r.audio_copy},
          {"frames_decoded", r.frames_decoded},
          {"gaps_closed_seconds", r.gaps_closed_seconds},
          {"thumbnail_seconds", r.thumbnail_seconds},
          {"poster_width", r.poster_width},
          {"poster_height", r.poster_height},
          {"content", ToJson(r.content)},
          {"analysis_seconds", r.analysis_seconds},
          {"wall_seconds", r.wall_seconds},
          {"cpu_seconds", r.cpu_seconds},
          {"files", std::move(files)}};
}

Result<TranscodeReport> TranscodeReportFromJson(const json::object& o) {
  TranscodeReport r;
  r.probe = ProbeFromJson(Obj(o, "probe"));
  r.display_width = static_cast<int>(Int(o, "display_width"));
  r.display_height = static_cast<int>(Int(o, "display_height"));
  r.fps = Num(o, "fps");
  if (const json::value* v = o.if_contains("renditions"); v && v->is_array()) {
    for (const json::value& e : v->get_array()) {
      if (!e.is_object()) continue;
      const json::object& ro = e.get_object();
      RenditionResult rr{RungFrom(ro), Str(ro, "codecs"), Str(ro, "playlist")};
      rr.segments = static_cast<int>(Int(ro, "segments"));
      rr.duration_seconds = Num(ro, "duration_seconds");
      r.renditions.push_back(std::move(rr));
    }
  }
  r.mp4 = RungFrom(Obj(o, "mp4"));
  r.audio_copy = Bool(o, "audio_copy");
  r.frames_decoded = Int(o, "frames_decoded");
  r.gaps_closed_seconds = Num(o, "gaps_closed_seconds");
  r.thumbnail_seconds = Num(o, "thumbnail_seconds");
  r.poster_width = static_cast<int>(Int(o, "poster_width"));
  r.poster_height = static_cast<int>(Int(o, "poster_height"));
  if (const json::value* v = o.if_contains("content"); v && v->is_object()) {
    KINORA_TRY(r.content, ContentSummaryFromJson(v->get_object()));
  }
  r.analysis_seconds = Num(o, "analysis_seconds");
  r.wall_seconds = Num(o, "wall_seconds");
  r.cpu_seconds = Num(o, "cpu_seconds");
  if (const json::value* v = o.if_contains("files"); v && v->is_array()) {
    for (const json::value& e : v->get_array()) {
      if (e.is_string()) r.files.emplace_back(e.get_string());
    }
  }
  if (r.renditions.empty() || r.files.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the transcode report lists no outputs");
  }
  return r;
}

}  // namespace kinora::media
