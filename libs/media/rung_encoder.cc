#include "kinora/media/internal/rung_encoder.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <new>

namespace kinora::media::internal {
namespace {

constexpr size_t kQueueFrames = 6;

}  // namespace

Result<std::unique_ptr<RungEncoder>> RungEncoder::Open(const Rung& rung, const EncodeSettings& s,
                                                       AVRational rate) {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) return MakeError(ErrorCode::kInternal, "libavcodec was built without libx264");
  std::unique_ptr<RungEncoder> r(new RungEncoder());
  r->rung_ = rung;
  r->settings_ = s;
  r->enc_.reset(avcodec_alloc_context3(codec));
  if (!r->enc_) throw std::bad_alloc();
  AVCodecContext* c = r->enc_.get();
  c->width = rung.width;
  c->height = rung.height;
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->sample_aspect_ratio = {1, 1};
  c->time_base = av_inv_q(rate);
  c->framerate = rate;
  c->color_range = AVCOL_RANGE_MPEG;
  c->gop_size = s.follow_source_keyframes ? 4 * s.gop_frames : s.gop_frames;
  c->keyint_min = s.follow_source_keyframes ? 1 : s.gop_frames;
  c->rc_max_rate = rung.video_bitrate;
  c->rc_buffer_size = static_cast<int>(std::min<int64_t>(2 * rung.video_bitrate, INT32_MAX));
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // fMP4 and MP4 carry SPS/PPS in the init segment
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "preset", s.preset.c_str(), 0);
  av_dict_set_int(&opts, "crf", s.crf, 0);
  av_dict_set(&opts, "profile", "high", 0);
  av_dict_set(&opts, "forced-idr", "1", 0);
  av_dict_set(&opts, "x264-params", "scenecut=0:open-gop=0", 0);  // aligned, closed GOPs
  int err = avcodec_open2(c, codec, &opts);
  av_dict_free(&opts);
  if (err < 0) return MapAvError(err, "cannot open the H.264 encoder for " + rung.name);
  if (s.measure_quality) {
    r->quality_ = std::make_unique<QualitySampler>(
        c, SamplingPlan{s.gop_frames, s.follow_source_keyframes, s.expected_frames});
  }
  return r;
}

RungEncoder::~RungEncoder() {
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      eof_ = true;
      if (!error_) error_ = MakeError(ErrorCode::kCancelled, "cancelled");
    }
    cv_.notify_all();
    thread_.join();
  }
}

void RungEncoder::Start() {
  thread_ = std::thread([this] { Run(); });
}

Result<void> RungEncoder::Push(const AVFrame* frame) {
  Frame ref = NewFrame();
  if (av_frame_ref(ref.get(), frame) < 0) throw std::bad_alloc();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.size() < kQueueFrames || error_; });
  if (error_) return *error_;
  queue_.push_back(std::move(ref));
  cv_.notify_all();
  return {};
}

Result<void> RungEncoder::Finish() {
  {
    std::lock_guard lock(mu_);
    eof_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (error_) return *error_;
  return {};
}

void RungEncoder::Run() {
  Frame scaled = NewFrame();
  bool kept = false;  // the quality sampler holds the last picture
  for (;;) {
    Frame next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || eof_ || error_; });
      if (error_) return;
      if (queue_.empty()) break;  // eof and drained
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    cv_.notify_all();
    // Children keep references to the picture, so a hub takes a fresh buffer per picture
    // rather than copying the one they still hold; so does a picture kept as a quality sample.
    if (!children_.empty() || kept) av_frame_unref(scaled.get());
    Result<void> r = Scale(*next, scaled.get());
    if (r && quality_) kept = quality_->OnPicture(*scaled, next->key_frame);
    for (size_t i = 0; r && i < children_.size(); ++i) r = children_[i]->Push(scaled.get());
    if (r) r = Encode(scaled.get());
    if (!r) {
      std::lock_guard lock(mu_);
      error_ = r.error();
      cv_.notify_all();
      return;
    }
  }
  Result<void> r = Encode(nullptr);  // drain the encoder
  if (quality_) quality_->Finish();
  std::lock_guard lock(mu_);
  if (!r) error_ = r.error();
}

Result<RungQuality> RungEncoder::quality() const {
  if (!quality_) {
    RungQuality none;
    none.rung = rung_.name;
    return none;
  }
  KINORA_TRY(RungQuality q, quality_->result());
  q.rung = rung_.name;
  return q;
}

Result<void> RungEncoder::Scale(const AVFrame& src, AVFrame* dst) {
  sws_.reset(sws_getCachedContext(sws_.release(), src.width, src.height,
                                  static_cast<AVPixelFormat>(src.format), rung_.width, rung_.height,
                                  AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!sws_) return MakeError(ErrorCode::kUnsupported, "cannot convert the picture format");
  if (!dst->buf[0]) {  // one picture buffer, reused for every frame of the rung
    dst->width = rung_.width;
    dst->height = rung_.height;
    dst->format = AV_PIX_FMT_YUV420P;
    if (av_frame_get_buffer(dst, 0) < 0) throw std::bad_alloc();
  } else if (av_frame_make_writable(dst) < 0) {  // copies only if the encoder still holds it
    throw std::bad_alloc();
  }
  sws_scale(sws_.get(), src.data, src.linesize, 0, src.height, dst->data, dst->linesize);
  dst->pts = src.pts;
  dst->key_frame = src.key_frame;  // for rungs scaled from this one
  dst->sample_aspect_ratio = {1, 1};
  dst->color_range = AVCOL_RANGE_MPEG;
  // Key frames are the encoder's choice (every gop_frames), unless they follow the source's.
  dst->pict_type =
      settings_.follow_source_keyframes && src.key_frame ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  return {};
}

Result<void> RungEncoder::Encode(AVFrame* scaled) {
  int err = avcodec_send_frame(enc_.get(), scaled);
  if (err < 0) return MapAvError(err, "H.264 encoding failed for " + rung_.name);
  if (scaled) ++frames_;
  for (;;) {
    err = avcodec_receive_packet(enc_.get(), pkt_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return MapAvError(err, "H.264 encoding failed for " + rung_.name);
    if (quality_) quality_->OnPacket(*pkt_);
    Result<void> w = WriteToAll(outputs_, pkt_.get(), enc_->time_base);
    av_packet_unref(pkt_.get());
    if (!w) return w;
  }
}

}  // namespace kinora::media::internal
