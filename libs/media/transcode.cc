#include "kinora/media/transcode.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <new>
#include <optional>
#include <sstream>

#include "kinora/media/av.h"
#include "kinora/media/hls_playlist.h"
#include "kinora/media/internal/audio_encoder.h"
#include "kinora/media/internal/muxer.h"
#include "kinora/media/internal/rung_encoder.h"
#include "kinora/media/internal/upright_filter.h"

namespace kinora::media {
namespace {

namespace fs = std::filesystem;
using internal::AudioEncoder;
using internal::Muxer;
using internal::MuxTarget;
using internal::RungEncoder;
using internal::UprightFilter;

Error Unsupported(std::string message) {
  return MakeError(ErrorCode::kUnsupported, std::move(message));
}

std::string Seconds1(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The output rate as a rational: the source's own when it matches the plan (29.97 stays
// 30000/1001), else the plan's rate.
AVRational OutputRate(double fps, const AVStream* st) {
  for (AVRational r : {st->avg_frame_rate, st->r_frame_rate}) {
    if (r.num > 0 && r.den > 0 && std::fabs(av_q2d(r) - fps) < 0.01) return r;
  }
  return av_d2q(fps, 1001000);
}

// Copying keeps the source's key frames, so every segment boundary sits on one: allowed only
// from containers with reliable timestamps whose index shows key frames at most one segment
// apart (and none missing at the start).
bool KeyframesFitSegments(const AVFormatContext* fmt, const AVStream* st, double segment_seconds) {
  std::string_view name = fmt->iformat->name;
  if (name.find("mp4") == std::string_view::npos && name.find("matroska") == std::string_view::npos) {
    return false;
  }
  const int n = avformat_index_get_entries_count(st);
  const double tb = av_q2d(st->time_base);
  std::optional<int64_t> last;
  for (int i = 0; i < n; ++i) {
    const AVIndexEntry* e = avformat_index_get_entry(const_cast<AVStream*>(st), i);
    if (!e || !(e->flags & AVINDEX_KEYFRAME)) continue;
    if (!last && i != 0) return false;  // the stream does not open on a key frame
    if (last && static_cast<double>(e->timestamp - *last) * tb > segment_seconds + 0.01) return false;
    last = e->timestamp;
  }
  if (!last) return false;
  if (st->duration > 0 && st->duration != AV_NOPTS_VALUE) {
    int64_t end = (st->start_time == AV_NOPTS_VALUE ? 0 : st->start_time) + st->duration;
    if (static_cast<double>(end - *last) * tb > segment_seconds * 2) return false;
  }
  return true;
}

// Source audio every output can carry as it is: AAC-LC, 48 kHz, stereo (what the encoder
// would make anyway).
bool AudioIsWebReady(const AVCodecParameters* a) {
  return a->codec_id == AV_CODEC_ID_AAC && a->profile == FF_PROFILE_AAC_LOW &&
         a->sample_rate == 48000 && a->ch_layout.nb_channels == 2 && a->extradata_size > 0;
}

struct Media {
  InputFormat fmt;
  AVStream* video = nullptr;
  AVStream* audio = nullptr;
  CodecContext video_dec, audio_dec;
};

Result<CodecContext> OpenDecoder(const AVStream* st, bool video) {
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
  if (video) {
    c->thread_count = 0;  // libavcodec picks from the core count
    c->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  }
  err = avcodec_open2(c.get(), codec, nullptr);
  if (err < 0) return MapAvError(err, "cannot open the decoder");
  return c;
}

Result<Media> OpenMedia(const fs::path& input) {
  Media m;
  KINORA_TRY(m.fmt, OpenInput(input.c_str()));
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
  KINORA_TRY(m.video_dec, OpenDecoder(m.video, true));
  if (m.audio) {
    auto dec = OpenDecoder(m.audio, false);
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

// The decode-once pass: state shared by the loop's steps.
class Pass {
 public:
  Pass(Media& m, const Plan& plan, const TranscodeOptions& o, const fs::path& out,
       TranscodeReport& report)
      : m_(m), plan_(plan), o_(o), out_(out), report_(report) {}

  Result<void> Setup();
  Result<void> Run();
  // Thumbnails picked from this pass's frames (none when every output was copied).
  const ThumbnailPicker& thumbnails() const { return thumbs_; }

 private:
  Result<void> OnVideoPacket(const AVPacket* pkt);
  Result<void> OnAudioPacket(const AVPacket* pkt);
  Result<void> CopyPacket(const AVPacket* pkt, AVRational tb, int64_t offset,
                          const std::vector<MuxTarget>& targets);
  Result<void> DecodeVideo(const AVPacket* pkt);
  Result<void> ToRungs(AVFrame* upright);
  Result<void> Finish();
  Result<void> CheckComplete(int read_error);
  void Progress(double seconds);

  Media& m_;
  const Plan& plan_;
  const TranscodeOptions& o_;
  fs::path out_;
  TranscodeReport& report_;

  AVRational rate_{};
  int64_t video_offset_ = 0, audio_offset_ = 0;  // the file's start time in each stream's tb
  std::vector<Muxer> hls_;                        // one per rung, same order as plan_.hls
  std::optional<Muxer> mp4_;
  std::vector<std::unique_ptr<RungEncoder>> encoders_;
  std::unique_ptr<AudioEncoder> audio_;
  std::unique_ptr<UprightFilter> filter_;
  std::vector<MuxTarget> copies_;  // outputs that take the source's video packets as they are
  std::vector<MuxTarget> audio_copies_;  // every output, when the source audio is already AAC
  bool decode_video_ = false;
  ThumbnailPicker thumbs_{o_.thumbnails, report_.probe.duration_seconds};

  Frame frame_ = NewFrame();
  int64_t packets_ = 0, decode_errors_ = 0;
  double first_error_at_ = -1, video_end_ = 0;
  int last_percent_ = -1;
};

Result<void> Pass::Setup() {
  rate_ = OutputRate(plan_.fps, m_.video);
  const int64_t start = m_.fmt->start_time == AV_NOPTS_VALUE ? 0 : m_.fmt->start_time;
  video_offset_ = av_rescale_q(start, AV_TIME_BASE_Q, m_.video->time_base);
  if (m_.audio) audio_offset_ = av_rescale_q(start, AV_TIME_BASE_Q, m_.audio->time_base);

  bool any_copy = false;
  for (const Rung& r : plan_.hls) any_copy |= r.copy;
  internal::EncodeSettings settings{o_.x264_preset, o_.crf, plan_.gop_frames, any_copy};
  const bool copy_audio = plan_.audio && m_.audio && AudioIsWebReady(m_.audio->codecpar);
  report_.audio_copy = copy_audio;
  if (plan_.audio && m_.audio && !copy_audio) {
    KINORA_TRY(audio_, AudioEncoder::Open(o_.audio_bitrate));
  }

  auto add_video = [&](Muxer& mux, const Rung& rung, RungEncoder* enc) -> Result<void> {
    if (rung.copy) {
      KINORA_TRY(int idx, (mux.AddStream(m_.video->codecpar, m_.video->time_base)));
      copies_.push_back({&mux, idx});
    } else {
      KINORA_TRY(int idx, mux.AddStream(enc->codec()));
      enc->AddOutput(&mux, idx);
    }
    if (audio_) {
      KINORA_TRY(int aidx, mux.AddStream(audio_->codec()));
      audio_->AddOutput(&mux, aidx);
    } else if (copy_audio) {
      KINORA_TRY(int aidx, (mux.AddStream(m_.audio->codecpar, m_.audio->time_base)));
      audio_copies_.push_back({&mux, aidx});
    }
    return {};
  };

  hls_.reserve(plan_.hls.size());
  for (const Rung& rung : plan_.hls) {
    fs::path dir = out_ / "hls" / rung.name;
    fs::create_directories(dir);
    RungEncoder* enc = nullptr;
    if (!rung.copy) {
      KINORA_TRY(auto e, (RungEncoder::Open(rung, settings, rate_)));
      enc = e.get();
      encoders_.push_back(std::move(e));
      decode_video_ = true;
    }
    KINORA_TRY(Muxer mux, (Muxer::Create("hls", (dir / "index.m3u8").string())));
    hls_.push_back(std::move(mux));
    KINORA_TRY_VOID(add_video(hls_.back(), rung, enc));
    if (rung.name == plan_.mp4.name) {
      KINORA_TRY(Muxer mp4, (Muxer::Create("mp4", (out_ / kMp4File).string())));
      mp4_.emplace(std::move(mp4));
      KINORA_TRY_VOID(add_video(*mp4_, rung, enc));
    }
  }
  if (!mp4_) return MakeError(ErrorCode::kInternal, "the MP4's rung is not in the ladder");

  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", plan_.segment_seconds);
  for (size_t i = 0; i < hls_.size(); ++i) {
    const fs::path dir = out_ / "hls" / plan_.hls[i].name;
    KINORA_TRY_VOID(hls_[i].Open({{"hls_time", seconds},
                                  {"hls_playlist_type", "vod"},
                                  {"hls_segment_type", "fmp4"},
                                  {"hls_fmp4_init_filename", "init.mp4"},
                                  {"hls_segment_filename", (dir / "seg_%05d.m4s").string()},
                                  {"hls_flags", "independent_segments"},
                                  {"start_number", "1"}}));
  }
  KINORA_TRY_VOID(mp4_->Open({{"movflags", "+faststart"}}));
  if (decode_video_) {
    filter_ = std::make_unique<UprightFilter>(report_.probe.rotation, rate_, m_.video->time_base);
  }
  for (auto& e : encoders_) e->Start();
  return {};
}

void Pass::Progress(double seconds) {
  video_end_ = std::max(video_end_, seconds);
  if (!o_.on_progress || report_.probe.duration_seconds <= 0) return;
  int percent = static_cast<int>(std::min(99.0, 100 * seconds / report_.probe.duration_seconds));
  if (percent > last_percent_) {
    last_percent_ = percent;
    o_.on_progress(percent / 100.0);
  }
}

Result<void> Pass::ToRungs(AVFrame* upright) {
  if (upright->pts != AV_NOPTS_VALUE) {  // the thumbnails come from the same decode
    const double t = static_cast<double>(upright->pts) * av_q2d(av_inv_q(rate_));
    KINORA_TRY_VOID(thumbs_.Offer(*upright, t));
  }
  for (auto& e : encoders_) KINORA_TRY_VOID(e->Push(upright));
  return {};
}

Result<void> Pass::DecodeVideo(const AVPacket* pkt) {
  int err = avcodec_send_packet(m_.video_dec.get(), pkt);
  if (err < 0 && err != AVERROR_EOF) {
    if (err == AVERROR(ENOMEM)) return MapAvError(err, "decoding the video");
    ++decode_errors_;  // a damaged packet: counted, skipped
    if (first_error_at_ < 0 && pkt) {
      first_error_at_ = static_cast<double>(pkt->pts == AV_NOPTS_VALUE ? 0 : pkt->pts - video_offset_) *
                        av_q2d(m_.video->time_base);
    }
  }
  const UprightFilter::Sink sink = [this](AVFrame* f) { return ToRungs(f); };
  for (;;) {
    err = avcodec_receive_frame(m_.video_dec.get(), frame_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) {
      if (err == AVERROR(ENOMEM)) return MapAvError(err, "decoding the video");
      ++decode_errors_;
      continue;
    }
    if (frame_->decode_error_flags || (frame_->flags & AV_FRAME_FLAG_CORRUPT)) ++decode_errors_;
    ++report_.frames_decoded;
    int64_t ts = frame_->best_effort_timestamp;
    frame_->pts = ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : ts - video_offset_;
    if (frame_->pts != AV_NOPTS_VALUE) {
      double end = static_cast<double>(frame_->pts + std::max<int64_t>(frame_->pkt_duration, 0)) *
                   av_q2d(m_.video->time_base);
      video_end_ = std::max(video_end_, end);
    }
    Result<void> r = filter_->Push(frame_.get(), sink);
    av_frame_unref(frame_.get());
    if (!r) return r;
  }
}

Result<void> Pass::OnVideoPacket(const AVPacket* pkt) {
  ++packets_;
  if (pkt->pts != AV_NOPTS_VALUE) {
    double at = static_cast<double>(pkt->pts - video_offset_) * av_q2d(m_.video->time_base);
    double end = at + static_cast<double>(pkt->duration) * av_q2d(m_.video->time_base);
    Progress(at);
    video_end_ = std::max(video_end_, end);
  }
  if (!copies_.empty()) {
    KINORA_TRY_VOID(CopyPacket(pkt, m_.video->time_base, video_offset_, copies_));
  }
  if (decode_video_) return DecodeVideo(pkt);
  return {};
}

Result<void> Pass::CopyPacket(const AVPacket* pkt, AVRational tb, int64_t offset,
                              const std::vector<MuxTarget>& targets) {
  Packet shifted = NewPacket();
  if (av_packet_ref(shifted.get(), pkt) < 0) throw std::bad_alloc();
  if (shifted->pts != AV_NOPTS_VALUE) shifted->pts -= offset;
  if (shifted->dts != AV_NOPTS_VALUE) shifted->dts -= offset;
  return WriteToAll(targets, shifted.get(), tb);
}

Result<void> Pass::OnAudioPacket(const AVPacket* pkt) {
  int err = avcodec_send_packet(m_.audio_dec.get(), pkt);
  if (err < 0 && err != AVERROR_EOF && err != AVERROR_INVALIDDATA) {
    if (err == AVERROR(ENOMEM)) return MapAvError(err, "decoding the audio");
  }
  for (;;) {
    err = avcodec_receive_frame(m_.audio_dec.get(), frame_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) continue;  // damaged audio is skipped; the video decides the job
    int64_t ts = frame_->best_effort_timestamp;
    frame_->pts = ts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : ts - audio_offset_;
    Result<void> r = audio_->Push(frame_.get(), m_.audio->time_base);
    av_frame_unref(frame_.get());
    if (!r) return r;
  }
}

Result<void> Pass::CheckComplete(int read_error) {
  const double expected = report_.probe.duration_seconds;
  if (packets_ == 0) return Unsupported("the video stream has no frames");
  if (decode_video_ && report_.frames_decoded == 0) {
    return Unsupported("no frame of the video stream could be decoded");
  }
  if (decode_errors_ > 2 && decode_errors_ * 10 > packets_) {
    return Unsupported("the video stream is corrupt: " + std::to_string(decode_errors_) + " of " +
                       std::to_string(packets_) + " frames could not be decoded (the first at " +
                       Seconds1(std::max(0.0, first_error_at_)) + ")");
  }
  if (expected > 0 && video_end_ < expected - std::max(0.5, 0.02 * expected)) {
    return Unsupported("the file is truncated: its video stops at " + Seconds1(video_end_) +
                       " of " + Seconds1(expected));
  }
  if (read_error != AVERROR_EOF && read_error < 0 && read_error != AVERROR_INVALIDDATA) {
    return MapAvError(read_error, "cannot read the source file");
  }
  return {};
}

Result<void> Pass::Finish() {
  if (decode_video_) {
    KINORA_TRY_VOID(DecodeVideo(nullptr));
    KINORA_TRY_VOID(filter_->Finish([this](AVFrame* f) { return ToRungs(f); }));
  }
  if (audio_) {
    KINORA_TRY_VOID(OnAudioPacket(nullptr));
    KINORA_TRY_VOID(audio_->Finish());
  }
  for (auto& e : encoders_) KINORA_TRY_VOID(e->Finish());
  for (Muxer& h : hls_) KINORA_TRY_VOID(h.Finish());
  return mp4_->Finish();
}

Result<void> Pass::Run() {
  Packet pkt = NewPacket();
  int err = 0;
  for (;;) {
    err = av_read_frame(m_.fmt.get(), pkt.get());
    if (err < 0) break;
    Result<void> r;
    if (pkt->stream_index == m_.video->index) {
      r = OnVideoPacket(pkt.get());
    } else if (audio_ && pkt->stream_index == m_.audio->index) {
      r = OnAudioPacket(pkt.get());
    } else if (!audio_copies_.empty() && pkt->stream_index == m_.audio->index) {
      r = CopyPacket(pkt.get(), m_.audio->time_base, audio_offset_, audio_copies_);
    }
    av_packet_unref(pkt.get());
    if (!r) return r;
  }
  KINORA_TRY_VOID(Finish());
  return CheckComplete(err);
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

}  // namespace

Result<TranscodeReport> Transcode(const fs::path& input, const fs::path& out_dir,
                                  const TranscodeOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const double cpu_started = CpuSeconds();
  TranscodeReport report;
  KINORA_TRY(report.probe, ProbeFile(input));
  KINORA_TRY(Media media, OpenMedia(input));
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
    if (pass.thumbnails().has_frame()) {
      KINORA_TRY(thumbs, pass.thumbnails().Encode());
    } else {  // a pure remux decoded nothing: sample a few frames instead
      KINORA_TRY(thumbs, (MakeThumbnails(input, o.thumbnails)));
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
