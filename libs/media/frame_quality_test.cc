// CompareFrames against FFmpeg's own ssim and psnr filters, run here through libavfilter on the
// same two pictures, so the reference numbers are measured, not remembered.
#include "kinora/media/internal/frame_quality.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/dict.h>
}

namespace kinora::media::internal {
namespace {

Frame MakeFrame(int w, int h) {
  Frame f = NewFrame();
  f->width = w;
  f->height = h;
  f->format = AV_PIX_FMT_YUV420P;
  f->pts = 0;
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  return f;
}

// Gradients, a checkerboard and fine stripes: structure at every scale SSIM looks at.
Frame Pattern(int w, int h) {
  Frame f = MakeFrame(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      int v = x / 2 + y / 3 + (((x / 16) + (y / 16)) % 2) * 70 + ((x % 6) < 2 ? 25 : 0);
      f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(v % 256);
    }
  }
  for (int p = 1; p < 3; ++p) {
    for (int y = 0; y < (h + 1) / 2; ++y) {
      for (int x = 0; x < (w + 1) / 2; ++x) {
        int v = p == 1 ? 64 + x % 128 : 200 - (y * 2) % 150 + ((x / 8) % 2) * 20;
        f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(v);
      }
    }
  }
  return f;
}

// A 3x3 box blur plus deterministic noise of ±noise on every plane.
Frame Degrade(const AVFrame& src, int noise) {
  Frame f = MakeFrame(src.width, src.height);
  uint32_t seed = 12345;
  for (int p = 0; p < 3; ++p) {
    const int w = p ? (src.width + 1) / 2 : src.width, h = p ? (src.height + 1) / 2 : src.height;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        int sum = 0, n = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int yy = y + dy, xx = x + dx;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            sum += src.data[p][yy * src.linesize[p] + xx];
            ++n;
          }
        }
        seed = seed * 1664525u + 1013904223u;
        const int v = sum / n + static_cast<int>(seed >> 24) % (2 * noise + 1) - noise;
        f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(std::clamp(v, 0, 255));
      }
    }
  }
  return f;
}

struct GraphDeleter {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};

// Runs `filter` (ssim or psnr) on main = distorted, reference = reference, and returns the
// metadata value `key` of its output frame.
double FfmpegMeasure(const char* filter, const char* key, const AVFrame& distorted,
                     const AVFrame& reference) {
  std::unique_ptr<AVFilterGraph, GraphDeleter> graph(avfilter_graph_alloc());
  graph->nb_threads = 1;
  const std::string args = "video_size=" + std::to_string(distorted.width) + "x" +
                           std::to_string(distorted.height) +
                           ":pix_fmt=yuv420p:time_base=1/25:pixel_aspect=1/1";
  AVFilterContext *main_src = nullptr, *ref_src = nullptr, *measure = nullptr, *sink = nullptr;
  EXPECT_GE(avfilter_graph_create_filter(&main_src, avfilter_get_by_name("buffer"), "main",
                                         args.c_str(), nullptr, graph.get()),
            0);
  EXPECT_GE(avfilter_graph_create_filter(&ref_src, avfilter_get_by_name("buffer"), "ref",
                                         args.c_str(), nullptr, graph.get()),
            0);
  EXPECT_GE(avfilter_graph_create_filter(&measure, avfilter_get_by_name(filter), "measure", nullptr,
                                         nullptr, graph.get()),
            0);
  EXPECT_GE(avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                         nullptr, graph.get()),
            0);
  EXPECT_GE(avfilter_link(main_src, 0, measure, 0), 0);
  EXPECT_GE(avfilter_link(ref_src, 0, measure, 1), 0);
  EXPECT_GE(avfilter_link(measure, 0, sink, 0), 0);
  EXPECT_GE(avfilter_graph_config(graph.get(), nullptr), 0);
  EXPECT_GE(av_buffersrc_write_frame(main_src, &distorted), 0);
  EXPECT_GE(av_buffersrc_write_frame(ref_src, &reference), 0);
  EXPECT_GE(av_buffersrc_add_frame(main_src, nullptr), 0);
  EXPECT_GE(av_buffersrc_add_frame(ref_src, nullptr), 0);
  Frame out = NewFrame();
  EXPECT_GE(av_buffersink_get_frame(sink, out.get()), 0);
  const AVDictionaryEntry* e = av_dict_get(out->metadata, key, nullptr, 0);
  EXPECT_NE(e, nullptr) << key;
  return e ? std::strtod(e->value, nullptr) : -1;
}

TEST(FrameQuality, IdenticalPicturesHaveSsimOneAndNoPsnr) {
  Frame a = Pattern(426, 240);
  auto q = CompareFrames(*a, *a);
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(q->ssim, 1.0);
  EXPECT_EQ(q->mse, 0.0);
  EXPECT_FALSE(PsnrDb(q->mse).has_value());
}

// 640x360: every plane's row of 8x8 windows is one FFmpeg's x86 code sums exactly, so the
// numbers agree to the printed digits.
TEST(FrameQuality, AgreesWithFfmpegsFilters) {
  for (int noise : {2, 12, 40}) {
    Frame ref = Pattern(640, 360);
    Frame dist = Degrade(*ref, noise);
    auto q = CompareFrames(*dist, *ref);
    ASSERT_TRUE(q);
    EXPECT_NEAR(q->ssim, FfmpegMeasure("ssim", "lavfi.ssim.All", *dist, *ref), 1e-4) << noise;
    ASSERT_TRUE(PsnrDb(q->mse).has_value());
    EXPECT_NEAR(*PsnrDb(q->mse), FfmpegMeasure("psnr", "lavfi.psnr.psnr_avg", *dist, *ref), 0.01)
        << noise;
    EXPECT_LT(q->ssim, 0.999);  // the degraded copy is measurably different
  }
}

// 426x240 (the 240p rung): 105 windows a luma row. FFmpeg's SSE4 ssim_end_line, for a row of
// 4k+1 windows, counts a window past the edge in place of the last one (its C code and x264
// do not, nor does this); the difference stays within a few thousandths.
TEST(FrameQuality, AgreesWithFfmpegsFiltersOnRowsItsSimdCountsLoosely) {
  for (int noise : {2, 12, 40}) {
    Frame ref = Pattern(426, 240);
    Frame dist = Degrade(*ref, noise);
    auto q = CompareFrames(*dist, *ref);
    ASSERT_TRUE(q);
    EXPECT_NEAR(q->ssim, FfmpegMeasure("ssim", "lavfi.ssim.All", *dist, *ref), 0.005) << noise;
    EXPECT_NEAR(*PsnrDb(q->mse), FfmpegMeasure("psnr", "lavfi.psnr.psnr_avg", *dist, *ref), 0.01)
        << noise;
  }
}

TEST(FrameQuality, MoreDamageScoresLower) {
  Frame ref = Pattern(320, 180);
  auto light = CompareFrames(*Degrade(*ref, 2), *ref);
  auto heavy = CompareFrames(*Degrade(*ref, 40), *ref);
  ASSERT_TRUE(light && heavy);
  EXPECT_GT(light->ssim, heavy->ssim);
  EXPECT_GT(*PsnrDb(light->mse), *PsnrDb(heavy->mse));
}

TEST(FrameQuality, RefusesPicturesOfDifferentSizes) {
  Frame a = Pattern(320, 180);
  Frame b = Pattern(320, 176);
  EXPECT_FALSE(CompareFrames(*a, *b));
}

TEST(FrameQuality, TallyAveragesSsimAndTakesPsnrOfTheMeanError) {
  QualityTally t;
  EXPECT_EQ(t.frames(), 0);
  EXPECT_FALSE(t.psnr_db().has_value());
  t.Add({0.9, 10});
  t.Add({0.8, 30});
  EXPECT_EQ(t.frames(), 2);
  EXPECT_NEAR(t.ssim(), 0.85, 1e-12);
  EXPECT_NEAR(*t.psnr_db(), 10 * std::log10(255.0 * 255.0 / 20), 1e-9);
}

}  // namespace
}  // namespace kinora::media::internal
