#include "kinora/media/internal/rung_quality.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace kinora::media::internal {
namespace {

// More samples than this means the plan is being retried over and over (every GOP shorter
// than the offset); the measure is good enough by then.
constexpr int kMaxKept = 2 * kQualitySamples;

}  // namespace

QualitySampler::QualitySampler(const AVCodecContext* encoder, const SamplingPlan& plan)
    : encoder_(encoder), plan_(plan), decoded_(NewFrame()) {
  plan_.gop_frames = std::max(1, plan_.gop_frames);
  int64_t offset = std::min(kQualitySampleOffset, plan_.gop_frames / 2);
  // A clip shorter than the offset still gets a sample: its middle frame.
  if (plan_.expected_frames > 0) offset = std::min(offset, plan_.expected_frames / 2);
  offset_ = static_cast<int>(offset);
  // A sample costs about as much as encoding a few frames (the decoder goes through the key
  // frame and the references before it), so short videos get fewer: one per 2.5 nominal GOPs
  // (5 s at the usual 2 s GOP), at least one.
  targets_ = static_cast<int>(std::clamp<int64_t>(
      plan_.expected_frames * 2 / (5 * int64_t{plan_.gop_frames}), 1, kQualitySamples));
}

// Whether the GOP starting at picture `index` gets a sample. Known length: the GOPs that hold
// the middles of targets_ equal stretches of the video (by nominal GOP length, so a GOP is
// picked once the next middle is less than a GOP ahead). Unknown length: GOPs 0, 3, 7, 15, 31…
bool QualitySampler::WantGop(int64_t index) {
  if (planned_ >= kMaxKept) return false;
  if (retry_) {
    retry_ = false;
    return true;
  }
  const int64_t n = plan_.expected_frames;
  if (n <= 0) {
    const int64_t g = gops_ - 1;
    return g == 0 || (g >= 3 && ((g + 1) & g) == 0);
  }
  auto target = [&](int j) { return (2 * int64_t{j} + 1) * n / (2 * int64_t{targets_}); };
  if (next_target_ >= targets_ || target(next_target_) >= index + plan_.gop_frames) return false;
  while (next_target_ < targets_ && target(next_target_) < index + plan_.gop_frames) {
    ++next_target_;
  }
  return true;
}

bool QualitySampler::OnPicture(const AVFrame& picture, bool source_key) {
  if (error_) return false;
  const int64_t i = index_++;
  const int64_t since = i - gop_start_;
  const int gop = plan_.gop_frames;
  const bool new_gop =
      i == 0 || (plan_.follow_source_keyframes ? source_key || since >= 4 * gop : since >= gop);
  if (new_gop) {
    if (in_sampled_gop_) {  // this GOP ended before its sample: try again nearer the key frame
      samples_.back().abandoned = true;
      offset_ = static_cast<int>(std::max<int64_t>(0, since / 2));
      retry_ = true;
    }
    gop_start_ = i;
    ++gops_;
    in_sampled_gop_ = WantGop(i);
    if (in_sampled_gop_) {
      samples_.emplace_back();
      samples_.back().key_pts = picture.pts;
    }
  }
  if (!in_sampled_gop_ || i - gop_start_ != offset_) return false;
  Sample& s = samples_.back();
  s.sample_pts = picture.pts;
  s.picture = NewFrame();
  if (av_frame_ref(s.picture.get(), &picture) < 0) throw std::bad_alloc();
  in_sampled_gop_ = false;
  ++planned_;
  return true;
}

void QualitySampler::OnPacket(const AVPacket& packet) {
  if (error_) return;
  if (packet.flags & AV_PKT_FLAG_KEY) {
    if (feeding_) {
      const Sample& s = samples_.front();
      // A closed GOP ended: what the decoder still holds comes out now. (A key frame before
      // the sample is one the encoder added inside the GOP: keep feeding through it.)
      if (s.abandoned || (s.sample_pts && *s.sample_pts < packet.pts)) {
        Decode(nullptr);
        if (error_) return;
        samples_.front().done = true;
        feeding_ = false;
      }
    }
    if (!feeding_) {
      while (!samples_.empty() &&
             (samples_.front().done || samples_.front().abandoned ||
              (samples_.front().sample_pts && *samples_.front().sample_pts < packet.pts))) {
        samples_.pop_front();  // can no longer be matched
      }
      if (!samples_.empty() && samples_.front().key_pts <= packet.pts) StartDecoding();
    }
  }
  if (!feeding_) return;
  Decode(&packet);
  if (error_) return;
  Sample& s = samples_.front();
  if (!s.done && s.sample_pts && packet.pts == *s.sample_pts) {
    // The sample is in: drain rather than feed the packets the decoder's reordering waits for.
    Decode(nullptr);
    if (error_) return;
    s.done = true;
  }
  if (s.done) {
    samples_.pop_front();
    feeding_ = false;  // the decoder is reset when the next sampled GOP starts
  }
}

void QualitySampler::Finish() {
  if (!error_ && feeding_) Decode(nullptr);
  feeding_ = false;
  samples_.clear();
  decoder_.reset();
}

Result<RungQuality> QualitySampler::result() const {
  if (error_) return *error_;
  RungQuality q;
  q.frames = tally_.frames();
  q.ssim = tally_.ssim();
  q.psnr_db = tally_.psnr_db();
  return q;
}

void QualitySampler::StartDecoding() {
  if (decoder_) {
    avcodec_flush_buffers(decoder_.get());
    feeding_ = true;
    return;
  }
  const AVCodec* codec = avcodec_find_decoder(encoder_->codec_id);
  if (!codec) return Fail(MakeError(ErrorCode::kInternal, "no decoder for the rung's codec"));
  decoder_.reset(avcodec_alloc_context3(codec));
  if (!decoder_) throw std::bad_alloc();
  AVCodecContext* d = decoder_.get();
  if (encoder_->extradata_size > 0) {  // SPS/PPS: the encoder keeps them out of the packets
    d->extradata = static_cast<uint8_t*>(
        av_mallocz(static_cast<size_t>(encoder_->extradata_size) + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!d->extradata) throw std::bad_alloc();
    std::memcpy(d->extradata, encoder_->extradata, static_cast<size_t>(encoder_->extradata_size));
    d->extradata_size = encoder_->extradata_size;
  }
  d->pkt_timebase = encoder_->time_base;
  d->thread_count = 1;  // a few frames at a time, on the rung's own thread
  const int err = avcodec_open2(d, codec, nullptr);
  if (err < 0) return Fail(MapAvError(err, "cannot open a decoder to measure the rung"));
  feeding_ = true;
}

void QualitySampler::Decode(const AVPacket* packet) {
  // Pictures nothing else refers to are skipped, except the sample itself.
  const Sample& s = samples_.front();
  const bool needed = !packet || !s.sample_pts || packet->pts == *s.sample_pts;
  decoder_->skip_frame = needed ? AVDISCARD_DEFAULT : AVDISCARD_NONREF;
  int err = avcodec_send_packet(decoder_.get(), packet);
  if (err < 0) return Fail(MapAvError(err, "decoding the rung's sample failed"));
  while ((err = avcodec_receive_frame(decoder_.get(), decoded_.get())) == 0) {
    Match(*decoded_);
    av_frame_unref(decoded_.get());
    if (error_) return;
  }
  if (err != AVERROR(EAGAIN) && err != AVERROR_EOF) {
    return Fail(MapAvError(err, "decoding the rung's sample failed"));
  }
  if (!packet) avcodec_flush_buffers(decoder_.get());  // ready for the next GOP
}

void QualitySampler::Match(const AVFrame& decoded) {
  if (samples_.empty()) return;
  Sample& s = samples_.front();
  if (s.done || !s.sample_pts) return;  // a picture before the sample
  const int64_t pts = decoded.pts != AV_NOPTS_VALUE ? decoded.pts : decoded.best_effort_timestamp;
  if (pts < *s.sample_pts) return;
  if (pts == *s.sample_pts) {
    Result<FrameQuality> q = CompareFrames(decoded, *s.picture);
    if (!q) return Fail(q.error());
    tally_.Add(*q);
  }
  s.done = true;  // compared, or passed without being seen
  s.picture.reset();
}

void QualitySampler::Fail(Error e) {
  error_ = std::move(e);
  feeding_ = false;
  samples_.clear();
  decoder_.reset();
}

}  // namespace kinora::media::internal
