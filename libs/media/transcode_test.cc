// The pipeline on real clips made by the ffmpeg program at test time; every output is opened
// and decoded back with libavformat/libavcodec (the HLS variants through their playlists).
#include "kinora/media/transcode.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "kinora/media/av.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace kinora::media {
namespace {

namespace fs = std::filesystem;

struct Decoded {
  int width = 0, height = 0, frames = 0;
  std::string pix_fmt, video_codec, audio_codec;
  int sample_rate = 0, channels = 0;
  double duration = 0;            // end of the last video frame, seconds
  std::vector<double> keyframes;  // video key frame times, seconds
};

// Decodes every video frame of a file or playlist.
Decoded Decode(const fs::path& path) {
  Decoded d;
  // Test outputs (playlists included) are trusted: any demuxer may open them.
  AVFormatContext* raw = nullptr;
  const int opened = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  EXPECT_GE(opened, 0) << path;
  if (opened < 0) return d;
  InputFormat in(raw);
  EXPECT_GE(avformat_find_stream_info(in.get(), nullptr), 0) << path;
  AVFormatContext* fmt = in.get();
  int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  int ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  EXPECT_GE(vi, 0) << path;
  if (vi < 0) return d;
  AVStream* vs = fmt->streams[vi];
  if (ai >= 0) {
    d.audio_codec = avcodec_get_name(fmt->streams[ai]->codecpar->codec_id);
    d.sample_rate = fmt->streams[ai]->codecpar->sample_rate;
    d.channels = fmt->streams[ai]->codecpar->ch_layout.nb_channels;
  }
  d.video_codec = avcodec_get_name(vs->codecpar->codec_id);
  const AVCodec* codec = avcodec_find_decoder(vs->codecpar->codec_id);
  CodecContext dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), vs->codecpar);
  EXPECT_EQ(avcodec_open2(dec.get(), codec, nullptr), 0);
  Packet pkt = NewPacket();
  Frame f = NewFrame();
  const double tb = av_q2d(vs->time_base);
  const int64_t start = vs->start_time == AV_NOPTS_VALUE ? 0 : vs->start_time;
  auto drain = [&] {
    while (avcodec_receive_frame(dec.get(), f.get()) == 0) {
      ++d.frames;
      d.width = f->width;
      d.height = f->height;
      d.pix_fmt = av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format));
      double end = static_cast<double>(f->best_effort_timestamp - start + f->pkt_duration) * tb;
      d.duration = std::max(d.duration, end);
      av_frame_unref(f.get());
    }
  };
  while (av_read_frame(fmt, pkt.get()) >= 0) {
    if (pkt->stream_index == vi) {
      if (pkt->flags & AV_PKT_FLAG_KEY) {
        d.keyframes.push_back(static_cast<double>(pkt->pts - start) * tb);
      }
      EXPECT_EQ(avcodec_send_packet(dec.get(), pkt.get()), 0) << path;
      drain();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(dec.get(), nullptr);
  drain();
  return d;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TranscodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("kinora_transcode_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto run = [](const std::string& args) {
      std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args;
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    };
    const std::string tone = " -f lavfi -i sine=frequency=440:sample_rate=44100:duration=3 ";
    run("-f lavfi -i testsrc2=size=640x360:rate=25:duration=2" + tone +
        " -t 2 -c:v libx264 -preset ultrafast -c:a aac " + Path("plain.mp4"));
    // Web-ready: H.264 4:2:0 at 360p within the cap, key frames every 2 s.
    run("-f lavfi -i testsrc2=size=640x360:rate=30:duration=6" + tone +
        " -t 6 -c:v libx264 -preset veryfast -g 60 -keyint_min 60 -sc_threshold 0 -maxrate 600k "
        "-bufsize 1200k -pix_fmt yuv420p -c:a aac -ar 48000 -ac 2 -movflags +faststart " +
        Path("web.mp4"));
    run("-f lavfi -i testsrc2=size=320x240:rate=25:duration=2 -c:v libx264 -preset ultrafast "
        "-pix_fmt yuv444p10le " +
        Path("deep444.mkv"));
    run("-i " + Path("plain.mp4") + " -c copy -metadata:s:v:0 rotate=90 " + Path("rotated.mp4"));
    run("-f lavfi -i color=black:size=320x240:rate=25:duration=3 "
        "-f lavfi -i testsrc2=size=320x240:rate=25:duration=3 -filter_complex concat=n=2:v=1:a=0 "
        "-c:v libx264 -preset ultrafast -pix_fmt yuv420p " +
        Path("black_then_test.mp4"));
    std::string web = Slurp(dir_ / "web.mp4");
    std::ofstream(dir_ / "truncated.mp4", std::ios::binary) << web.substr(0, web.size() / 2);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Path(const std::string& name) { return (dir_ / name).string(); }

  inline static fs::path dir_;
};

TEST_F(TranscodeTest, EveryOutputDecodesAtItsSizeFromOneSource) {
  std::vector<double> progress;
  TranscodeOptions o;
  o.on_progress = [&](double p) { progress.push_back(p); };
  const fs::path out = dir_ / "out_plain";
  auto r = Transcode(Path("plain.mp4"), out, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->audio_copy);          // 44.1 kHz mono becomes 48 kHz stereo
  ASSERT_EQ(r->renditions.size(), 2u);  // 360p and 240p: nothing taller than the source
  EXPECT_EQ(r->renditions[0].rung.name, "360p");
  EXPECT_EQ(r->renditions[1].rung.name, "240p");
  for (const RenditionResult& rr : r->renditions) {
    Decoded d = Decode(out / rr.playlist);
    EXPECT_EQ(d.frames, 50) << rr.rung.name;  // 2 s at 25 fps, none lost or added
    EXPECT_EQ(d.width, rr.rung.width);
    EXPECT_EQ(d.height, rr.rung.height);
    EXPECT_EQ(d.pix_fmt, "yuv420p");
    EXPECT_EQ(d.video_codec, "h264");
    EXPECT_EQ(d.audio_codec, "aac");
    EXPECT_EQ(d.sample_rate, 48000);
    EXPECT_EQ(d.channels, 2);
    EXPECT_NEAR(d.duration, 2.0, 0.05);
  }
  Decoded mp4 = Decode(out / kMp4File);
  EXPECT_EQ(mp4.frames, 50);
  EXPECT_EQ(mp4.height, 360);
  const std::string head = Slurp(out / kMp4File).substr(0, 4096);
  EXPECT_LT(head.find("moov"), head.find("mdat")) << "the MP4 is not faststart";
  const std::string master = Slurp(out / kMasterPlaylistFile);
  EXPECT_NE(master.find("RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\""), std::string::npos)
      << master;
  EXPECT_NE(Slurp(out / kThumbnailFile).size(), 0u);
  EXPECT_NE(Slurp(out / kPosterFile).size(), 0u);
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_DOUBLE_EQ(progress.back(), 0.99);
  // master, 2 x (index, init, segment), mp4, jpgs, analysis.json, storyboard VTT + one sheet
  EXPECT_EQ(r->files.size(), 1u + 2 * 3 + 3 + 3);
}

TEST_F(TranscodeTest, AWebReadySourceIsCopiedAndTheOtherRungsKeepItsKeyFrames) {
  const fs::path out = dir_ / "out_web";
  auto r = Transcode(Path("web.mp4"), out);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->renditions.size(), 2u);
  EXPECT_TRUE(r->renditions[0].rung.copy);
  EXPECT_FALSE(r->renditions[1].rung.copy);
  EXPECT_TRUE(r->mp4.copy);  // the MP4 is a remux of the source
  EXPECT_TRUE(r->audio_copy);
  Decoded top = Decode(out / r->renditions[0].playlist);
  Decoded low = Decode(out / r->renditions[1].playlist);
  EXPECT_EQ(top.frames, 180);
  EXPECT_EQ(low.frames, 180);
  EXPECT_EQ(top.keyframes, low.keyframes);  // aligned, so players switch rungs cleanly
  EXPECT_EQ(r->renditions[0].segments, r->renditions[1].segments);
  EXPECT_EQ(top.audio_codec, "aac");
  EXPECT_NEAR(top.duration, 6.0, 0.05);
  EXPECT_NEAR(Decode(out / kMp4File).duration, 6.0, 0.05);
}

TEST_F(TranscodeTest, RotationIsAppliedAndDeepColourBecomes8Bit420) {
  auto r = Transcode(Path("rotated.mp4"), dir_ / "out_rotated");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->display_width, 360);
  EXPECT_EQ(r->display_height, 640);
  Decoded d = Decode(dir_ / "out_rotated" / r->renditions[0].playlist);
  EXPECT_EQ(d.width, 360);
  EXPECT_EQ(d.height, 640);

  auto deep = Transcode(Path("deep444.mkv"), dir_ / "out_deep");
  ASSERT_TRUE(deep) << deep.error().message;
  EXPECT_EQ(deep->probe.bit_depth, 10);
  Decoded dd = Decode(dir_ / "out_deep" / kMp4File);
  EXPECT_EQ(dd.pix_fmt, "yuv420p");
  EXPECT_EQ(dd.audio_codec, "");  // no audio in, no audio out
  EXPECT_EQ(deep->renditions[0].codecs.find("mp4a"), std::string::npos);
}

TEST_F(TranscodeTest, ThumbnailsComeFromThePassAndSkipBlackFrames) {
  TranscodeOptions o;
  o.allow_copy = false;  // a copy would decode nothing, and fall back to sampling the file
  auto r = Transcode(Path("black_then_test.mp4"), dir_ / "out_black", o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GE(r->thumbnail_seconds, 3.0);  // not one of the black first three seconds
  EXPECT_EQ(r->poster_width, 320);
  EXPECT_EQ(r->poster_height, 240);
}

TEST_F(TranscodeTest, ATruncatedFileFailsWithWhereItStops) {
  auto r = Transcode(Path("truncated.mp4"), dir_ / "out_truncated");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace kinora::media
