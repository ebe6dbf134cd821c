#include "kinora/media/transcode.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <climits>
#include <cmath>
#include <fstream>
#include <memory>
#include <new>
#include <optional>

#include "kinora/media/av.h"
#include "kinora/media/content_flags.h"
#include "kinora/media/hls_playlist.h"
#include "kinora/media/internal/decode_pass.h"

namespace kinora::media {
namespace {

namespace fs = std::filesystem;
using internal::Media;
using internal::Pass;

Error Unsupported(std::string message) {
  return MakeError(ErrorCode::kUnsupported, std::move(message));
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Copying keeps the source's key frames, so every segment boundary sits on one: allowed only
// from containers with reliable timestamps whose index shows key frames at most one segment
// apart (and none missing at the start).
bool KeyframesFitSegments(const AVFormatContext* fmt, const AVStream* st, double segment_seconds) {
  std::string_view name = fmt->iformat->name;
  if (name.find("mp4") == std::string_view::npos &&
      name.find("matroska") == std::string_view::npos) {
    return false;
  }
  const int n = avformat_index_get_entries_count(st);
  const double tb = av_q2d(st->time_base);
  std::optional<int64_t> last;
  for (int i = 0; i < n; ++i) {
    const AVIndexEntry* e = avformat_index_get_entry(const_cast<AVStream*>(st), i);
    if (!e || !(e->flags & AVINDEX_KEYFRAME)) continue;
    if (!last && i != 0) return false;  // the stream does not open on a key frame
    if (last && static_cast<double>(e->timestamp - *last) * tb > segment_seconds + 0.01)
      return false;
    last = e->timestamp;
  }
  if (!last) return false;
  if (st->duration > 0 && st->duration != AV_NOPTS_VALUE) {
    int64_t end = (st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time) + st->duration;
    if (static_cast<double>(end - *last) * tb > segment_seconds * 2) return false;
  }
  return true;
}

Result<CodecContext> OpenDecoder(const AVStream* st, bool video, int64_t max_pixels) {
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  if (!codec) {
    return Unsupported(std::string("there is no decoder for the ") + (video ? "video" : "audio") +
                       " codec " + avcodec_get_name(st->codecpar->codec_id));
  }
  CodecContext c(avcodec_alloc_context3(codec));
  if (!c) throw std::bad_alloc();
  int err = avcodec_parameters_to_context(c.get(), st->codecpar);
  if (err < 0) return MapAvError(err, "cannot set up the decoder");
  c->pkt_timebase = st->time_base;
  c->max_pixels = max_pixels > 0 && max_pixels < INT_MAX ? max_pixels : INT_MAX;
  if (video) {
    c->thread_count = 0;  // libavcodec picks from the core count
    c->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  }
  err = avcodec_open2(c.get(), codec, nullptr);
  if (err < 0) return MapAvError(err, "cannot open the decoder");
  return c;
}

Result<Media> OpenMedia(const fs::path& input, int64_t max_pixels) {
  Media m;
  KINORA_TRY(m.fmt, OpenInput(input, max_pixels));
  for (unsigned i = 0; i < m.fmt->nb_streams; ++i) {
    AVStream* st = m.fmt->streams[i];
    auto type = st->codecpar->codec_type;
    if (type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
        !m.video) {
      m.video = st;
    } else if (type == AVMEDIA_TYPE_AUDIO && !m.audio) {
      m.audio = st;
    } else {
      st->discard = AVDISCARD_ALL;
    }
  }
  if (!m.video) return Unsupported("the file has no video stream");
  KINORA_TRY(m.video_dec, OpenDecoder(m.video, true, max_pixels));
  if (m.audio) {
    auto dec = OpenDecoder(m.audio, false, max_pixels);
    if (dec) {
      m.audio_dec = std::move(*dec);
    } else {  // undecodable audio: the outputs go without it
      m.audio->discard = AVDISCARD_ALL;
      m.audio = nullptr;
    }
  }
  return m;
}

// Segment count and total duration of a media playlist the HLS muxer wrote.
void ReadPlaylist(const fs::path& path, RenditionResult& r) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#EXTINF:", 0) == 0) {
      ++r.segments;
      r.duration_seconds += std::atof(line.c_str() + 8);
    }
  }
}

Result<void> WriteFile(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write " + path.string());
  return {};
}

SourceFacts FactsOf(const ProbeResult& p, bool has_audio) {
  SourceFacts f;
  f.width = p.width;
  f.height = p.height;
  f.rotation = p.rotation;
  f.sar_num = p.sar_num;
  f.sar_den = p.sar_den;
  f.fps = p.fps;
  f.variable_frame_rate = p.variable_frame_rate;
  f.video_codec = p.video_codec;
  f.pixel_format = p.pixel_format;
  f.video_bitrate = p.video_bitrate;
  f.has_audio = has_audio;
  return f;
}

// The content analysis of the pass (content_analysis.h): storyboard sheets and VTT, then
// analysis.json, and the digest in the report. A failed step is written down as such.
// Encoded rungs measured themselves (rung_quality.h); a copied rung is the source.
std::vector<RungQuality> RungQualities(const Plan& plan, const Pass& pass, ContentAnalysis& a) {
  std::vector<RungQuality> out;
  auto encoder = pass.encoders().begin();  // the encoded rungs, in the plan's order
  for (const Rung& r : plan.hls) {
    if (r.copy) {
      out.push_back({r.name, true, 1.0, std::nullopt, 0});
    } else if (encoder != pass.encoders().end()) {
      auto q = (*encoder++)->quality();
      if (q) {
        q->rung = r.name;
        out.push_back(std::move(*q));
      } else {
        a.complete = false;
        a.incomplete.push_back("quality of " + r.name + ": " + q.error().message);
      }
    }
  }
  return out;
}

Result<void> WriteAnalysis(Pass& pass, const Plan& plan, TranscodeReport& report, bool has_audio,
                           const fs::path& out_dir) {
  ContentAnalysis a;
  a.duration_seconds = report.probe.duration_seconds;
  if (internal::VideoAnalyzer* v = pass.video_analysis()) {
    v->Fill(a);
    auto board = v->storyboard().Write(out_dir, a.duration_seconds);
    if (board) {
      a.storyboard = std::move(*board);
    } else {
      a.complete = false;
      a.incomplete.push_back("storyboard: " + board.error().message);
    }
  }
  if (internal::AudioAnalyzer* au = pass.audio_analysis()) au->Fill(a);
  a.quality = RungQualities(plan, pass, a);
  a.flags = DeriveFlags(a, has_audio);
  KINORA_TRY_VOID(WriteFile(out_dir / kAnalysisFile, boost::json::serialize(ToJson(a))));
  report.content = Summarize(a);
  return {};
}

}  // namespace

Result<TranscodeReport> Transcode(const fs::path& input, const fs::path& out_dir,
                                  const TranscodeOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = CpuSeconds();
  TranscodeReport report;
  KINORA_TRY(report.probe, ProbeFile(input, o.limits));
  KINORA_TRY(Media media, OpenMedia(input, o.limits.max_pixels));
  KINORA_TRY(Plan plan, PlanRenditions(FactsOf(report.probe, media.audio != nullptr)));
  const bool copy_ok =
      o.allow_copy && KeyframesFitSegments(media.fmt.get(), media.video, plan.segment_seconds);
  for (Rung& r : plan.hls) r.copy = r.copy && copy_ok;
  if (plan.mp4.copy && !copy_ok) plan.mp4.copy = false;

  std::error_code ec;
  fs::remove_all(out_dir / "hls", ec);  // a rerun replaces, never mixes, earlier outputs
  fs::create_directories(out_dir / "hls", ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot create " + out_dir.string());

  report.fps = plan.fps;
  {  // the display size: square pixels (the width stretched by the SAR), then rotation
    const ProbeResult& p = report.probe;
    int64_t w = p.width, h = p.height;
    if (p.sar_num > 0 && p.sar_den > 0 && p.sar_num != p.sar_den) {
      w = (int64_t{p.width} * p.sar_num + p.sar_den / 2) / p.sar_den;
    }
    if (p.rotation == 90 || p.rotation == 270) std::swap(w, h);
    report.display_width = static_cast<int>(w);
    report.display_height = static_cast<int>(h);
  }
  Thumbnails thumbs;
  {
    Pass pass(media, plan, o, out_dir, report);
    KINORA_TRY_VOID(pass.Setup());
    KINORA_TRY_VOID(pass.Run());
    if (o.analyze) {
      const auto analysis_started = std::chrono::steady_clock::now();
      KINORA_TRY_VOID(WriteAnalysis(pass, plan, report, media.audio != nullptr, out_dir));
      report.analysis_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - analysis_started)
              .count();
    }
    if (pass.thumbnails().has_frame()) {
      KINORA_TRY(thumbs, pass.thumbnails().Encode());
    } else {  // a pure remux decoded nothing: sample a few frames instead
      ThumbnailOptions t = o.thumbnails;
      t.max_pixels = o.limits.max_pixels;
      KINORA_TRY(thumbs, (MakeThumbnails(input, t)));
    }
  }
  if (o.on_progress) o.on_progress(0.99);

  std::vector<Variant> variants;
  for (const Rung& r : plan.hls) {
    RenditionResult rr{r, plan.codecs_attribute(r), "hls/" + r.name + "/index.m3u8"};
    ReadPlaylist(out_dir / rr.playlist, rr);
    variants.push_back({r, rr.codecs, plan.fps, r.name + "/index.m3u8"});
    report.renditions.push_back(std::move(rr));
  }
  KINORA_TRY_VOID(WriteFile(out_dir / kMasterPlaylistFile, MasterPlaylist(variants)));
  report.mp4 = plan.mp4;

  KINORA_TRY_VOID(WriteFile(out_dir / kThumbnailFile, thumbs.card_jpeg));
  KINORA_TRY_VOID(WriteFile(out_dir / kPosterFile, thumbs.poster_jpeg));
  report.thumbnail_seconds = thumbs.picked_seconds;
  report.poster_width = thumbs.poster_width;
  report.poster_height = thumbs.poster_height;

  for (const auto& entry : fs::recursive_directory_iterator(out_dir)) {
    if (entry.is_regular_file()) {
      report.files.push_back(fs::relative(entry.path(), out_dir).generic_string());
    }
  }
  std::sort(report.files.begin(), report.files.end());
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.cpu_seconds = CpuSeconds() - cpu_started;
  return report;
}

}  // namespace kinora::media
