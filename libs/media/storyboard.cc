#include "kinora/media/internal/storyboard.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>

#include "kinora/media/internal/jpeg.h"

namespace kinora::media::internal {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxTiles = 200;
constexpr int kJpegQuality = 75;

int Even(double v) { return std::max(2, static_cast<int>(std::lround(v / 2)) * 2); }

std::string VttTime(double s) {
  const auto ms = static_cast<int64_t>(std::llround(std::max(0.0, s) * 1000));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

std::string SpriteName(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "sprite_%03zu.jpg", i);
  return buf;
}

}  // namespace

StoryboardLayout PlanStoryboard(double duration_seconds) {
  StoryboardLayout l;
  const double d = duration_seconds > 0 ? duration_seconds : 1;
  l.interval_seconds = std::max(1.0, std::ceil(d / kMaxTiles));
  l.tiles = std::max(1, static_cast<int>(std::ceil(d / l.interval_seconds - 1e-9)));
  return l;
}

std::string StoryboardVtt(const Storyboard& s, double duration_seconds) {
  std::string out = "WEBVTT\n";
  const int per_sheet = s.columns * s.rows;
  for (int i = 0; i < s.tiles; ++i) {
    const double start = i * s.interval_seconds;
    double end = (i + 1) * s.interval_seconds;
    if (duration_seconds > start && (i + 1 == s.tiles || end > duration_seconds)) {
      end = duration_seconds;
    }
    const int sheet = i / per_sheet, cell = i % per_sheet;
    char xywh[96];
    std::snprintf(xywh, sizeof xywh, "#xywh=%d,%d,%d,%d", cell % s.columns * s.tile_width,
                  cell / s.columns * s.tile_height, s.tile_width, s.tile_height);
    out += "\n" + VttTime(start) + " --> " + VttTime(end) + "\n" +
           SpriteName(static_cast<size_t>(sheet)) + xywh + "\n";
  }
  return out;
}

Result<void> StoryboardBuilder::Offer(const AVFrame& frame, double seconds) {
  while (taken_ < layout_.tiles && seconds + 1e-6 >= taken_ * layout_.interval_seconds) {
    // a frame late for several tiles (a gap) fills each with itself
    KINORA_TRY_VOID(Place(frame));
  }
  return {};
}

Result<void> StoryboardBuilder::Place(const AVFrame& f) {
  if (tile_w_ == 0) {
    const double w = f.width, h = f.height;
    tile_w_ = w >= h ? Even(layout_.long_side) : Even(layout_.long_side * w / h);
    tile_h_ = w >= h ? Even(layout_.long_side * h / w) : Even(layout_.long_side);
  }
  const int per_sheet = layout_.columns * layout_.rows;
  const int cell = taken_ % per_sheet;
  if (cell == 0) {
    const int left = layout_.tiles - taken_;
    const int rows =
        std::min(layout_.rows, (std::min(left, per_sheet) + layout_.columns - 1) / layout_.columns);
    Frame sheet = NewFrame();
    sheet->format = AV_PIX_FMT_YUVJ420P;
    sheet->width = tile_w_ * layout_.columns;
    sheet->height = tile_h_ * rows;
    if (av_frame_get_buffer(sheet.get(), 0) < 0) throw std::bad_alloc();
    for (int p = 0; p < 3; ++p) {  // black where no tile lands
      std::memset(
          sheet->data[p], p ? 128 : 0,
          static_cast<size_t>(sheet->linesize[p]) * ((sheet->height + (p ? 1 : 0)) >> (p ? 1 : 0)));
    }
    sheets_.push_back(std::move(sheet));
  }
  if (!sws_ || f.width != sws_w_ || f.height != sws_h_ || f.format != sws_fmt_) {
    sws_.reset(sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), tile_w_,
                              tile_h_, AV_PIX_FMT_YUVJ420P, SWS_AREA, nullptr, nullptr, nullptr));
    if (!sws_) return MakeError(ErrorCode::kInternal, "cannot scale storyboard tiles");
    sws_w_ = f.width;
    sws_h_ = f.height;
    sws_fmt_ = f.format;
  }
  AVFrame* sheet = sheets_.back().get();
  const int x = cell % layout_.columns * tile_w_, y = cell / layout_.columns * tile_h_;
  uint8_t* dst[4] = {sheet->data[0] + y * sheet->linesize[0] + x,
                     sheet->data[1] + y / 2 * sheet->linesize[1] + x / 2,
                     sheet->data[2] + y / 2 * sheet->linesize[2] + x / 2, nullptr};
  sws_scale(sws_.get(), f.data, f.linesize, 0, f.height, dst, sheet->linesize);
  ++taken_;
  return {};
}

Result<std::optional<Storyboard>> StoryboardBuilder::Write(const fs::path& out_dir,
                                                           double duration_seconds) {
  if (taken_ == 0) return std::optional<Storyboard>();
  Storyboard s;
  s.interval_seconds = layout_.interval_seconds;
  s.tile_width = tile_w_;
  s.tile_height = tile_h_;
  s.columns = layout_.columns;
  s.rows = layout_.rows;
  s.tiles = taken_;
  const fs::path dir = out_dir / kStoryboardDir;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot create " + dir.string());
  auto write = [&](const std::string& name, std::string_view data) -> Result<void> {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) return MakeError(ErrorCode::kUnavailable, "cannot write " + (dir / name).string());
    return {};
  };
  for (size_t i = 0; i < sheets_.size(); ++i) {
    KINORA_TRY(std::string jpeg, EncodeJpeg(sheets_[i].get(), kJpegQuality));
    KINORA_TRY_VOID(write(SpriteName(i), jpeg));
    s.sprites.push_back(std::string(kStoryboardDir) + "/" + SpriteName(i));
  }
  KINORA_TRY_VOID(
      write(fs::path(kStoryboardVtt).filename().string(), StoryboardVtt(s, duration_seconds)));
  return std::optional<Storyboard>(std::move(s));
}

}  // namespace kinora::media::internal
