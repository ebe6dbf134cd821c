#include "kinora/media/probe.h"

#include "kinora/media/av.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <cstring>
#include <memory>

#include "kinora/core/log.h"

namespace kinora::media {
namespace {

constexpr int kAvioBuffer = 64 * 1024;

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

bool IsStillImageFormat(std::string_view name) {
  return name.find("_pipe") != std::string_view::npos || name == "image2" || name == "gif" ||
         name == "apng" || name == "webp";
}

}  // namespace

Result<ProbeResult> ProbeHeadTail(std::string_view head, std::string_view tail,
                                  uint64_t total_size) {
  if (total_size == 0) return MakeError(ErrorCode::kUnsupported, "the file is empty");
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
  int err = avformat_open_input(&raw, nullptr, nullptr, &opts);
  av_dict_free(&opts);
  if (err < 0) return MapAvError(err, "not a recognised video container");
  InputFormat fmt(raw);
  if (IsStillImageFormat(fmt->iformat->name)) {
    return MakeError(ErrorCode::kUnsupported, "the file is a still image, not a video");
  }
  err = avformat_find_stream_info(fmt.get(), nullptr);
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
  if (const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(video->codecpar->format))) {
    r.pixel_format = pf;
  }
  if (r.duration_seconds <= 0 && video->duration > 0) {
    r.duration_seconds = static_cast<double>(video->duration) * av_q2d(video->time_base);
  }
  if (audio) {
    r.audio_codec = avcodec_get_name(audio->codecpar->codec_id);
    r.sample_rate = audio->codecpar->sample_rate;
    r.channels = audio->codecpar->ch_layout.nb_channels;
  }
  if (r.bitrate == 0 && r.duration_seconds > 0) {
    r.bitrate = static_cast<int64_t>(static_cast<double>(total_size) * 8 / r.duration_seconds);
  }
  return r;
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
