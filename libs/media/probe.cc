#include "kinora/media/probe.h"

#include "kinora/media/av.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "kinora/core/log.h"
#include "kinora/media/input_policy.h"

namespace kinora::media {
namespace {

constexpr int kAvioBuffer = 64 * 1024;
constexpr size_t kDetectBytes = 1 << 20;  // what container detection looks at

// A read-only, seekable view of a file whose middle is missing.
struct SparseFile {
  std::string_view head, tail;
  uint64_t size = 0;
  uint64_t pos = 0;

  int Read(uint8_t* out, int n) {
    if (pos >= size) return AVERROR_EOF;
    uint64_t tail_start = size - tail.size();
    size_t want = static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(n), size - pos));
    if (pos < head.size()) {
      size_t k = std::min(want, head.size() - static_cast<size_t>(pos));
      std::memcpy(out, head.data() + pos, k);
      pos += k;
      return static_cast<int>(k);
    }
    if (pos >= tail_start) {
      size_t off = static_cast<size_t>(pos - tail_start);
      size_t k = std::min(want, tail.size() - off);
      std::memcpy(out, tail.data() + off, k);
      pos += k;
      return static_cast<int>(k);
    }
    return AVERROR(EIO);  // the middle of the file is not available to the probe
  }
  int64_t Seek(int64_t offset, int whence) {
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE) return static_cast<int64_t>(size);
    int64_t base = whence == SEEK_CUR   ? static_cast<int64_t>(pos)
                   : whence == SEEK_END ? static_cast<int64_t>(size)
                                        : 0;
    int64_t target = base + offset;
    if (target < 0) return AVERROR(EINVAL);
    pos = static_cast<uint64_t>(target);
    return target;
  }
};

struct AvioDeleter {
  void operator()(AVIOContext* c) const {
    if (c) av_freep(&c->buffer);
    avio_context_free(&c);
  }
};

int ReadPacket(void* opaque, uint8_t* buf, int n) {
  return static_cast<SparseFile*>(opaque)->Read(buf, n);
}
int64_t SeekPacket(void* opaque, int64_t offset, int whence) {
  return static_cast<SparseFile*>(opaque)->Seek(offset, whence);
}

// A stream is variable-rate when its average rate differs from the rate its timestamps tick
// at (r_frame_rate, the lowest rate that represents every timestamp exactly) by over 1 %.
bool IsVariableRate(const AVStream* st) {
  AVRational avg = st->avg_frame_rate, base = st->r_frame_rate;
  if (avg.num <= 0 || avg.den <= 0 || base.num <= 0 || base.den <= 0) return false;
  double a = av_q2d(avg), b = av_q2d(base);
  return std::fabs(a - b) > 0.01 * b;
}

// Refuses a frame size the container's header already declares out of bounds, before any
// decoder runs (avformat_find_stream_info decodes frames).
Result<void> CheckDeclaredGeometry(const AVFormatContext* fmt, const MediaLimits& limits) {
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVCodecParameters* par = fmt->streams[i]->codecpar;
    if (par->codec_type != AVMEDIA_TYPE_VIDEO || (par->width == 0 && par->height == 0)) continue;
    if (fmt->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;
    KINORA_TRY_VOID(CheckGeometry(par->width, par->height, 1, 1, limits));
  }
  return {};
}

// What the opened container holds. Reads stream info (bounded by the context's probe sizes),
// with decoders that refuse frames over the pixel limit and use one thread.
Result<ProbeResult> Describe(AVFormatContext* fmt, uint64_t total_size, const MediaLimits& limits) {
  KINORA_TRY_VOID(CheckDeclaredGeometry(fmt, limits));
  const unsigned streams = fmt->nb_streams;
  std::vector<AVDictionary*> options(streams, nullptr);
  for (AVDictionary*& d : options) {
    av_dict_set_int(&d, "max_pixels", limits.max_pixels > 0 ? limits.max_pixels : INT_MAX, 0);
    av_dict_set(&d, "threads", "1", 0);
  }
  int err = avformat_find_stream_info(fmt, options.data());
  for (AVDictionary*& d : options) av_dict_free(&d);
  if (err < 0) return MapAvError(err, "could not read the streams of the file");

  ProbeResult r;
  r.container = fmt->iformat->name;
  if (fmt->duration > 0) r.duration_seconds = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  r.bitrate = fmt->bit_rate > 0 ? fmt->bit_rate : 0;
  const AVStream* video = nullptr;
  const AVStream* audio = nullptr;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* st = fmt->streams[i];
    auto type = st->codecpar->codec_type;
    if (type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) && !video) {
      video = st;
    } else if (type == AVMEDIA_TYPE_AUDIO && !audio) {
      audio = st;
    }
  }
  if (!video) {
    return MakeError(ErrorCode::kUnsupported, audio ? "the file has audio but no video stream"
                                                    : "the file has no video stream");
  }
  r.video_codec = avcodec_get_name(video->codecpar->codec_id);
  r.width = video->codecpar->width;
  r.height = video->codecpar->height;
  AVRational rate = video->avg_frame_rate.num > 0 ? video->avg_frame_rate : video->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) r.fps = std::round(av_q2d(rate) * 1000) / 1000;
  r.rotation = DisplayRotation(video);
  AVRational sar = av_guess_sample_aspect_ratio(fmt, const_cast<AVStream*>(video), nullptr);
  if (sar.num > 0 && sar.den > 0) {
    av_reduce(&r.sar_num, &r.sar_den, sar.num, sar.den, 1 << 16);
  }
  r.variable_frame_rate = IsVariableRate(video);
  const auto pix = static_cast<AVPixelFormat>(video->codecpar->format);
  if (const char* pf = av_get_pix_fmt_name(pix)) r.pixel_format = pf;
  if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(pix)) r.bit_depth = d->comp[0].depth;
  r.video_bitrate = video->codecpar->bit_rate > 0 ? video->codecpar->bit_rate : 0;
  if (r.duration_seconds <= 0 && video->duration > 0) {
    r.duration_seconds = static_cast<double>(video->duration) * av_q2d(video->time_base);
  }
  if (audio) {
    r.audio_codec = avcodec_get_name(audio->codecpar->codec_id);
    r.sample_rate = audio->codecpar->sample_rate;
    r.channels = audio->codecpar->ch_layout.nb_channels;
    r.audio_bitrate = audio->codecpar->bit_rate > 0 ? audio->codecpar->bit_rate : 0;
  }
  if (r.bitrate == 0 && r.duration_seconds > 0) {
    r.bitrate = static_cast<int64_t>(static_cast<double>(total_size) * 8 / r.duration_seconds);
  }
  if (r.video_bitrate == 0 && r.bitrate > 0) {  // containers that only know the total rate
    r.video_bitrate = std::max<int64_t>(0, r.bitrate - r.audio_bitrate);
  }
  KINORA_TRY_VOID(CheckProbe(r, limits));
  return r;
}

}  // namespace

Result<ProbeResult> ProbeHeadTail(std::string_view head, std::string_view tail, uint64_t total_size,
                                  const MediaLimits& limits) {
  if (total_size == 0) return MakeError(ErrorCode::kUnsupported, "the file is empty");
  KINORA_TRY(const AVInputFormat* container,
             DetectContainer(head.substr(0, std::min<size_t>(head.size(), kDetectBytes))));
  SparseFile file{head, tail, total_size, 0};
  auto* buffer = static_cast<uint8_t*>(av_malloc(kAvioBuffer));
  if (!buffer) return MakeError(ErrorCode::kInternal, "out of memory");
  std::unique_ptr<AVIOContext, AvioDeleter> avio(
      avio_alloc_context(buffer, kAvioBuffer, 0, &file, ReadPacket, nullptr, SeekPacket));
  if (!avio) {
    av_free(buffer);
    return MakeError(ErrorCode::kInternal, "out of memory");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) return MakeError(ErrorCode::kInternal, "out of memory");
  raw->pb = avio.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  raw->probesize = 1 << 20;  // bounded: the probe reads at most ~1 MiB of packets
  raw->max_analyze_duration = 5 * AV_TIME_BASE;
  raw->format_probesize = 1 << 20;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "format_whitelist", kContainerWhitelist, 0);
  int err = avformat_open_input(&raw, nullptr, container, &opts);
  av_dict_free(&opts);
  if (err < 0) return MapAvError(err, "not a recognised video container");
  InputFormat fmt(raw);
  return Describe(fmt.get(), total_size, limits);
}

Result<ProbeResult> ProbeFile(const std::filesystem::path& path, const MediaLimits& limits) {
  KINORA_TRY(InputFormat fmt, OpenAcceptedInput(path, 5 << 20, 10));
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(path, ec);
  return Describe(fmt.get(), ec ? 0 : size, limits);
}

boost::json::object ToJson(const ProbeResult& p) {
  return {{"container", p.container},
          {"duration_seconds", p.duration_seconds},
          {"bitrate", p.bitrate},
          {"video_codec", p.video_codec},
          {"width", p.width},
          {"height", p.height},
          {"rotation", p.rotation},
          {"sample_aspect_ratio", std::to_string(p.sar_num) + ":" + std::to_string(p.sar_den)},
          {"fps", p.fps},
          {"variable_frame_rate", p.variable_frame_rate},
          {"pixel_format", p.pixel_format},
          {"bit_depth", p.bit_depth},
          {"video_bitrate", p.video_bitrate},
          {"audio_codec", p.audio_codec},
          {"sample_rate", p.sample_rate},
          {"channels", p.channels},
          {"audio_bitrate", p.audio_bitrate}};
}

void InstallLibavLogging() {
  av_log_set_callback([](void*, int level, const char* fmt, va_list args) {
    if (level > AV_LOG_WARNING) return;
    char line[512];
    std::vsnprintf(line, sizeof line, fmt, args);
    size_t n = std::strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    log::Debug("libav", {{"detail", line}});
  });
}

}  // namespace kinora::media
