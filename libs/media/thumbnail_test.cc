// Thumbnails of real clips made by the ffmpeg program at test time; the JPEGs are decoded back
// with libavcodec to check their size and content.
#include "kinora/media/thumbnail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "kinora/media/av.h"

namespace kinora::media {
namespace {

namespace fs = std::filesystem;

struct Decoded {
  int width = 0, height = 0;
  Frame frame;
  // Mean luma (0..255, full range) of the columns [x0, x1) over all rows.
  double MeanLuma(int x0, int x1) const {
    double sum = 0;
    for (int y = 0; y < height; ++y) {
      for (int x = x0; x < x1; ++x) sum += frame->data[0][y * frame->linesize[0] + x];
    }
    return sum / (height * (x1 - x0));
  }
  double MeanLuma() const { return MeanLuma(0, width); }
};

// Decodes JPEG bytes with libavcodec's MJPEG decoder; fails the test if they are not a JPEG.
Decoded DecodeJpeg(const std::string& jpeg) {
  Decoded out;
  EXPECT_GE(jpeg.size(), 4u);
  if (jpeg.size() < 4) return out;
  EXPECT_EQ(static_cast<unsigned char>(jpeg[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(jpeg[1]), 0xD8);
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
  CodecContext dec(avcodec_alloc_context3(codec));
  EXPECT_GE(avcodec_open2(dec.get(), codec, nullptr), 0);
  Packet pkt = NewPacket();
  EXPECT_EQ(av_new_packet(pkt.get(), static_cast<int>(jpeg.size())), 0);
  std::memcpy(pkt->data, jpeg.data(), jpeg.size());
  EXPECT_EQ(avcodec_send_packet(dec.get(), pkt.get()), 0);
  avcodec_send_packet(dec.get(), nullptr);
  out.frame = NewFrame();
  int err = avcodec_receive_frame(dec.get(), out.frame.get());
  EXPECT_EQ(err, 0) << "the JPEG does not decode";
  if (err == 0) {
    out.width = out.frame->width;
    out.height = out.frame->height;
  }
  return out;
}

class ThumbnailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("kinora_thumb_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto run = [](const std::string& args) {
      std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args;
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    };
    const std::string x264 = " -c:v libx264 -preset ultrafast -pix_fmt yuv420p ";
    run("-f lavfi -i color=black:size=320x240:rate=25:duration=3 "
        "-f lavfi -i testsrc2=size=320x240:rate=25:duration=3 "
        "-filter_complex concat=n=2:v=1:a=0" +
        x264 + Path("black_then_test.mp4"));
    run("-f lavfi -i testsrc2=size=320x240:rate=25 -t 1" + x264 + Path("sd43.mp4"));
    run("-f lavfi -i testsrc2=size=640x360:rate=25 -t 1" + x264 + Path("wide.mp4"));
    run("-f lavfi -i testsrc2=size=1920x1080:rate=10 -t 0.5" + x264 + Path("hd.mp4"));
    run("-f lavfi -i testsrc2=size=320x240:rate=25 -t 1 -vf setsar=4/3" + x264 +
        Path("anamorphic.mp4"));
    // ffmpeg 5.1 turns the rotate tag into a display matrix only when remuxing.
    run("-i " + Path("sd43.mp4") + " -c copy -metadata:s:v:0 rotate=90 " + Path("rotated.mp4"));
    // A white band along the top edge shows which way the picture was turned.
    run("-f lavfi -i color=black:size=320x240:rate=25,"
        "drawbox=x=0:y=0:w=320:h=60:color=white:t=fill -t 1" +
        x264 + Path("band.mp4"));
    run("-i " + Path("band.mp4") + " -c copy -metadata:s:v:0 rotate=90 " + Path("band_rot.mp4"));
    run("-f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 1" + x264 + Path("one_frame.mp4"));
    // A raw H.264 stream has no index and no duration: sampled by decoding from the start.
    run("-f lavfi -i testsrc2=size=320x240:rate=25 -t 2" + x264 + "-f h264 " + Path("raw.h264"));
    run("-f lavfi -i sine=frequency=440 -t 1 -c:a aac " + Path("audio.m4a"));
    std::ofstream(dir_ / "text.mp4") << "this is not a video, just some text\n";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Path(const std::string& name) { return (dir_ / name).string(); }
  static fs::path dir_;
};
fs::path ThumbnailTest::dir_;

TEST_F(ThumbnailTest, SkipsBlackOpeningForAFrameWithContent) {
  auto t = MakeThumbnails(Path("black_then_test.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_GE(t->picked_seconds, 3.0);
  EXPECT_LT(t->picked_seconds, 6.0);
  Decoded card = DecodeJpeg(t->card_jpeg);
  ASSERT_EQ(card.width, 320);
  EXPECT_GT(card.MeanLuma(), 60);
  Decoded poster = DecodeJpeg(t->poster_jpeg);
  ASSERT_EQ(poster.width, 320);
  EXPECT_EQ(poster.height, 240);
  EXPECT_GT(poster.MeanLuma(), 60);
}

TEST_F(ThumbnailTest, CardOfFourByThreeSourceIsLetterboxed) {
  auto t = MakeThumbnails(Path("sd43.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  Decoded card = DecodeJpeg(t->card_jpeg);
  ASSERT_EQ(card.width, 320);
  ASSERT_EQ(card.height, 180);
  // 4:3 in 320x180 is 240x180: 40 black columns each side.
  EXPECT_LT(card.MeanLuma(0, 36), 8);
  EXPECT_LT(card.MeanLuma(284, 320), 8);
  EXPECT_GT(card.MeanLuma(44, 276), 40);
}

TEST_F(ThumbnailTest, CardOfSixteenByNineSourceFillsTheCard) {
  auto t = MakeThumbnails(Path("wide.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  Decoded card = DecodeJpeg(t->card_jpeg);
  EXPECT_EQ(card.width, 320);
  EXPECT_EQ(card.height, 180);
  EXPECT_GT(card.MeanLuma(0, 8), 8) << "no letterbox bars on a 16:9 source";
}

TEST_F(ThumbnailTest, PosterKeepsSourceSizeUpToMaxWidth) {
  auto wide = MakeThumbnails(Path("wide.mp4"));
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(wide->poster_width, 640);
  EXPECT_EQ(wide->poster_height, 360);
  Decoded p = DecodeJpeg(wide->poster_jpeg);
  EXPECT_EQ(p.width, 640);
  EXPECT_EQ(p.height, 360);

  auto hd = MakeThumbnails(Path("hd.mp4"));
  ASSERT_TRUE(hd) << hd.error().message;
  Decoded q = DecodeJpeg(hd->poster_jpeg);
  EXPECT_EQ(q.width, 1280);
  EXPECT_EQ(q.height, 720);
  EXPECT_EQ(hd->poster_width, 1280);
  EXPECT_EQ(hd->poster_height, 720);
}

TEST_F(ThumbnailTest, RotatedClipGivesPortraitPoster) {
  auto t = MakeThumbnails(Path("rotated.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  Decoded p = DecodeJpeg(t->poster_jpeg);
  EXPECT_EQ(p.width, 240);
  EXPECT_EQ(p.height, 320);
  Decoded card = DecodeJpeg(t->card_jpeg);
  ASSERT_EQ(card.width, 320);
  ASSERT_EQ(card.height, 180);
  // Portrait 3:4 in 320x180 is 136x180 (even): wide black bars.
  EXPECT_LT(card.MeanLuma(0, 80), 8);
  EXPECT_GT(card.MeanLuma(100, 220), 40);
}

TEST_F(ThumbnailTest, RotationTurnsThePictureTheWayFfmpegDisplaysIt) {
  // Checked by hand: `ffmpeg -i band_rot.mp4` (autorotate) shows the top band on the left.
  auto t = MakeThumbnails(Path("band_rot.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  Decoded p = DecodeJpeg(t->poster_jpeg);
  ASSERT_EQ(p.width, 240);
  ASSERT_EQ(p.height, 320);
  EXPECT_GT(p.MeanLuma(0, 50), 200);
  EXPECT_LT(p.MeanLuma(70, 240), 20);
}

TEST_F(ThumbnailTest, AnamorphicSourceGetsSquarePixels) {
  auto t = MakeThumbnails(Path("anamorphic.mp4"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->poster_width, 426);  // 320 * 4/3
  EXPECT_EQ(t->poster_height, 240);
  Decoded p = DecodeJpeg(t->poster_jpeg);
  EXPECT_EQ(p.width, 426);
}

TEST_F(ThumbnailTest, HonoursCardSizeOption) {
  ThumbnailOptions o;
  o.card_width = 160;
  o.card_height = 90;
  o.poster_max_width = 200;
  o.candidates = 1;
  auto t = MakeThumbnails(Path("wide.mp4"), o);
  ASSERT_TRUE(t) << t.error().message;
  Decoded card = DecodeJpeg(t->card_jpeg);
  EXPECT_EQ(card.width, 160);
  EXPECT_EQ(card.height, 90);
  EXPECT_EQ(t->poster_width, 200);
  EXPECT_EQ(t->poster_height, 112);  // 200 * 9/16 = 112.5, rounded to even
}

TEST_F(ThumbnailTest, RawStreamsAreNotAcceptedContainers) {
  // Elementary streams are outside the container whitelist (input_policy.h).
  auto t = MakeThumbnails(Path("raw.h264"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(t.error().message.find("not a video container"), std::string::npos)
      << t.error().message;
}

TEST_F(ThumbnailTest, OneFrameClipStillGivesThumbnails) {
  for (const char* name : {"one_frame.mp4"}) {
    auto t = MakeThumbnails(Path(name));
    ASSERT_TRUE(t) << name << ": " << t.error().message;
    Decoded card = DecodeJpeg(t->card_jpeg);
    EXPECT_EQ(card.width, 320) << name;
    EXPECT_EQ(card.height, 180) << name;
    EXPECT_GT(card.MeanLuma(44, 276), 40) << name;
  }
}

TEST_F(ThumbnailTest, AudioOnlyFileHasNoVideoStream) {
  auto t = MakeThumbnails(Path("audio.m4a"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(t.error().message.find("no video stream"), std::string::npos) << t.error().message;
}

TEST_F(ThumbnailTest, TextFileIsAnErrorNotACrash) {
  auto t = MakeThumbnails(Path("text.mp4"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kUnsupported) << t.error().message;
}

TEST_F(ThumbnailTest, MissingFileIsAnError) {
  auto t = MakeThumbnails(Path("nope.mp4"));
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kNotFound) << t.error().message;
}

}  // namespace
}  // namespace kinora::media
