#include "kinora/media/internal/audio_encoder.h"

#include <algorithm>
#include <new>

namespace kinora::media::internal {

Result<std::unique_ptr<AudioEncoder>> AudioEncoder::Open(int64_t bitrate) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) return MakeError(ErrorCode::kInternal, "libavcodec has no AAC encoder");
  std::unique_ptr<AudioEncoder> a(new AudioEncoder());
  a->enc_.reset(avcodec_alloc_context3(codec));
  if (!a->enc_) throw std::bad_alloc();
  AVCodecContext* c = a->enc_.get();
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->sample_rate = kSampleRate;
  av_channel_layout_default(&c->ch_layout, 2);
  c->bit_rate = bitrate;
  c->time_base = {1, kSampleRate};
  c->profile = FF_PROFILE_AAC_LOW;
  c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  int err = avcodec_open2(c, codec, nullptr);
  if (err < 0) return MapAvError(err, "cannot open the AAC encoder");
  a->fifo_.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, c->frame_size * 4));
  if (!a->fifo_) throw std::bad_alloc();
  return a;
}

AudioEncoder::~AudioEncoder() { av_channel_layout_uninit(&in_layout_); }

Result<void> AudioEncoder::Resample(const AVFrame* frame) {
  AVChannelLayout layout{};
  if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame->ch_layout.nb_channels == 0) {
    av_channel_layout_default(&layout, std::max(1, frame->ch_layout.nb_channels));
  } else if (av_channel_layout_copy(&layout, &frame->ch_layout) < 0) {
    throw std::bad_alloc();
  }
  if (!swr_ || frame->sample_rate != in_rate_ || frame->format != in_format_ ||
      av_channel_layout_compare(&layout, &in_layout_) != 0) {
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &enc_->ch_layout, AV_SAMPLE_FMT_FLTP, kSampleRate, &layout,
                                  static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0,
                                  nullptr);
    swr_.reset(raw);
    if (err >= 0) err = swr_init(swr_.get());
    if (err < 0) {
      av_channel_layout_uninit(&layout);
      return MapAvError(err, "cannot convert the audio");
    }
    av_channel_layout_uninit(&in_layout_);
    in_layout_ = layout;
    in_rate_ = frame->sample_rate;
    in_format_ = frame->format;
  } else {
    av_channel_layout_uninit(&layout);
  }
  const int max_out = swr_get_out_samples(swr_.get(), frame ? frame->nb_samples : 0);
  if (max_out <= 0) return {};
  uint8_t** planes = nullptr;
  if (av_samples_alloc_array_and_samples(&planes, nullptr, 2, max_out, AV_SAMPLE_FMT_FLTP, 0) < 0) {
    throw std::bad_alloc();
  }
  int n = swr_convert(swr_.get(), planes, max_out,
                      const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples);
  int err = n > 0 ? av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(planes), n) : n;
  av_freep(&planes[0]);
  av_freep(&planes);
  if (err < 0) return MapAvError(err, "cannot convert the audio");
  return {};
}

Result<void> AudioEncoder::Push(const AVFrame* frame, AVRational time_base) {
  if (!started_) {
    started_ = true;
    if (frame->pts != AV_NOPTS_VALUE) {
      next_pts_ = std::max<int64_t>(0, av_rescale_q(frame->pts, time_base, {1, kSampleRate}));
    }
  }
  KINORA_TRY_VOID(Resample(frame));
  return EncodeFromFifo(false);
}

Result<void> AudioEncoder::EncodeFromFifo(bool final) {
  const int frame_size = enc_->frame_size;
  while (av_audio_fifo_size(fifo_.get()) >= frame_size ||
         (final && av_audio_fifo_size(fifo_.get()) > 0)) {
    const int n = std::min(frame_size, av_audio_fifo_size(fifo_.get()));
    av_frame_unref(out_.get());
    out_->nb_samples = frame_size;
    out_->format = AV_SAMPLE_FMT_FLTP;
    out_->sample_rate = kSampleRate;
    if (av_channel_layout_copy(&out_->ch_layout, &enc_->ch_layout) < 0 ||
        av_frame_get_buffer(out_.get(), 0) < 0) {
      throw std::bad_alloc();
    }
    if (n < frame_size) {  // the final partial frame: pad with silence
      av_samples_set_silence(out_->extended_data, n, frame_size - n, 2, AV_SAMPLE_FMT_FLTP);
    }
    if (av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(out_->extended_data), n) < n) {
      return MakeError(ErrorCode::kInternal, "audio buffer underrun");
    }
    out_->nb_samples = n < frame_size ? n : frame_size;
    out_->pts = next_pts_;
    next_pts_ += n;
    KINORA_TRY_VOID(Send(out_.get()));
  }
  return {};
}

Result<void> AudioEncoder::Send(AVFrame* frame) {
  int err = avcodec_send_frame(enc_.get(), frame);
  if (err < 0) return MapAvError(err, "AAC encoding failed");
  for (;;) {
    err = avcodec_receive_packet(enc_.get(), pkt_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return MapAvError(err, "AAC encoding failed");
    Result<void> w = WriteToAll(outputs_, pkt_.get(), enc_->time_base);
    av_packet_unref(pkt_.get());
    if (!w) return w;
  }
}

Result<void> AudioEncoder::Finish() {
  if (swr_) {  // what the resampler still holds
    const int max_out = swr_get_out_samples(swr_.get(), 0);
    if (max_out > 0) {
      uint8_t** planes = nullptr;
      if (av_samples_alloc_array_and_samples(&planes, nullptr, 2, max_out, AV_SAMPLE_FMT_FLTP, 0) <
          0) {
        throw std::bad_alloc();
      }
      int n = swr_convert(swr_.get(), planes, max_out, nullptr, 0);
      if (n > 0) av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(planes), n);
      av_freep(&planes[0]);
      av_freep(&planes);
    }
  }
  KINORA_TRY_VOID(EncodeFromFifo(true));
  return Send(nullptr);
}

}  // namespace kinora::media::internal
