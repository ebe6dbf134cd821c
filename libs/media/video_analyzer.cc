#include "kinora/media/internal/video_analyzer.h"

extern "C" {
#include <libavutil/dict.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace kinora::media::internal {
namespace {

constexpr size_t kQueueFrames = 8;
constexpr int kAnalysisLongSide = 320;  // twice a storyboard tile
constexpr double kMinBlackSeconds = 0.5;
constexpr double kSceneThreshold = 10;  // scdet's score, 0..100

// The chain every analysis frame goes through: one small square-pixel copy, then the detectors
// (each passes the frame on with its findings in the frame's metadata).
std::string Chain(int w, int h, const std::string& detectors) {
  return "scale=" + std::to_string(w) + ":" + std::to_string(h) +
         ":flags=area,setsar=1,format=yuv420p," +
         (detectors.empty() ? "blackdetect=d=0:pic_th=0.98:pix_th=0.10,freezedetect=n=-60dB:d=1,"
                              "scdet=t=" +
                                  std::to_string(static_cast<int>(kSceneThreshold)) + ",siti"
                            : detectors);
}

std::optional<double> Meta(const AVFrame* f, const char* key) {
  const AVDictionaryEntry* e = av_dict_get(f->metadata, key, nullptr, 0);
  if (!e) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(e->value, &end);
  if (end == e->value || !std::isfinite(v)) return std::nullopt;
  return v;
}

int Even(double v) { return std::max(2, static_cast<int>(std::lround(v / 2)) * 2); }

}  // namespace

VideoAnalyzer::VideoAnalyzer(AVRational rate, double duration_seconds, std::string detectors)
    : rate_(rate),
      detectors_(std::move(detectors)),
      storyboard_(PlanStoryboard(duration_seconds)) {}

VideoAnalyzer::~VideoAnalyzer() {
  if (thread_.joinable()) Finish();
}

void VideoAnalyzer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void VideoAnalyzer::Push(const AVFrame* frame) {
  Frame ref = NewFrame();
  if (av_frame_ref(ref.get(), frame) < 0) throw std::bad_alloc();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.size() < kQueueFrames; });
  queue_.push_back(std::move(ref));
  cv_.notify_all();
}

void VideoAnalyzer::Finish() {
  {
    std::lock_guard lock(mu_);
    eof_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VideoAnalyzer::Run() {
  for (;;) {
    Frame f;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || eof_; });
      if (queue_.empty()) break;
      f = std::move(queue_.front());
      queue_.pop_front();
    }
    cv_.notify_all();
    if (!failed_) Analyze(*f);
  }
  if (graph_ && !failed_) {
    if (auto r = graph_->Finish([this](AVFrame* out, AVRational tb) { OnFiltered(out, tb); }); !r) {
      Fail(r.error().message);
    }
  }
  graph_.reset();
}

void VideoAnalyzer::Fail(std::string what) {
  if (!failed_) failed_ = "scenes, black, frozen, complexity: " + std::move(what);
}

void VideoAnalyzer::Analyze(const AVFrame& frame) {
  if (frame.pts != AV_NOPTS_VALUE) {
    end_seconds_ = std::max(end_seconds_, static_cast<double>(frame.pts + 1) / av_q2d(rate_));
  }
  if (!graph_ || frame.width != in_w_ || frame.height != in_h_ || frame.format != in_fmt_) {
    const auto sink = [this](AVFrame* out, AVRational tb) { OnFiltered(out, tb); };
    if (graph_) {  // a mid-stream size change: flush, then start a new chain
      if (auto r = graph_->Finish(sink); !r) return Fail(r.error().message);
    }
    const AVRational sar =
        frame.sample_aspect_ratio.num > 0 ? frame.sample_aspect_ratio : AVRational{1, 1};
    const double dw = frame.width * av_q2d(sar), dh = frame.height;
    const int w = dw >= dh ? kAnalysisLongSide : Even(kAnalysisLongSide * dw / dh);
    const int h = dw >= dh ? Even(kAnalysisLongSide * dh / dw) : kAnalysisLongSide;
    const AVRational tb = av_inv_q(rate_);
    char args[256];
    std::snprintf(args, sizeof args,
                  "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d", frame.width,
                  frame.height, frame.format, tb.num, tb.den, sar.num, sar.den);
    auto g = FilterGraph::Create("buffer", args, Chain(w, h, detectors_));
    if (!g) return Fail(g.error().message);
    graph_.emplace(std::move(*g));
    in_w_ = frame.width;
    in_h_ = frame.height;
    in_fmt_ = frame.format;
  }
  if (auto r = graph_->Push(&frame, [this](AVFrame* out, AVRational tb) { OnFiltered(out, tb); });
      !r) {
    Fail(r.error().message);
  }
}

void VideoAnalyzer::OnFiltered(AVFrame* f, AVRational tb) {
  if (f->pts == AV_NOPTS_VALUE) return;
  const double t = static_cast<double>(f->pts) * av_q2d(tb);
  if (auto at = Meta(f, "lavfi.scd.time")) {
    scenes_.push_back({*at, Meta(f, "lavfi.scd.score").value_or(0)});
  }
  if (auto start = Meta(f, "lavfi.black_start")) black_open_ = *start;
  if (auto end = Meta(f, "lavfi.black_end"); end && black_open_) {
    if (*end - *black_open_ >= kMinBlackSeconds) black_.push_back({*black_open_, *end});
    black_open_.reset();
  }
  if (auto start = Meta(f, "lavfi.freezedetect.freeze_start")) freeze_open_ = *start;
  if (auto end = Meta(f, "lavfi.freezedetect.freeze_end"); end && freeze_open_) {
    freeze_.push_back({*freeze_open_, *end});
    freeze_open_.reset();
  }
  if (auto si = Meta(f, "lavfi.siti.si")) {
    const double ti = Meta(f, "lavfi.siti.ti").value_or(0);
    si_sum_ += *si;
    ti_sum_ += ti;
    si_max_ = std::max(si_max_, *si);
    ti_max_ = std::max(ti_max_, ti);
    ++siti_frames_;
  }
  if (!storyboard_failed_) {
    if (auto r = storyboard_.Offer(*f, t); !r)
      storyboard_failed_ = "storyboard: " + r.error().message;
  }
}

void VideoAnalyzer::Fill(ContentAnalysis& a) const {
  a.scenes = scenes_;
  a.black = black_;
  a.freeze = freeze_;
  // Segments still open when the video ends last to its end.
  if (black_open_ && end_seconds_ - *black_open_ >= kMinBlackSeconds) {
    a.black.push_back({*black_open_, end_seconds_});
  }
  if (freeze_open_) a.freeze.push_back({*freeze_open_, end_seconds_});
  if (siti_frames_ > 0) {
    const auto n = static_cast<double>(siti_frames_);
    a.complexity = Complexity{si_sum_ / n, si_max_, ti_sum_ / n, ti_max_};
  }
  for (const auto& why : {failed_, storyboard_failed_}) {
    if (why) {
      a.complete = false;
      a.incomplete.push_back(*why);
    }
  }
}

}  // namespace kinora::media::internal
