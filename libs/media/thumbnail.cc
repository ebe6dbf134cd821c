#include "kinora/media/thumbnail.h"

extern "C" {}

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

#include "kinora/media/av.h"
#include "kinora/media/internal/jpeg.h"

namespace kinora::media {
namespace {

Error Unsupported(std::string message) {
  return MakeError(ErrorCode::kUnsupported, std::move(message));
}

// Rounds to the nearest even number, at least 2: 4:2:0 chroma needs even dimensions.
int Even(double v) { return std::max(2, 2 * static_cast<int>(std::lround(v / 2))); }

Frame AllocFrame(int width, int height, AVPixelFormat format) {
  Frame f = NewFrame();
  f->width = width;
  f->height = height;
  f->format = format;
  if (av_frame_get_buffer(f.get(), 0) < 0) throw std::bad_alloc();
  return f;
}

// Same rule as the probe: the clockwise display rotation, snapped to 0/90/180/270.
struct Decoder {
  InputFormat fmt;
  CodecContext dec;
  AVStream* stream = nullptr;
  Packet pkt = NewPacket();
  bool draining = false;
};

Result<Decoder> OpenDecoder(const std::filesystem::path& input, int64_t max_pixels) {
  Decoder d;
  KINORA_TRY(d.fmt, OpenInput(input, max_pixels));
  for (unsigned i = 0; i < d.fmt->nb_streams; ++i) {
    AVStream* st = d.fmt->streams[i];
    bool video = st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
                 !(st->disposition & AV_DISPOSITION_ATTACHED_PIC);
    if (video && !d.stream) {
      d.stream = st;
    } else {
      st->discard = AVDISCARD_ALL;  // demux only what we decode
    }
  }
  if (!d.stream) return Unsupported("no video stream");
  const AVCodec* codec = avcodec_find_decoder(d.stream->codecpar->codec_id);
  if (!codec) return Unsupported("no decoder for the video codec");
  d.dec.reset(avcodec_alloc_context3(codec));
  if (!d.dec) throw std::bad_alloc();
  int err = avcodec_parameters_to_context(d.dec.get(), d.stream->codecpar);
  d.dec->max_pixels = max_pixels > 0 && max_pixels < INT_MAX ? max_pixels : INT_MAX;
  if (err >= 0) err = avcodec_open2(d.dec.get(), codec, nullptr);
  if (err < 0) return MapAvError(err, "cannot open the video decoder");
  return d;
}

// Returns 0 with the next frame in `out`, AVERROR_EOF at the end, or another libav error.
int DecodeNext(Decoder& d, AVFrame* out) {
  for (;;) {
    int err = avcodec_receive_frame(d.dec.get(), out);
    if (err != AVERROR(EAGAIN)) return err;
    if (d.draining) return AVERROR_EOF;
    err = av_read_frame(d.fmt.get(), d.pkt.get());
    if (err == AVERROR_EOF) {
      d.draining = true;
      avcodec_send_packet(d.dec.get(), nullptr);
      continue;
    }
    if (err < 0) return err;
    if (d.pkt->stream_index == d.stream->index) err = avcodec_send_packet(d.dec.get(), d.pkt.get());
    av_packet_unref(d.pkt.get());
    if (err < 0 && err != AVERROR_INVALIDDATA) return err;  // a corrupt packet is skipped
  }
}

int64_t StartTs(const Decoder& d) {
  return d.stream->start_time == AV_NOPTS_VALUE ? 0 : d.stream->start_time;
}

double Seconds(const Decoder& d, const AVFrame& f) {
  int64_t ts = f.best_effort_timestamp == AV_NOPTS_VALUE ? StartTs(d) : f.best_effort_timestamp;
  return static_cast<double>(ts - StartTs(d)) * av_q2d(d.stream->time_base);
}

// Timestamps (stream time base) spread over 10%..90% of the video; over the first 10 s when
// the duration is unknown.
std::vector<int64_t> Targets(const Decoder& d, int n) {
  double tb = av_q2d(d.stream->time_base);
  double duration = 0;
  if (d.stream->duration != AV_NOPTS_VALUE && d.stream->duration > 0) {
    duration = static_cast<double>(d.stream->duration) * tb;
  } else if (d.fmt->duration > 0) {
    duration = static_cast<double>(d.fmt->duration) / AV_TIME_BASE;
  }
  if (duration <= 0) duration = 10;
  std::vector<int64_t> targets;
  for (int i = 0; i < n; ++i) {
    double frac = n == 1 ? 0.5 : 0.1 + 0.8 * i / (n - 1);
    targets.push_back(StartTs(d) + std::llround(frac * duration / tb));
  }
  return targets;
}

// Standard deviation of luma, discounted when the frame is nearly black or white: a flat,
// dark or blown-out frame says nothing about the video.
Result<double> Score(const AVFrame& f) {
  constexpr int kW = 128, kH = 72;
  Scaler s(sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), kW, kH,
                          AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr, nullptr));
  if (!s) return Unsupported("cannot convert the video's pixel format");
  Frame gray = AllocFrame(kW, kH, AV_PIX_FMT_GRAY8);
  sws_scale(s.get(), f.data, f.linesize, 0, f.height, gray->data, gray->linesize);
  double sum = 0, sum_sq = 0;
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      double v = gray->data[0][y * gray->linesize[0] + x];
      sum += v;
      sum_sq += v * v;
    }
  }
  double mean = sum / (kW * kH);
  double score = std::sqrt(std::max(0.0, sum_sq / (kW * kH) - mean * mean));
  return mean < 24 || mean > 232 ? score * 0.25 : score;
}

struct Picker {
  Frame best;
  double score = -1;
  double seconds = 0;

  Result<void> Offer(const AVFrame& f, double t) {
    KINORA_TRY(double s, Score(f));
    if (best && s <= score) return {};
    best.reset(av_frame_clone(&f));
    if (!best) throw std::bad_alloc();
    score = s;
    seconds = t;
    return {};
  }
};

// Decodes on from the current position and offers the first frame at or after `target`, or the
// last frame decoded if the stream ends (or breaks) before it.
Result<void> OfferFrameAt(Decoder& d, int64_t target, Picker& picker) {
  Frame cur = NewFrame(), prev = NewFrame();
  bool have_prev = false;
  for (;;) {
    if (DecodeNext(d, cur.get()) < 0) {
      if (have_prev) return picker.Offer(*prev, Seconds(d, *prev));
      return {};
    }
    int64_t ts = cur->best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE || ts >= target) return picker.Offer(*cur, Seconds(d, *cur));
    std::swap(cur, prev);
    av_frame_unref(cur.get());
    have_prev = true;
  }
}

// Scales to width x height as full-range 4:2:0, the layout the MJPEG encoder takes.
Result<Frame> ScaleTo(const AVFrame& src, int width, int height) {
  Scaler s(sws_getContext(src.width, src.height, static_cast<AVPixelFormat>(src.format), width,
                          height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!s) return Unsupported("cannot convert the video's pixel format");
  int *inv_table = nullptr, *table = nullptr;
  int src_range = 0, dst_range = 0, brightness = 0, contrast = 0, saturation = 0;
  if (sws_getColorspaceDetails(s.get(), &inv_table, &src_range, &table, &dst_range, &brightness,
                               &contrast, &saturation) >= 0) {
    src_range = src_range || src.color_range == AVCOL_RANGE_JPEG;
    sws_setColorspaceDetails(s.get(), inv_table, src_range, table, 1, brightness, contrast,
                             saturation);
  }
  Frame dst = AllocFrame(width, height, AV_PIX_FMT_YUVJ420P);
  sws_scale(s.get(), src.data, src.linesize, 0, src.height, dst->data, dst->linesize);
  return dst;
}

// Rotates a YUV 4:2:0 image (even dimensions) clockwise by 90, 180 or 270 degrees.
Frame Rotate(const AVFrame& src, int degrees) {
  bool swap = degrees % 180 != 0;
  Frame dst = AllocFrame(swap ? src.height : src.width, swap ? src.width : src.height,
                         static_cast<AVPixelFormat>(src.format));
  for (int p = 0; p < 3; ++p) {
    int w = p ? src.width / 2 : src.width, h = p ? src.height / 2 : src.height;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        int dx = degrees == 90 ? h - 1 - y : degrees == 180 ? w - 1 - x : y;
        int dy = degrees == 90 ? x : degrees == 180 ? h - 1 - y : w - 1 - x;
        dst->data[p][dy * dst->linesize[p] + dx] = src.data[p][y * src.linesize[p] + x];
      }
    }
  }
  return dst;
}

// The picked frame upright at width x height (display orientation).
Result<Frame> Render(const AVFrame& src, int rotation, int width, int height) {
  bool swap = rotation % 180 != 0;
  KINORA_TRY(Frame scaled, ScaleTo(src, swap ? height : width, swap ? width : height));
  if (rotation == 0) return scaled;
  return Rotate(*scaled, rotation);
}

// Centers `img` on a black width x height canvas.
Frame Letterbox(const AVFrame& img, int width, int height) {
  Frame card = AllocFrame(width, height, AV_PIX_FMT_YUVJ420P);
  int x0 = (width - img.width) / 2 & ~1, y0 = (height - img.height) / 2 & ~1;
  for (int p = 0; p < 3; ++p) {
    int shift = p ? 1 : 0;
    int rows = (height + shift) >> shift;
    std::memset(card->data[p], p ? 128 : 0, static_cast<size_t>(card->linesize[p]) * rows);
    for (int y = 0; y < img.height >> shift; ++y) {
      std::memcpy(card->data[p] + ((y0 >> shift) + y) * card->linesize[p] + (x0 >> shift),
                  img.data[p] + y * img.linesize[p], static_cast<size_t>(img.width >> shift));
    }
  }
  return card;
}

// Poster and card of a frame whose display orientation needs `rotation` and whose pixels have
// aspect ratio `sar`.
Result<Thumbnails> EncodeFrame(const AVFrame* f, int rotation, AVRational sar, double seconds,
                               const ThumbnailOptions& o) {
  double dw = f->width * (sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0);
  double dh = f->height;
  if (rotation % 180 != 0) std::swap(dw, dh);

  Thumbnails t;
  t.picked_seconds = seconds;
  t.poster_width = std::min(Even(dw), o.poster_max_width & ~1);
  t.poster_height = Even(t.poster_width * dh / dw);
  KINORA_TRY(Frame poster, Render(*f, rotation, t.poster_width, t.poster_height));
  KINORA_TRY(t.poster_jpeg, internal::EncodeJpeg(poster.get(), o.jpeg_quality));

  double fit = std::min(o.card_width / dw, o.card_height / dh);
  int w = std::min(Even(dw * fit), o.card_width & ~1);
  int h = std::min(Even(dh * fit), o.card_height & ~1);
  KINORA_TRY(Frame scaled, Render(*f, rotation, w, h));
  Frame card = Letterbox(*scaled, o.card_width, o.card_height);
  KINORA_TRY(t.card_jpeg, internal::EncodeJpeg(card.get(), o.jpeg_quality));
  return t;
}

Result<Thumbnails> Encode(const Decoder& d, const Picker& picker, const ThumbnailOptions& o) {
  AVFrame* f = picker.best.get();
  AVRational sar = av_guess_sample_aspect_ratio(d.fmt.get(), d.stream, f);
  return EncodeFrame(f, DisplayRotation(d.stream), sar, picker.seconds, o);
}

}  // namespace

struct ThumbnailPicker::State {
  Picker picker;
  Picker fallback;  // the first frame, for clips shorter than the first candidate time
};

ThumbnailPicker::ThumbnailPicker(const ThumbnailOptions& o, double duration_seconds)
    : options_(o), state_(std::make_unique<State>()) {
  const double d = duration_seconds > 0 ? duration_seconds : 10;
  const int n = std::max(1, o.candidates);
  for (int i = 0; i < n; ++i) targets_.push_back(d * (n == 1 ? 0.5 : 0.1 + 0.8 * i / (n - 1)));
}

ThumbnailPicker::~ThumbnailPicker() = default;

Result<void> ThumbnailPicker::Offer(const AVFrame& upright, double seconds) {
  if (!state_->fallback.best) KINORA_TRY_VOID(state_->fallback.Offer(upright, seconds));
  if (next_ >= targets_.size() || seconds < targets_[next_]) return {};
  while (next_ < targets_.size() && seconds >= targets_[next_]) ++next_;
  return state_->picker.Offer(upright, seconds);
}

bool ThumbnailPicker::has_frame() const { return state_->fallback.best != nullptr; }

Result<Thumbnails> ThumbnailPicker::Encode() const {
  const Picker& p = state_->picker.best ? state_->picker : state_->fallback;
  const AVFrame* f = p.best.get();
  if (!f) return Unsupported("no frame could be decoded");
  return EncodeFrame(f, 0, f->sample_aspect_ratio, p.seconds, options_);
}

Result<Thumbnails> MakeThumbnails(const std::filesystem::path& input, const ThumbnailOptions& o) {
  if (o.card_width < 2 || o.card_height < 2 || o.poster_max_width < 2 || o.candidates < 1 ||
      o.card_width > 8192 || o.card_height > 8192) {
    return MakeError(ErrorCode::kInvalidArgument, "thumbnail options out of range");
  }
  KINORA_TRY(Decoder d, OpenDecoder(input, o.max_pixels));
  std::vector<int64_t> targets = Targets(d, o.candidates);
  Picker picker;
  bool seekable = true;
  for (int64_t target : targets) {
    if (av_seek_frame(d.fmt.get(), d.stream->index, target, AVSEEK_FLAG_BACKWARD) < 0) {
      seekable = false;
      break;
    }
    avcodec_flush_buffers(d.dec.get());
    d.draining = false;
    KINORA_TRY_VOID(OfferFrameAt(d, target, picker));
  }
  if (!seekable || !picker.best) {
    // Unseekable or too short to seek in: decode once from the start, sampling as we go.
    KINORA_TRY(d, OpenDecoder(input, o.max_pixels));
    for (int64_t target : targets) KINORA_TRY_VOID(OfferFrameAt(d, target, picker));
  }
  if (!picker.best) return Unsupported("no frame could be decoded");
  return Encode(d, picker, o);
}

namespace internal {

Result<std::string> EncodeJpeg(AVFrame* img, int quality) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (!codec) return MakeError(ErrorCode::kInternal, "libavcodec has no MJPEG encoder");
  CodecContext enc(avcodec_alloc_context3(codec));
  if (!enc) throw std::bad_alloc();
  enc->width = img->width;
  enc->height = img->height;
  enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
  enc->color_range = AVCOL_RANGE_JPEG;
  enc->time_base = AVRational{1, 25};
  enc->flags |= AV_CODEC_FLAG_QSCALE;
  // qscale 2 is near-lossless, 31 the worst; quality 85 -> 4, like `ffmpeg -q:v 4`.
  int qscale = std::clamp(static_cast<int>(std::lround((100 - quality) / 5.0)) + 1, 2, 31);
  enc->global_quality = FF_QP2LAMBDA * qscale;
  img->quality = enc->global_quality;
  img->pts = 0;
  img->color_range = AVCOL_RANGE_JPEG;
  int err = avcodec_open2(enc.get(), codec, nullptr);
  if (err >= 0) err = avcodec_send_frame(enc.get(), img);
  if (err >= 0) err = avcodec_send_frame(enc.get(), nullptr);
  Packet pkt = NewPacket();
  if (err >= 0) err = avcodec_receive_packet(enc.get(), pkt.get());
  if (err < 0) return MapAvError(err, "cannot encode the thumbnail");
  return std::string(reinterpret_cast<const char*>(pkt->data), static_cast<size_t>(pkt->size));
}

}  // namespace internal
}  // namespace kinora::media
