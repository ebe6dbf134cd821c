#include "kinora/media/internal/audio_analyzer.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kinora::media::internal {
namespace {

constexpr double kTruePeakRate = 192000;      // ebur128's: 4x of its 48 kHz input
constexpr size_t kMaxWaveformPoints = 12000;  // 20 min at 100 ms

std::optional<double> Meta(const AVFrame* f, const char* key) {
  const AVDictionaryEntry* e = av_dict_get(f->metadata, key, nullptr, 0);
  if (!e) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(e->value, &end);
  if (end == e->value || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

AudioAnalyzer::AudioAnalyzer(AVRational time_base, double duration_seconds) : tb_(time_base) {
  interval_ = 0.1;
  if (duration_seconds / interval_ > kMaxWaveformPoints) {
    interval_ = std::ceil(duration_seconds / kMaxWaveformPoints * 10) / 10;
  }
}

AudioAnalyzer::~AudioAnalyzer() = default;

void AudioAnalyzer::Fail(std::string what) {
  if (!failed_) failed_ = "loudness, silence, waveform: " + std::move(what);
  graph_.reset();
}

void AudioAnalyzer::Push(const AVFrame* frame) {
  if (failed_) return;
  if (!graph_) {
    char layout[128] = "";
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      AVChannelLayout def;
      av_channel_layout_default(&def, frame->ch_layout.nb_channels);
      av_channel_layout_describe(&def, layout, sizeof layout);
    } else {
      av_channel_layout_describe(&frame->ch_layout, layout, sizeof layout);
    }
    char args[320];
    std::snprintf(args, sizeof args,
                  "time_base=%d/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s", tb_.num,
                  tb_.den, frame->sample_rate,
                  av_get_sample_fmt_name(static_cast<AVSampleFormat>(frame->format)), layout);
    // ebur128 takes 48 kHz doubles (libavfilter converts to them); the waveform and the true
    // peak read its output as it is.
    auto g = FilterGraph::Create("abuffer", args,
                                 "ebur128=metadata=1,silencedetect=n=-60dB:d=1,"
                                 "aformat=sample_fmts=dbl");
    if (!g) return Fail(g.error().message);
    graph_.emplace(std::move(*g));
  }
  if (auto r = graph_->Push(frame, [this](AVFrame* f, AVRational tb) { OnFiltered(f, tb); }); !r) {
    Fail(r.error().message);
  }
}

void AudioAnalyzer::OnFiltered(AVFrame* f, AVRational tb) {
  if (failed_ || f->pts == AV_NOPTS_VALUE) return;
  any_ = true;
  if (auto i = Meta(f, "lavfi.r128.I")) integrated_ = *i;
  if (auto lra = Meta(f, "lavfi.r128.LRA")) range_ = *lra;
  if (auto start = Meta(f, "lavfi.silence_start")) silence_open_ = std::max(0.0, *start);
  if (auto end = Meta(f, "lavfi.silence_end"); end && silence_open_) {
    silence_.push_back({*silence_open_, *end});
    silence_open_.reset();
  }
  const int channels = f->ch_layout.nb_channels;
  const auto* s = reinterpret_cast<const double*>(f->data[0]);
  const double start = static_cast<double>(f->pts) * av_q2d(tb);
  end_seconds_ =
      std::max(end_seconds_, start + static_cast<double>(f->nb_samples) / f->sample_rate);

  // Waveform: every sample lands in the interval of its own time.
  for (int i = 0; i < f->nb_samples; ++i) {
    const double t = start + static_cast<double>(i) / f->sample_rate;
    if (t < 0) continue;
    const auto bucket = static_cast<size_t>(t / interval_);
    if (bucket >= peak_.size()) {
      if (bucket > kMaxWaveformPoints * 2) continue;  // a timestamp far past the expected end
      peak_.resize(bucket + 1, 0.f);
      sum_squares_.resize(bucket + 1, 0.0);
      samples_.resize(bucket + 1, 0);
    }
    for (int c = 0; c < channels; ++c) {
      const double v = s[static_cast<size_t>(i) * channels + c];
      peak_[bucket] = std::max(peak_[bucket], static_cast<float>(std::fabs(v)));
      sum_squares_[bucket] += v * v;
    }
    samples_[bucket] += channels;
  }

  // True peak as ebur128 measures it: the same swresample upsampling of the same samples.
  if (!swr_) {
    SwrContext* raw = nullptr;
    if (swr_alloc_set_opts2(&raw, &f->ch_layout, AV_SAMPLE_FMT_DBL, static_cast<int>(kTruePeakRate),
                            &f->ch_layout, AV_SAMPLE_FMT_DBL, f->sample_rate, 0, nullptr) < 0 ||
        swr_init(raw) < 0) {
      swr_free(&raw);
      return Fail("cannot set up the true-peak resampler");
    }
    swr_.reset(raw);
  }
  const int capacity =
      static_cast<int>(static_cast<double>(f->nb_samples) * kTruePeakRate / f->sample_rate + 256);
  upsampled_.resize(static_cast<size_t>(capacity) * channels);
  uint8_t* out[1] = {reinterpret_cast<uint8_t*>(upsampled_.data())};
  const uint8_t* in[1] = {f->data[0]};
  const int n = swr_convert(swr_.get(), out, capacity, in, f->nb_samples);
  for (int i = 0; i < n * channels; ++i)
    true_peak_ = std::max(true_peak_, std::fabs(upsampled_[i]));
}

void AudioAnalyzer::Finish(double end_seconds) {
  if (graph_ && !failed_) {
    if (auto r = graph_->Finish([this](AVFrame* f, AVRational tb) { OnFiltered(f, tb); }); !r) {
      Fail(r.error().message);
    }
  }
  graph_.reset();
  end_seconds_ = std::max(end_seconds_, end_seconds);
}

void AudioAnalyzer::Fill(ContentAnalysis& a) const {
  if (failed_) {
    a.complete = false;
    a.incomplete.push_back(*failed_);
    return;
  }
  if (!any_) return;
  a.loudness = Loudness{
      integrated_.value_or(-70.0), range_.value_or(0.0),
      true_peak_ > 0 ? 20 * std::log10(true_peak_) : -std::numeric_limits<double>::infinity()};
  a.silence = silence_;
  if (silence_open_ && end_seconds_ > *silence_open_)
    a.silence.push_back({*silence_open_, end_seconds_});
  Waveform w;
  w.interval_seconds = interval_;
  w.peak = peak_;
  w.rms.resize(peak_.size());
  for (size_t i = 0; i < peak_.size(); ++i) {
    w.rms[i] =
        samples_[i] > 0
            ? static_cast<float>(std::sqrt(sum_squares_[i] / static_cast<double>(samples_[i])))
            : 0.f;
  }
  a.waveform = std::move(w);
}

}  // namespace kinora::media::internal
