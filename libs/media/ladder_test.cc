// The rendition ladder's rules, on plain facts (no media files needed).
#include "kinora/media/ladder.h"

#include <gtest/gtest.h>

namespace kinora::media {
namespace {

SourceFacts Facts(int width, int height) {
  SourceFacts s;
  s.width = width;
  s.height = height;
  s.fps = 30;
  s.video_codec = "h264";
  s.pixel_format = "yuv420p";
  s.video_bitrate = 4'000'000;
  s.has_audio = true;
  return s;
}

Plan MustPlan(const SourceFacts& s) {
  auto plan = PlanRenditions(s);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  return plan ? *plan : Plan{};
}

std::vector<std::string> Names(const Plan& p) {
  std::vector<std::string> names;
  for (const Rung& r : p.hls) names.push_back(r.name);
  return names;
}

void ExpectSane(const Plan& p, int display_w, int display_h) {
  ASSERT_FALSE(p.hls.empty());
  for (const Rung& r : p.hls) {
    SCOPED_TRACE(r.name);
    EXPECT_EQ(r.width % 2, 0);
    EXPECT_EQ(r.height % 2, 0);
    EXPECT_GT(r.width, 0);
    EXPECT_GT(r.height, 0);
    EXPECT_LE(r.width, display_w);
    EXPECT_LE(r.height, display_h);
    EXPECT_GE(r.bandwidth, r.video_bitrate + r.audio_bitrate);
  }
}

TEST(LadderTest, Landscape1080pGetsFiveRungs) {
  Plan p = MustPlan(Facts(1920, 1080));
  EXPECT_EQ(Names(p), (std::vector<std::string>{"1080p", "720p", "480p", "360p", "240p"}));
  EXPECT_EQ(p.hls[0].width, 1920);
  EXPECT_EQ(p.hls[0].height, 1080);
  EXPECT_EQ(p.hls[1].width, 1280);
  EXPECT_EQ(p.hls[1].height, 720);
  EXPECT_EQ(p.hls[2].width, 854);
  EXPECT_EQ(p.hls[4].width, 426);
  EXPECT_EQ(p.hls[0].video_bitrate, 5'000'000);
  EXPECT_EQ(p.hls[4].video_bitrate, 400'000);
  EXPECT_EQ(p.mp4, p.hls[1]);
  ExpectSane(p, 1920, 1080);
}

TEST(LadderTest, Source720pHasNo1080pRung) {
  Plan p = MustPlan(Facts(1280, 720));
  EXPECT_EQ(Names(p), (std::vector<std::string>{"720p", "480p", "360p", "240p"}));
  EXPECT_EQ(p.hls[0].width, 1280);
  EXPECT_EQ(p.mp4.name, "720p");
  ExpectSane(p, 1280, 720);
}

TEST(LadderTest, PortraitIsLadderedByItsShortSide) {
  Plan coded = MustPlan(Facts(1080, 1920));
  SourceFacts rotated_facts = Facts(1920, 1080);
  rotated_facts.rotation = 90;
  Plan rotated = MustPlan(rotated_facts);
  for (const Plan& p : {coded, rotated}) {
    ASSERT_EQ(p.hls.size(), 5u);
    EXPECT_EQ(p.hls[0].name, "1080p");
    EXPECT_EQ(p.hls[0].width, 1080);
    EXPECT_EQ(p.hls[0].height, 1920);
    EXPECT_EQ(p.hls[1].width, 720);
    EXPECT_EQ(p.hls[1].height, 1280);
    EXPECT_EQ(p.mp4.height, 1280);
    ExpectSane(p, 1080, 1920);
  }
  rotated_facts.rotation = -270;  // same as 90
  EXPECT_EQ(MustPlan(rotated_facts).hls[0].height, 1920);
  rotated_facts.rotation = 180;  // upside down keeps the shape
  EXPECT_EQ(MustPlan(rotated_facts).hls[0].width, 1920);
}

TEST(LadderTest, OddSizeIsEvenAndNeverAboveSource) {
  Plan p = MustPlan(Facts(853, 481));
  EXPECT_EQ(Names(p), (std::vector<std::string>{"480p", "360p", "240p"}));
  EXPECT_EQ(p.hls[0].width, 852);
  EXPECT_EQ(p.hls[0].height, 480);
  EXPECT_FALSE(p.hls[0].copy);  // not the display size
  ExpectSane(p, 853, 481);
}

TEST(LadderTest, AnamorphicGetsSquarePixels) {
  SourceFacts s = Facts(720, 576);
  s.sar_num = 64;
  s.sar_den = 45;
  Plan p = MustPlan(s);
  EXPECT_EQ(Names(p), (std::vector<std::string>{"480p", "360p", "240p"}));
  EXPECT_EQ(p.hls[0].height, 480);
  EXPECT_TRUE(p.hls[0].width == 854 || p.hls[0].width == 852) << p.hls[0].width;
  EXPECT_EQ(p.hls[1].width, 640);
  ExpectSane(p, 1024, 576);
  EXPECT_EQ(p.mp4, p.hls[0]);  // no 720p: the tallest rung
}

TEST(LadderTest, TinySourceGetsOneRungAtItsOwnSize) {
  Plan p = MustPlan(Facts(176, 144));
  ASSERT_EQ(p.hls.size(), 1u);
  EXPECT_EQ(p.hls[0].name, "144p");
  EXPECT_EQ(p.hls[0].width, 176);
  EXPECT_EQ(p.hls[0].height, 144);
  EXPECT_EQ(p.mp4, p.hls[0]);

  Plan odd = MustPlan(Facts(175, 143));
  ASSERT_EQ(odd.hls.size(), 1u);
  EXPECT_EQ(odd.hls[0].name, "142p");
  ExpectSane(odd, 175, 143);
}

TEST(LadderTest, CopyOnlyForWebReadyTopRung) {
  Plan p = MustPlan(Facts(1920, 1080));
  EXPECT_TRUE(p.hls[0].copy);
  for (size_t i = 1; i < p.hls.size(); ++i) EXPECT_FALSE(p.hls[i].copy) << p.hls[i].name;

  auto top_copies = [](SourceFacts s) { return MustPlan(s).hls[0].copy; };
  SourceFacts s = Facts(1920, 1080);
  s.pixel_format = "yuv420p10le";
  EXPECT_FALSE(top_copies(s));
  s = Facts(1080, 1920);
  EXPECT_TRUE(top_copies(s));
  s = Facts(1920, 1080);
  s.rotation = 90;
  EXPECT_FALSE(top_copies(s));
  s = Facts(1920, 1080);
  s.variable_frame_rate = true;
  EXPECT_FALSE(top_copies(s));
  s = Facts(1920, 1080);
  s.video_codec = "hevc";
  EXPECT_FALSE(top_copies(s));
  s = Facts(1920, 1080);
  s.fps = 120;
  EXPECT_FALSE(top_copies(s));
  s = Facts(1920, 1080);
  s.sar_num = 4;
  s.sar_den = 3;
  EXPECT_FALSE(top_copies(s));
  s = Facts(1920, 1080);
  s.video_bitrate = 0;  // unknown
  EXPECT_FALSE(top_copies(s));
  s.video_bitrate = 7'500'000;  // exactly 1.5x the 5 Mb/s cap
  EXPECT_TRUE(top_copies(s));
  s.video_bitrate = 7'500'001;
  EXPECT_FALSE(top_copies(s));
}

TEST(LadderTest, CopiedRungBandwidthCoversTheSourceRate) {
  SourceFacts s = Facts(1920, 1080);
  s.video_bitrate = 7'000'000;
  Plan p = MustPlan(s);
  ASSERT_TRUE(p.hls[0].copy);
  EXPECT_GE(p.hls[0].bandwidth, 7'000'000 + 128'000);
}

TEST(LadderTest, FrameRateIsCappedAndGopIsTwoSeconds) {
  SourceFacts s = Facts(1280, 720);
  s.fps = 120;
  Plan p = MustPlan(s);
  EXPECT_EQ(p.fps, 60);
  EXPECT_EQ(p.gop_frames, 120);
  EXPECT_DOUBLE_EQ(p.segment_seconds, 4);

  s.fps = 0;
  p = MustPlan(s);
  EXPECT_EQ(p.fps, 30);
  EXPECT_EQ(p.gop_frames, 60);

  s.fps = 30000.0 / 1001;
  p = MustPlan(s);
  EXPECT_DOUBLE_EQ(p.fps, 30000.0 / 1001);
  EXPECT_EQ(p.gop_frames, 60);
  EXPECT_NEAR(p.segment_seconds, 4.004, 1e-9);  // two whole GOPs

  s.fps = 25;
  EXPECT_EQ(MustPlan(s).gop_frames, 50);
}

TEST(LadderTest, AudioAndBandwidth) {
  Plan with = MustPlan(Facts(1920, 1080));
  EXPECT_TRUE(with.audio);
  for (const Rung& r : with.hls) {
    EXPECT_EQ(r.audio_bitrate, 128'000);
    EXPECT_GE(r.bandwidth, r.video_bitrate + r.audio_bitrate);
  }
  EXPECT_EQ(with.hls[1].bandwidth, (3'000'000 + 128'000) * 11 / 10);

  SourceFacts s = Facts(1920, 1080);
  s.has_audio = false;
  Plan without = MustPlan(s);
  EXPECT_FALSE(without.audio);
  for (const Rung& r : without.hls) EXPECT_EQ(r.audio_bitrate, 0);
  EXPECT_EQ(without.hls[1].bandwidth, 3'300'000);
}

TEST(LadderTest, CodecsAttribute) {
  Plan p = MustPlan(Facts(1920, 1080));
  EXPECT_EQ(p.codecs_attribute(p.hls[0]), "avc1.640028,mp4a.40.2");  // 1080p30: level 4.0
  EXPECT_EQ(p.codecs_attribute(p.hls[1]), "avc1.64001f,mp4a.40.2");  // 720p30: level 3.1
  // 854x480 at 30 fps is 48600 macroblocks/s, over level 3.0's 40500: the table says 3.1.
  EXPECT_EQ(p.codecs_attribute(p.hls[2]), "avc1.64001f,mp4a.40.2");
  EXPECT_EQ(p.codecs_attribute(p.hls[3]), "avc1.64001e,mp4a.40.2");  // 360p30: level 3.0
  EXPECT_EQ(p.codecs_attribute(p.hls[4]), "avc1.640015,mp4a.40.2");  // 240p30: level 2.1

  SourceFacts s = Facts(1920, 1080);
  s.has_audio = false;
  Plan silent = MustPlan(s);
  EXPECT_EQ(silent.codecs_attribute(silent.hls[0]), "avc1.640028");
  EXPECT_EQ(silent.codecs_attribute(silent.hls[1]), "avc1.64001f");

  s.fps = 60;
  Plan fast = MustPlan(s);
  EXPECT_EQ(fast.codecs_attribute(fast.hls[0]), "avc1.64002a");  // 1080p60: level 4.2
  EXPECT_EQ(fast.codecs_attribute(fast.hls[1]), "avc1.640020");  // 720p60: level 3.2
}

TEST(LadderTest, InvalidSourcesAreUnsupported) {
  for (auto [w, h] : {std::pair{0, 1080}, {1920, 0}, {-1, 720}, {0, 0}}) {
    auto plan = PlanRenditions(Facts(w, h));
    ASSERT_FALSE(plan.has_value()) << w << "x" << h;
    EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
    EXPECT_EQ(plan.error().message, "the video stream has no picture size");
  }
  SourceFacts s = Facts(1920, 1080);
  s.rotation = 45;
  ASSERT_FALSE(PlanRenditions(s).has_value());
  EXPECT_EQ(PlanRenditions(s).error().code, ErrorCode::kUnsupported);
  ASSERT_FALSE(PlanRenditions(Facts(1, 1)).has_value());
  ASSERT_FALSE(PlanRenditions(Facts(20000, 1080)).has_value());
}

}  // namespace
}  // namespace kinora::media
