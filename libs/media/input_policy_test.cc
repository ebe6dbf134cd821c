// The container whitelist and the geometry and duration limits, on bytes made here.
#include "kinora/media/input_policy.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavformat/avformat.h>
}

#include <string>

namespace kinora::media {
namespace {

TEST(InputPolicyTest, AcceptsOnlyVideoContainers) {
  for (const char* name :
       {"mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "flv", "mpeg", "ogg", "asf"}) {
    EXPECT_TRUE(IsAcceptedContainer(name)) << name;
  }
  for (const char* name : {"concat", "hls", "image2", "png_pipe", "lavfi", "rtsp", "mpegvideo",
                           "live_flv", "tty", "", "mov"}) {
    EXPECT_FALSE(IsAcceptedContainer(name)) << name;
  }
}

TEST(InputPolicyTest, DetectsByContentAndRefusesListsAndStills) {
  auto concat = DetectContainer("ffconcat version 1.0\nfile '/etc/passwd'\n");
  ASSERT_FALSE(concat);
  EXPECT_EQ(concat.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(concat.error().message.find("concat list"), std::string::npos)
      << concat.error().message;

  auto hls = DetectContainer("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n");
  ASSERT_FALSE(hls);
  EXPECT_NE(hls.error().message.find("playlist"), std::string::npos) << hls.error().message;

  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\0\0\0\0",
                        33);
  auto still = DetectContainer(png);
  ASSERT_FALSE(still);
  EXPECT_NE(still.error().message.find("still image"), std::string::npos) << still.error().message;

  EXPECT_FALSE(DetectContainer(""));
  EXPECT_FALSE(DetectContainer("just some text, nothing like a video\n"));

  // An EBML header naming matroska: accepted, by content alone.
  const std::string ebml(
      "\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
      "\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02",
      40);
  auto mkv = DetectContainer(ebml);
  ASSERT_TRUE(mkv) << mkv.error().message;
  EXPECT_STREQ((*mkv)->name, "matroska,webm");
}

TEST(InputPolicyTest, GeometryWithinLimits) {
  const MediaLimits limits;  // 8192x4320 worth of pixels
  EXPECT_TRUE(CheckGeometry(1920, 1080, 1, 1, limits));
  EXPECT_TRUE(CheckGeometry(8192, 4320, 1, 1, limits));
  EXPECT_TRUE(CheckGeometry(1080, 1920, 0, 0, limits));  // unknown SAR
  EXPECT_TRUE(CheckGeometry(480, 360, 4, 3, limits));
  EXPECT_TRUE(CheckGeometry(2, 2, 1, 1, limits));
}

TEST(InputPolicyTest, RefusesZeroHugeAndAbsurdGeometry) {
  const MediaLimits limits;
  for (auto [w, h, sn, sd] :
       {std::tuple{0, 0, 1, 1}, std::tuple{0, 1080, 1, 1}, std::tuple{1920, -1, 1, 1},
        std::tuple{16000, 16000, 1, 1}, std::tuple{8192, 4321, 1, 1}, std::tuple{20000, 100, 1, 1},
        std::tuple{4000, 100, 1, 1}, std::tuple{640, 480, 1000, 1},
        std::tuple{640, 480, 1, 1000}}) {
    auto r = CheckGeometry(w, h, sn, sd, limits);
    ASSERT_FALSE(r) << w << "x" << h << " " << sn << ":" << sd;
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  }
  auto bomb = CheckGeometry(16000, 16000, 1, 1, limits);
  EXPECT_NE(bomb.error().message.find("16000x16000"), std::string::npos);
  EXPECT_NE(bomb.error().message.find("KINORA_MAX_PIXELS"), std::string::npos);
}

TEST(InputPolicyTest, PixelLimitIsConfigurable) {
  MediaLimits small;
  small.max_pixels = 640 * 480;
  EXPECT_TRUE(CheckGeometry(640, 480, 1, 1, small));
  EXPECT_FALSE(CheckGeometry(1280, 720, 1, 1, small));
}

TEST(InputPolicyTest, DurationLimit) {
  MediaLimits limits;
  limits.max_duration_seconds = 3600;
  EXPECT_TRUE(CheckDuration(0, limits));  // unknown
  EXPECT_TRUE(CheckDuration(3600, limits));
  auto r = CheckDuration(36000, limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("10 h"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("1 h"), std::string::npos) << r.error().message;
  limits.max_duration_seconds = 0;  // none
  EXPECT_TRUE(CheckDuration(1e9, limits));
}

TEST(InputPolicyTest, HumanDurations) {
  EXPECT_EQ(HumanDuration(45), "45 s");
  EXPECT_EQ(HumanDuration(9003), "2 h 30 min");
  EXPECT_EQ(HumanDuration(21600), "6 h");
  EXPECT_EQ(HumanDuration(90), "1 min 30 s");
}

}  // namespace
}  // namespace kinora::media
