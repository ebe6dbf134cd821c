#include "kinora/media/internal/decode_pass.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <string>

#include "kinora/media/input_policy.h"

namespace kinora::media::internal {
namespace {

namespace fs = std::filesystem;

Error Unsupported(std::string message) {
  return MakeError(ErrorCode::kUnsupported, std::move(message));
}

std::string Seconds1(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// The output rate as a rational: the source's own when it matches the plan (29.97 stays
// 30000/1001), else the plan's rate.
AVRational OutputRate(double fps, const AVStream* st) {
  for (AVRational r : {st->avg_frame_rate, st->r_frame_rate}) {
    if (r.num > 0 && r.den > 0 && std::fabs(av_q2d(r) - fps) < 0.01) return r;
  }
  return av_d2q(fps, 1001000);
}

// Source audio every output can carry as it is: AAC-LC, 48 kHz, stereo (what the encoder
// would make anyway).
bool AudioIsWebReady(const AVCodecParameters* a) {
  return a->codec_id == AV_CODEC_ID_AAC && a->profile == FF_PROFILE_AAC_LOW &&
         a->sample_rate == 48000 && a->ch_layout.nb_channels == 2 && a->extradata_size > 0;
}

}  // namespace

Result<void> Pass::Setup() {
  rate_ = OutputRate(plan_.fps, m_.video);
  const int64_t start = m_.fmt->start_time == AV_NOPTS_VALUE ? 0 : m_.fmt->start_time;
  video_offset_ = av_rescale_q(start, AV_TIME_BASE_Q, m_.video->time_base);
  if (m_.audio) audio_offset_ = av_rescale_q(start, AV_TIME_BASE_Q, m_.audio->time_base);

  bool any_copy = false;
  for (const Rung& r : plan_.hls) any_copy |= r.copy;
  internal::EncodeSettings settings{o_.x264_preset, o_.crf, plan_.gop_frames, any_copy};
  settings.measure_quality = o_.analyze;
  settings.expected_frames = std::llround(report_.probe.duration_seconds * av_q2d(rate_));
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
  if (o_.analyze) {  // the analysis reads every picture and every sample, copied or not
    decode_video_ = true;
    video_analysis_ =
        std::make_unique<VideoAnalyzer>(rate_, report_.probe.duration_seconds, o_.video_detectors);
    video_analysis_->Start();
    if (m_.audio) {
      audio_analysis_ =
          std::make_unique<AudioAnalyzer>(m_.audio->time_base, report_.probe.duration_seconds);
    }
  }
  if (decode_video_) {
    filter_ = std::make_unique<UprightFilter>(report_.probe.rotation, rate_, m_.video->time_base);
  }
  // Rungs under 720p are scaled from the largest encoded rung of at most 720p (the "hub"), not
  // from the source: less to read per picture; the hub and anything larger take the source.
  auto hub = std::find_if(encoders_.begin(), encoders_.end(), [](const auto& e) {
    return int64_t{e->codec()->width} * e->codec()->height <= int64_t{1280} * 720;
  });
  for (auto it = encoders_.begin(); it != encoders_.end(); ++it) {
    if (hub != encoders_.end() && it > hub) {
      (*hub)->AddChild(it->get());
    } else {
      roots_.push_back(it->get());
    }
  }
  for (auto& e : encoders_) e->Start();
  return {};
}

void Pass::Progress() {
  if (!o_.on_progress || !m_.fmt->pb) return;
  const int64_t size = avio_size(m_.fmt->pb), pos = avio_tell(m_.fmt->pb);
  if (size <= 0 || pos < 0) return;
  int percent =
      static_cast<int>(std::min(99.0, 100 * static_cast<double>(pos) / static_cast<double>(size)));
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
  for (RungEncoder* e : roots_) KINORA_TRY_VOID(e->Push(upright));
  if (video_analysis_) video_analysis_->Push(upright);
  return {};
}

Result<void> Pass::DecodeVideo(const AVPacket* pkt) {
  int err = avcodec_send_packet(m_.video_dec.get(), pkt);
  if (err < 0 && err != AVERROR_EOF) {
    if (err == AVERROR(ENOMEM)) return MapAvError(err, "decoding the video");
    ++decode_errors_;  // a damaged packet: counted, skipped
    if (first_error_at_ < 0 && pkt) {
      first_error_at_ =
          static_cast<double>(pkt->pts == AV_NOPTS_VALUE ? 0 : pkt->pts - video_offset_) *
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
    if (audio_analysis_) audio_analysis_->Push(frame_.get());
    Result<void> r = audio_ ? audio_->Push(frame_.get(), m_.audio->time_base) : Result<void>{};
    av_frame_unref(frame_.get());
    if (!r) return r;
  }
}

Result<void> Pass::CheckComplete(int read_error) {
  const double expected = report_.probe.duration_seconds - gaps_.closed_seconds();
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
  if (video_analysis_) video_analysis_->Finish();
  if (audio_ || audio_analysis_) KINORA_TRY_VOID(OnAudioPacket(nullptr));
  if (audio_) KINORA_TRY_VOID(audio_->Finish());
  if (audio_analysis_) audio_analysis_->Finish(video_end_);
  for (auto& e : encoders_) KINORA_TRY_VOID(e->Finish());
  for (Muxer& h : hls_) KINORA_TRY_VOID(h.Finish());
  return mp4_->Finish();
}

Result<void> Pass::Retime(AVPacket* pkt) {
  const AVStream* st = m_.fmt->streams[pkt->stream_index];
  const int64_t offset = st == m_.video ? video_offset_ : audio_offset_;
  const int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
  if (ts == AV_NOPTS_VALUE) return {};
  const double tb = av_q2d(st->time_base);
  const double shift = gaps_.Shift(pkt->stream_index, static_cast<double>(ts - offset) * tb,
                                   static_cast<double>(std::max<int64_t>(pkt->duration, 0)) * tb);
  if (shift > 0) {
    const int64_t ticks = std::llround(shift / tb);
    if (pkt->pts != AV_NOPTS_VALUE) pkt->pts -= ticks;
    if (pkt->dts != AV_NOPTS_VALUE) pkt->dts -= ticks;
  }
  return CheckDuration(gaps_.end(), o_.limits);
}

Result<void> Pass::Run() {
  Packet pkt = NewPacket();
  int err = 0;
  for (;;) {
    err = av_read_frame(m_.fmt.get(), pkt.get());
    if (err < 0) break;
    Progress();
    Result<void> r;
    const bool wanted =
        pkt->stream_index == m_.video->index || (m_.audio && pkt->stream_index == m_.audio->index);
    if (wanted) r = Retime(pkt.get());
    if (!r) {
      av_packet_unref(pkt.get());
      return r;
    }
    if (pkt->stream_index == m_.video->index) {
      r = OnVideoPacket(pkt.get());
    } else if (m_.audio && pkt->stream_index == m_.audio->index) {
      if (!audio_copies_.empty()) {
        r = CopyPacket(pkt.get(), m_.audio->time_base, audio_offset_, audio_copies_);
      }
      if (r && (audio_ || audio_analysis_)) r = OnAudioPacket(pkt.get());
    }
    av_packet_unref(pkt.get());
    if (!r) return r;
  }
  KINORA_TRY_VOID(Finish());
  KINORA_TRY_VOID(CheckComplete(err));
  if (gaps_.closed_seconds() > 0) {  // the content's own length, not the timestamps'
    report_.gaps_closed_seconds = gaps_.closed_seconds();
    report_.probe.duration_seconds = gaps_.end();
  }
  return {};
}

}  // namespace kinora::media::internal
