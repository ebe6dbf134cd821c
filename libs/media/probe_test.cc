// Probes real files made by the ffmpeg program at test time.
#include "kinora/media/probe.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kinora::media {
namespace {

namespace fs = std::filesystem;

class ProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("kinora_probe_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto run = [](const std::string& args) {
      std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args;
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    };
    // ~7 MB (noise defeats compression), moov atom at the END (no faststart): the tail matters.
    run("-f lavfi -i testsrc2=size=640x360:rate=25,noise=alls=100:allf=t "
        "-f lavfi -i sine=frequency=440 -t 4 "
        "-c:v libx264 -b:v 12M -preset ultrafast -c:a aac " +
        (dir_ / "clip.mp4").string());
    run("-f lavfi -i sine=frequency=440 -t 2 -c:a aac " + (dir_ / "audio.m4a").string());
    run("-f lavfi -i testsrc2=size=320x240:rate=30 -t 1 -c:v libx264 -preset ultrafast " +
        (dir_ / "upright.mp4").string());
    // ffmpeg 5.1 turns the rotate tag into a display matrix only when remuxing.
    run("-i " + (dir_ / "upright.mp4").string() + " -c copy -metadata:s:v:0 rotate=90 " +
        (dir_ / "rotated.mp4").string());
    std::ofstream(dir_ / "text.mp4") << "this is not a video, just some text\n";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static Result<ProbeResult> Probe(const std::string& name, size_t window = 2 << 20) {
    std::string all = Read(name);
    std::string_view v(all);
    size_t h = std::min(window, v.size());
    size_t t = std::min(window, v.size() - h);
    return ProbeHeadTail(v.substr(0, h), v.substr(v.size() - t), v.size());
  }
  static fs::path dir_;
};
fs::path ProbeTest::dir_;

TEST_F(ProbeTest, ProbesMp4WithMoovAtTheEndFromHeadAndTail) {
  ASSERT_GT(Read("clip.mp4").size(), 4u << 20) << "fixture must be larger than head+tail";
  auto r = Probe("clip.mp4");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->video_codec, "h264");
  EXPECT_EQ(r->audio_codec, "aac");
  EXPECT_EQ(r->width, 640);
  EXPECT_EQ(r->height, 360);
  EXPECT_NEAR(r->fps, 25, 0.01);
  EXPECT_NEAR(r->duration_seconds, 4, 0.1);
  EXPECT_GT(r->bitrate, 1000000);
}

TEST_F(ProbeTest, ReadsRotation) {
  auto r = Probe("rotated.mp4");
  ASSERT_TRUE(r) << r.error().message;
  // ffprobe shows this file's display-matrix angle as 90 (counter-clockwise); the ffmpeg program
  // turns that into a 270° clockwise turn (transpose=cclock), which is what Rotation reports.
  EXPECT_EQ(r->rotation, 270);
}

TEST_F(ProbeTest, RefusesTextAudioOnlyAndEmpty) {
  auto text = Probe("text.mp4");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupported);
  auto audio = Probe("audio.m4a");
  ASSERT_FALSE(audio);
  EXPECT_EQ(audio.error().message, "the file has audio but no video stream");
  EXPECT_FALSE(ProbeHeadTail("", "", 0));
}

TEST_F(ProbeTest, SurvivesGarbageAndTruncation) {
  std::string clip = Read("clip.mp4");
  std::string garbage(100000, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7919) >> 3);
  EXPECT_FALSE(ProbeHeadTail(garbage, "", garbage.size()));
  // Head only, claiming the full size: the moov is missing -> a clear refusal, no crash.
  auto r = ProbeHeadTail(std::string_view(clip).substr(0, 100000), "", clip.size());
  EXPECT_FALSE(r);
}

}  // namespace
}  // namespace kinora::media
