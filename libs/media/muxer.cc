#include "kinora/media/internal/muxer.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <new>

namespace kinora::media::internal {

Result<Muxer> Muxer::Create(const char* format, const std::string& url) {
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, format, url.c_str());
  if (err < 0 || !raw) return MapAvError(err < 0 ? err : AVERROR(ENOMEM), "cannot create muxer");
  Muxer m{OutputFormat(raw)};
  m.url_ = url;
  return m;
}

Result<int> Muxer::AddStream(const AVCodecContext* encoder) {
  AVStream* st = avformat_new_stream(ctx_.get(), nullptr);
  if (!st) throw std::bad_alloc();
  int err = avcodec_parameters_from_context(st->codecpar, encoder);
  if (err < 0) return MapAvError(err, "cannot describe an output stream");
  st->time_base = encoder->time_base;
  if (encoder->codec_type == AVMEDIA_TYPE_VIDEO) st->avg_frame_rate = encoder->framerate;
  return st->index;
}

Result<int> Muxer::AddStream(const AVCodecParameters* par, AVRational time_base) {
  AVStream* st = avformat_new_stream(ctx_.get(), nullptr);
  if (!st) throw std::bad_alloc();
  int err = avcodec_parameters_copy(st->codecpar, par);
  if (err < 0) return MapAvError(err, "cannot describe an output stream");
  st->codecpar->codec_tag = 0;  // let the output container pick its own tag
  st->time_base = time_base;
  return st->index;
}

Result<void> Muxer::Open(const std::map<std::string, std::string>& options) {
  AVDictionary* opts = nullptr;
  for (const auto& [k, v] : options) av_dict_set(&opts, k.c_str(), v.c_str(), 0);
  int err = 0;
  if (!(ctx_->oformat->flags & AVFMT_NOFILE)) {
    err = avio_open(&ctx_->pb, url_.c_str(), AVIO_FLAG_WRITE);
  }
  if (err >= 0) err = avformat_write_header(ctx_.get(), &opts);
  av_dict_free(&opts);
  if (err < 0) return MapAvError(err, "cannot start writing " + url_);
  opened_ = true;
  return {};
}

Result<void> Muxer::Write(const AVPacket* pkt, AVRational time_base, int index) {
  Packet copy = NewPacket();
  if (av_packet_ref(copy.get(), pkt) < 0) throw std::bad_alloc();
  std::lock_guard lock(*mu_);
  AVStream* st = ctx_->streams[index];
  av_packet_rescale_ts(copy.get(), time_base, st->time_base);
  copy->stream_index = index;
  copy->pos = -1;
  int err = av_interleaved_write_frame(ctx_.get(), copy.get());
  if (err < 0) return MapAvError(err, "cannot write " + url_);
  return {};
}

Result<void> Muxer::Finish() {
  std::lock_guard lock(*mu_);
  if (!opened_ || finished_) return {};
  finished_ = true;
  int err = av_write_trailer(ctx_.get());
  if (err < 0) return MapAvError(err, "cannot finish " + url_);
  if (ctx_->pb && !(ctx_->oformat->flags & AVFMT_NOFILE)) {
    err = avio_closep(&ctx_->pb);
    if (err < 0) return MapAvError(err, "cannot close " + url_);
  }
  return {};
}

Result<void> WriteToAll(const std::vector<MuxTarget>& targets, const AVPacket* pkt,
                        AVRational time_base) {
  for (const MuxTarget& t : targets) KINORA_TRY_VOID(t.muxer->Write(pkt, time_base, t.index));
  return {};
}

}  // namespace kinora::media::internal
