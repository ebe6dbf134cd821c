// A rung's encode quality measured inside the encode (rung_quality.h through RungEncoder) on
// clips made here: fast-moving texture, so a sample matched to the wrong frame would score low.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "kinora/media/internal/frame_quality.h"
#include "kinora/media/internal/rung_encoder.h"

namespace kinora::media::internal {
namespace {

constexpr int kWidth = 320, kHeight = 180;
constexpr AVRational kRate{30, 1};

// Picture `n`: diagonal stripes and blocks that move 11 px a frame, plus a little noise.
Frame Picture(int64_t n, bool key) {
  Frame f = NewFrame();
  f->width = kWidth;
  f->height = kHeight;
  f->format = AV_PIX_FMT_YUV420P;
  EXPECT_GE(av_frame_get_buffer(f.get(), 0), 0);
  uint32_t seed = static_cast<uint32_t>(n) * 2654435761u + 1;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const int64_t xs = x + 11 * n;
      seed = seed * 1664525u + 1013904223u;
      const int v = static_cast<int>((xs + y) % 24 < 12 ? 60 : 180) +
                    static_cast<int>(((xs / 20 + y / 20) % 3) * 20) + static_cast<int>(seed >> 29);
      f->data[0][y * f->linesize[0] + x] = static_cast<uint8_t>(v);
    }
  }
  for (int p = 1; p < 3; ++p) {
    for (int y = 0; y < kHeight / 2; ++y) {
      for (int x = 0; x < kWidth / 2; ++x) {
        const int64_t xs = x + 5 * n;
        f->data[p][y * f->linesize[p] + x] =
            static_cast<uint8_t>(p == 1 ? 100 + (xs / 10 % 2) * 40 : 140 - (y / 10 % 2) * 30);
      }
    }
  }
  f->pts = n;
  f->key_frame = key;
  return f;
}

struct Encoded {
  RungQuality quality;
  int64_t frames = 0;
};

Encoded Encode(int64_t frames, EncodeSettings s, int64_t bitrate = 1'000'000, int source_gop = 0) {
  Rung rung{"180p", kWidth, kHeight, bitrate, 0, 0, false};
  auto enc = RungEncoder::Open(rung, s, kRate);
  EXPECT_TRUE(enc);
  if (!enc) return {};
  (*enc)->Start();
  for (int64_t n = 0; n < frames; ++n) {
    const bool key = source_gop > 0 ? n % source_gop == 0 : n == 0;
    EXPECT_TRUE((*enc)->Push(Picture(n, key).get()));
  }
  EXPECT_TRUE((*enc)->Finish());
  auto q = (*enc)->quality();
  EXPECT_TRUE(q) << (q ? "" : q.error().message);
  return {q ? *q : RungQuality{}, (*enc)->frames_encoded()};
}

EncodeSettings Settings(int64_t expected, int crf = 23) {
  EncodeSettings s;
  s.crf = crf;
  s.gop_frames = 30;
  s.expected_frames = expected;
  return s;
}

TEST(RungQuality, NeighbouringPicturesDifferSoAWrongMatchWouldShow) {
  auto q = CompareFrames(*Picture(20, false), *Picture(21, false));
  ASSERT_TRUE(q);
  EXPECT_LT(q->ssim, 0.6);
}

TEST(RungQuality, ADefaultRungScoresHighOnSixGopsSpreadOverTheVideo) {
  Encoded r = Encode(450, Settings(450));
  EXPECT_EQ(r.frames, 450);
  EXPECT_EQ(r.quality.rung, "180p");
  EXPECT_FALSE(r.quality.copied);
  EXPECT_EQ(r.quality.frames, kQualitySamples);  // 15 GOPs (15 s): one sample in each of 6
  EXPECT_GT(r.quality.ssim, 0.9);
  EXPECT_LE(r.quality.ssim, 1.0);
  ASSERT_TRUE(r.quality.psnr_db.has_value());
  EXPECT_GT(*r.quality.psnr_db, 30);
}

TEST(RungQuality, AStarvedRungScoresClearlyLower) {
  Encoded good = Encode(90, Settings(90));
  Encoded starved = Encode(90, Settings(90, 51), 20'000);
  ASSERT_GT(good.quality.frames, 0);
  ASSERT_GT(starved.quality.frames, 0);
  EXPECT_LT(starved.quality.ssim, good.quality.ssim - 0.1);
  ASSERT_TRUE(starved.quality.psnr_db && good.quality.psnr_db);
  EXPECT_LT(*starved.quality.psnr_db, *good.quality.psnr_db - 5);
}

TEST(RungQuality, AClipShorterThanTheSampleOffsetStillGetsASample) {
  Encoded r = Encode(8, Settings(8));
  EXPECT_EQ(r.quality.frames, 1);
  EXPECT_GT(r.quality.ssim, 0.9);
}

TEST(RungQuality, AShortVideoGetsFewerSamples) {
  Encoded r = Encode(150, Settings(150));  // 5 GOPs: one sample per 2.5
  EXPECT_EQ(r.quality.frames, 2);
}

TEST(RungQuality, WithoutTheLengthSamplesThinOutAsTheVideoGoesOn) {
  Encoded r = Encode(300, Settings(0));  // GOPs 0, 3 and 7 of 10
  EXPECT_EQ(r.quality.frames, 3);
  EXPECT_GT(r.quality.ssim, 0.9);
}

TEST(RungQuality, SourceKeyFramesCloserThanTheOffsetStillGiveSamples) {
  EncodeSettings s = Settings(120);
  s.follow_source_keyframes = true;
  Encoded r =
      Encode(120, s, 1'000'000, /*source_gop=*/8);  // GOPs of 8 frames: sample nearer the key
  EXPECT_GT(r.quality.frames, 0);
  EXPECT_GT(r.quality.ssim, 0.9);
}

TEST(RungQuality, NotMeasuringReportsNoFrames) {
  EncodeSettings s = Settings(90);
  s.measure_quality = false;
  Encoded r = Encode(90, s);
  EXPECT_EQ(r.quality.frames, 0);
  EXPECT_EQ(r.quality.rung, "180p");
}

}  // namespace
}  // namespace kinora::media::internal
