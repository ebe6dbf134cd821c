// ContentAnalysis <-> analysis.json, and its catalog digest.
#include "kinora/media/content_analysis.h"

#include <boost/json.hpp>
#include <cmath>

namespace kinora::media {
namespace {

namespace json = boost::json;

// Numbers kept to what a person or a chart can use: 3 decimals (ms for times).
double Round3(double v) { return std::round(v * 1000) / 1000; }

json::value OptNumber(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? json::value(Round3(*v)) : json::value(nullptr);
}

json::array Segments(const std::vector<TimeSpan>& s) {
  json::array a;
  for (const TimeSpan& x : s)
    a.push_back(json::object{{"start", Round3(x.start)}, {"end", Round3(x.end)}});
  return a;
}

json::array Levels(const std::vector<float>& v) {
  json::array a;
  a.reserve(v.size());
  for (float x : v) a.push_back(std::round(static_cast<double>(x) * 1000) / 1000);
  return a;
}

double SegmentSeconds(const std::vector<TimeSpan>& s) {
  double total = 0;
  for (const TimeSpan& x : s) total += std::max(0.0, x.end - x.start);
  return total;
}

// Readers that tolerate absent keys (the document is ours; a missing field reads as its zero).
double Num(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return 0;
  return v->to_number<double>();
}
std::optional<double> OptNum(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
const json::object* Obj(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}
const json::array* Arr(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}
std::vector<TimeSpan> SegmentsFrom(const json::object& o, std::string_view key) {
  std::vector<TimeSpan> out;
  if (const json::array* a = Arr(o, key)) {
    for (const json::value& v : *a) {
      if (v.is_object()) out.push_back({Num(v.get_object(), "start"), Num(v.get_object(), "end")});
    }
  }
  return out;
}
std::vector<float> LevelsFrom(const json::object& o, std::string_view key) {
  std::vector<float> out;
  if (const json::array* a = Arr(o, key)) {
    for (const json::value& v : *a) {
      out.push_back(v.is_number() ? static_cast<float>(v.to_number<double>()) : 0.f);
    }
  }
  return out;
}
std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::array* a = Arr(o, key)) {
    for (const json::value& v : *a) {
      if (v.is_string()) out.emplace_back(v.get_string());
    }
  }
  return out;
}

}  // namespace

ContentSummary Summarize(const ContentAnalysis& a) {
  ContentSummary s;
  s.status = a.complete ? "complete" : "incomplete";
  if (a.loudness) {
    s.integrated_lufs = a.loudness->integrated_lufs;
    s.true_peak_dbtp = a.loudness->true_peak_dbtp;
  }
  s.scene_count = static_cast<int>(a.scenes.size());
  s.black_seconds = SegmentSeconds(a.black);
  s.frozen_seconds = SegmentSeconds(a.freeze);
  s.silent_seconds = SegmentSeconds(a.silence);
  for (const ContentFlag& f : a.flags) {
    if (std::find(s.flags.begin(), s.flags.end(), f.code) == s.flags.end())
      s.flags.push_back(f.code);
  }
  return s;
}

json::object ToJson(const ContentAnalysis& a) {
  json::object o;
  o["version"] = kAnalysisVersion;
  o["complete"] = a.complete;
  json::array incomplete;
  for (const std::string& why : a.incomplete) incomplete.emplace_back(why);
  o["incomplete"] = std::move(incomplete);
  o["duration_seconds"] = Round3(a.duration_seconds);
  json::array scenes;
  for (const SceneCut& c : a.scenes) {
    scenes.push_back(json::object{{"time", Round3(c.time)}, {"score", Round3(c.score)}});
  }
  o["scenes"] = std::move(scenes);
  o["black"] = Segments(a.black);
  o["freeze"] = Segments(a.freeze);
  o["silence"] = Segments(a.silence);
  if (a.loudness) {
    o["loudness"] = json::object{{"integrated_lufs", OptNumber(a.loudness->integrated_lufs)},
                                 {"range_lu", OptNumber(a.loudness->range_lu)},
                                 {"true_peak_dbtp", OptNumber(a.loudness->true_peak_dbtp)}};
  } else {
    o["loudness"] = nullptr;
  }
  if (a.waveform) {
    o["waveform"] = json::object{{"interval_seconds", a.waveform->interval_seconds},
                                 {"peak", Levels(a.waveform->peak)},
                                 {"rms", Levels(a.waveform->rms)}};
  } else {
    o["waveform"] = nullptr;
  }
  if (a.complexity) {
    o["complexity"] = json::object{{"si_mean", Round3(a.complexity->si_mean)},
                                   {"si_max", Round3(a.complexity->si_max)},
                                   {"ti_mean", Round3(a.complexity->ti_mean)},
                                   {"ti_max", Round3(a.complexity->ti_max)}};
  } else {
    o["complexity"] = nullptr;
  }
  if (a.storyboard) {
    const Storyboard& s = *a.storyboard;
    json::array sprites;
    for (const std::string& f : s.sprites) sprites.emplace_back(f);
    o["storyboard"] =
        json::object{{"vtt", kStoryboardVtt},      {"interval_seconds", s.interval_seconds},
                     {"tile_width", s.tile_width}, {"tile_height", s.tile_height},
                     {"columns", s.columns},       {"rows", s.rows},
                     {"tiles", s.tiles},           {"sprites", std::move(sprites)}};
  } else {
    o["storyboard"] = nullptr;
  }
  json::array quality;
  for (const RungQuality& q : a.quality) {
    quality.push_back(json::object{{"rung", q.rung},
                                   {"copied", q.copied},
                                   {"ssim", Round3(q.ssim)},
                                   {"psnr_db", OptNumber(q.psnr_db)},
                                   {"frames", q.frames}});
  }
  o["quality"] = std::move(quality);
  json::array flags;
  for (const ContentFlag& f : a.flags) {
    flags.push_back(json::object{{"code", f.code},
                                 {"severity", f.severity},
                                 {"start", OptNumber(f.start)},
                                 {"end", OptNumber(f.end)},
                                 {"message", f.message}});
  }
  o["flags"] = std::move(flags);
  return o;
}

Result<ContentAnalysis> ContentAnalysisFromJson(const json::object& o) {
  if (Num(o, "version") != kAnalysisVersion) {
    return MakeError(ErrorCode::kInvalidArgument, "analysis.json is not of schema version 1");
  }
  ContentAnalysis a;
  const json::value* complete = o.if_contains("complete");
  a.complete = complete && complete->is_bool() && complete->get_bool();
  a.incomplete = Strings(o, "incomplete");
  a.duration_seconds = Num(o, "duration_seconds");
  if (const json::array* scenes = Arr(o, "scenes")) {
    for (const json::value& v : *scenes) {
      if (v.is_object())
        a.scenes.push_back({Num(v.get_object(), "time"), Num(v.get_object(), "score")});
    }
  }
  a.black = SegmentsFrom(o, "black");
  a.freeze = SegmentsFrom(o, "freeze");
  a.silence = SegmentsFrom(o, "silence");
  if (const json::object* l = Obj(o, "loudness")) {
    a.loudness =
        Loudness{Num(*l, "integrated_lufs"), Num(*l, "range_lu"), Num(*l, "true_peak_dbtp")};
  }
  if (const json::object* w = Obj(o, "waveform")) {
    a.waveform =
        Waveform{Num(*w, "interval_seconds"), LevelsFrom(*w, "peak"), LevelsFrom(*w, "rms")};
  }
  if (const json::object* c = Obj(o, "complexity")) {
    a.complexity =
        Complexity{Num(*c, "si_mean"), Num(*c, "si_max"), Num(*c, "ti_mean"), Num(*c, "ti_max")};
  }
  if (const json::object* s = Obj(o, "storyboard")) {
    Storyboard b;
    b.interval_seconds = Num(*s, "interval_seconds");
    b.tile_width = static_cast<int>(Num(*s, "tile_width"));
    b.tile_height = static_cast<int>(Num(*s, "tile_height"));
    b.columns = static_cast<int>(Num(*s, "columns"));
    b.rows = static_cast<int>(Num(*s, "rows"));
    b.tiles = static_cast<int>(Num(*s, "tiles"));
    b.sprites = Strings(*s, "sprites");
    a.storyboard = std::move(b);
  }
  if (const json::array* quality = Arr(o, "quality")) {
    for (const json::value& v : *quality) {
      if (!v.is_object()) continue;
      const json::object& q = v.get_object();
      const json::value* copied = q.if_contains("copied");
      a.quality.push_back({Str(q, "rung"), copied && copied->is_bool() && copied->get_bool(),
                           Num(q, "ssim"), OptNum(q, "psnr_db"),
                           static_cast<int>(Num(q, "frames"))});
    }
  }
  if (const json::array* flags = Arr(o, "flags")) {
    for (const json::value& v : *flags) {
      if (!v.is_object()) continue;
      const json::object& f = v.get_object();
      a.flags.push_back({Str(f, "code"), Str(f, "severity"), OptNum(f, "start"), OptNum(f, "end"),
                         Str(f, "message")});
    }
  }
  return a;
}

json::object ToJson(const ContentSummary& s) {
  json::array flags;
  for (const std::string& f : s.flags) flags.emplace_back(f);
  return {{"status", s.status},
          {"integrated_lufs", OptNumber(s.integrated_lufs)},
          {"true_peak_dbtp", OptNumber(s.true_peak_dbtp)},
          {"scene_count", s.scene_count},
          {"black_seconds", Round3(s.black_seconds)},
          {"frozen_seconds", Round3(s.frozen_seconds)},
          {"silent_seconds", Round3(s.silent_seconds)},
          {"flags", std::move(flags)}};
}

Result<ContentSummary> ContentSummaryFromJson(const json::object& o) {
  ContentSummary s;
  s.status = Str(o, "status");
  if (s.status != "complete" && s.status != "incomplete" && s.status != "none") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "analysis status must be complete, incomplete or none");
  }
  s.integrated_lufs = OptNum(o, "integrated_lufs");
  s.true_peak_dbtp = OptNum(o, "true_peak_dbtp");
  s.scene_count = static_cast<int>(Num(o, "scene_count"));
  s.black_seconds = Num(o, "black_seconds");
  s.frozen_seconds = Num(o, "frozen_seconds");
  s.silent_seconds = Num(o, "silent_seconds");
  s.flags = Strings(o, "flags");
  return s;
}

}  // namespace kinora::media
