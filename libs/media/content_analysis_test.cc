// Content analysis on fixtures of known structure, made by the ffmpeg program at test time: cuts
// at known frames, black at the start, a freeze, a tone of known loudness (FFmpeg's own ebur128
// summary on the same file is the oracle), silence, a portrait clip, a clip without audio. The
// storyboard's tiles are compared with the source frames decoded at their times.
#include "kinora/media/content_analysis.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "kinora/media/av.h"
#include "kinora/media/content_flags.h"
#include "kinora/media/internal/storyboard.h"
#include "kinora/media/transcode.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace kinora::media {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// The first decoded video frame at or after `seconds` of a file (or, for a picture, its only
// frame), as 8-bit luma values with the range the file declares.
struct Luma {
  int width = 0, height = 0;
  bool full_range = false;
  std::vector<uint8_t> y;
  // The mean of a rectangle, in full range (0..255) whatever the file's range.
  double Mean(int x0, int y0, int w, int h) const {
    double sum = 0;
    for (int row = y0; row < y0 + h; ++row) {
      for (int x = x0; x < x0 + w; ++x) sum += y_at(x, row);
    }
    const double m = sum / (w * h);
    return full_range ? m : (m - 16) * 255 / 219;
  }
  uint8_t y_at(int x, int yy) const { return y[static_cast<size_t>(yy) * width + x]; }
};

Luma DecodeAt(const fs::path& file, double seconds) {
  Luma out;
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, file.c_str(), nullptr, nullptr) < 0) return out;
  InputFormat in(raw);
  avformat_find_stream_info(in.get(), nullptr);
  const int vi = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (vi < 0) return out;
  AVStream* st = in->streams[vi];
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  CodecContext dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), st->codecpar);
  avcodec_open2(dec.get(), codec, nullptr);
  Packet pkt = NewPacket();
  Frame f = NewFrame();
  auto take = [&]() {
    while (avcodec_receive_frame(dec.get(), f.get()) == 0) {
      const double t = static_cast<double>(f->best_effort_timestamp) * av_q2d(st->time_base);
      if (t + 1e-3 >= seconds && out.y.empty()) {
        out.width = f->width;
        out.height = f->height;
        out.full_range = f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P;
        for (int y = 0; y < f->height; ++y) {
          out.y.insert(out.y.end(), f->data[0] + y * f->linesize[0],
                       f->data[0] + y * f->linesize[0] + f->width);
        }
      }
      av_frame_unref(f.get());
    }
  };
  while (out.y.empty() && av_read_frame(in.get(), pkt.get()) >= 0) {
    if (pkt->stream_index == vi) avcodec_send_packet(dec.get(), pkt.get());
    av_packet_unref(pkt.get());
    take();
  }
  if (out.y.empty()) {
    avcodec_send_packet(dec.get(), nullptr);
    take();
  }
  return out;
}

// FFmpeg's own ebur128 summary of a file: {integrated LUFS, true peak dBTP}.
std::pair<double, double> Oracle(const fs::path& file) {
  const std::string text = Run("ffmpeg -nostdin -hide_banner -i " + file.string() +
                               " -af ebur128=peak=true -f null - 2>&1");
  std::smatch i, p;
  const std::string summary = text.substr(text.rfind("Summary:"));
  EXPECT_TRUE(std::regex_search(summary, i, std::regex(R"(I:\s+(-?[0-9.]+) LUFS)"))) << text;
  EXPECT_TRUE(std::regex_search(summary, p, std::regex(R"(Peak:\s+(-?[0-9.]+) dBFS)"))) << text;
  return {std::stod(i[1]), std::stod(p[1])};
}

class ContentAnalysisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("kinora_content_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    auto run = [](const std::string& args) {
      std::string cmd = "ffmpeg -nostdin -loglevel error -y " + args;
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    };
    const std::string x264 = " -c:v libx264 -preset ultrafast -pix_fmt yuv420p ";
    const std::string s = "s=320x180:r=25";
    // Cuts at frames 30, 55 and 95 (1.2 s, 2.2 s, 3.8 s); 2 s of black first.
    run("-f lavfi -i \"color=black:" + s + ":d=2[a];color=red:" + s + ":d=1.2[b];testsrc2=" + s +
        ":d=1[c];color=0x2040ff:" + s + ":d=1.6[d];smptebars=" + s +
        ":d=1.2[e];[a][b][c][d][e]concat=n=5:v=1:a=0\" -f lavfi -i "
        "\"sine=frequency=1000:sample_rate=48000:duration=7,volume=0.25\" -shortest" +
        x264 + "-c:a aac -b:a 128k " + Path("cuts.mp4"));
    // A 3 s freeze from 2.0 s: one frame held (lossless, so truly identical), then motion.
    run("-f lavfi -i \"testsrc2=" + s + ":d=2[a];testsrc2=" + s +
        ":d=0.04,tpad=stop_mode=clone:stop_duration=2.96[b];testsrc2=" + s +
        ":d=4,trim=start=2,setpts=PTS-STARTPTS[c];[a][b][c]concat=n=3:v=1:a=0\" -c:v libx264 "
        "-preset ultrafast -qp 0 -pix_fmt yuv420p " +
        Path("freeze.mp4"));
    // A quiet tone (about -33 LUFS), 3 s, then 4 s of silence, then 2 s of tone.
    run("-f lavfi -i testsrc2=" + s +
        ":d=9 -f lavfi -i "
        "\"sine=frequency=440:sample_rate=48000:duration=9,volume=0.03:enable='lt(t,3)+gte(t,7)',"
        "volume=0:enable='between(t,3,7)'\"" +
        x264 + "-c:a aac -b:a 128k " + Path("silence.mp4"));
    // Luma steps every second (30, 60, 90, …): a tile taken at the wrong second shows it.
    run("-f lavfi -i \"nullsrc=" + s + ":d=6,geq=lum='30+30*floor(T)':cb=128:cr=128\"" + x264 +
        Path("steps.mp4"));
    run("-f lavfi -i testsrc2=s=180x320:r=25:d=3" + x264 + Path("portrait.mp4"));
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Path(const std::string& name) { return (dir_ / name).string(); }

  // Transcodes `name` and reads back its analysis.json.
  static ContentAnalysis Analyze(const std::string& name, const TranscodeOptions& o = {},
                                 TranscodeReport* report = nullptr) {
    const fs::path out = dir_ / ("out_" + name);
    auto r = Transcode(Path(name), out, o);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) return {};
    if (report) *report = *r;
    boost::json::value doc = boost::json::parse(Slurp(out / kAnalysisFile));
    auto a = ContentAnalysisFromJson(doc.as_object());
    EXPECT_TRUE(a) << a.error().message;
    return a ? *a : ContentAnalysis{};
  }

  inline static fs::path dir_;
};

constexpr double kFrame = 1.0 / 25;

TEST_F(ContentAnalysisTest, CutsAndBlackAreFoundWhereTheyAre) {
  TranscodeReport report;
  ContentAnalysis a = Analyze("cuts.mp4", {}, &report);
  EXPECT_TRUE(a.complete);
  const std::vector<double> cuts = {2.0, 3.2, 4.2, 5.8};  // black→red, red→test, →blue, →bars
  ASSERT_EQ(a.scenes.size(), cuts.size());
  for (size_t i = 0; i < cuts.size(); ++i) {
    EXPECT_NEAR(a.scenes[i].time, cuts[i], kFrame + 1e-6) << i;
    EXPECT_GT(a.scenes[i].score, 10);
  }
  ASSERT_EQ(a.black.size(), 1u);
  EXPECT_NEAR(a.black[0].start, 0.0, 0.1);
  EXPECT_NEAR(a.black[0].end, 2.0, 0.1);
  bool black_start = false;
  for (const ContentFlag& f : a.flags) black_start |= f.code == "black_start";
  EXPECT_TRUE(black_start);
  EXPECT_EQ(report.content.status, "complete");
  EXPECT_EQ(report.content.scene_count, 4);
  EXPECT_NEAR(report.content.black_seconds, 2.0, 0.1);
  ASSERT_TRUE(a.complexity);
  EXPECT_GT(a.complexity->si_max, 0);
}

TEST_F(ContentAnalysisTest, AFreezeIsFoundWhereItIs) {
  ContentAnalysis a = Analyze("freeze.mp4");
  ASSERT_EQ(a.freeze.size(), 1u);
  EXPECT_NEAR(a.freeze[0].start, 2.0, 0.1);
  EXPECT_NEAR(a.freeze[0].end, 5.0, 0.1);
  EXPECT_TRUE(a.black.empty());
  ASSERT_FALSE(a.flags.empty());
  std::string messages;
  for (const ContentFlag& f : a.flags) messages += f.message + "\n";
  EXPECT_NE(messages.find("frozen 2.0\u20135.0 s"), std::string::npos) << messages;
  EXPECT_NE(messages.find("no audio track"), std::string::npos) << messages;
  EXPECT_FALSE(a.loudness);  // no audio: no loudness, no waveform
  EXPECT_FALSE(a.waveform);
}

TEST_F(ContentAnalysisTest, LoudnessMatchesFfmpegsOwnEbur128) {
  for (const char* name : {"cuts.mp4", "silence.mp4"}) {
    ContentAnalysis a = Analyze(name);
    ASSERT_TRUE(a.loudness) << name;
    const auto [integrated, peak] = Oracle(dir_ / name);
    EXPECT_NEAR(a.loudness->integrated_lufs, integrated, 0.5) << name;
    EXPECT_NEAR(a.loudness->true_peak_dbtp, peak, 0.5) << name;
  }
}

TEST_F(ContentAnalysisTest, SilenceIsFoundAndAQuietVideoIsFlagged) {
  ContentAnalysis a = Analyze("silence.mp4");
  ASSERT_EQ(a.silence.size(), 1u);
  EXPECT_NEAR(a.silence[0].start, 3.0, 0.1);
  EXPECT_NEAR(a.silence[0].end, 7.0, 0.1);
  std::string codes;
  for (const ContentFlag& f : a.flags) codes += f.code + " ";
  EXPECT_NE(codes.find("too_quiet"), std::string::npos) << codes;
  EXPECT_NE(codes.find("silent"), std::string::npos) << codes;  // 4 s of 9: 44 %
  ASSERT_TRUE(a.waveform);
  ASSERT_NEAR(static_cast<double>(a.waveform->peak.size()), 90, 2);  // 100 ms each
  EXPECT_GT(a.waveform->peak[10], 0.002f);   // the tone at 1 s (sine's 1/8 x 0.03)
  EXPECT_LT(a.waveform->peak[50], 0.0005f);  // silence at 5 s
  EXPECT_LE(a.waveform->rms[10], a.waveform->peak[10]);
}

TEST_F(ContentAnalysisTest, StoryboardTilesShowTheFramesAtTheirTimes) {
  ContentAnalysis a = Analyze("steps.mp4");
  ASSERT_TRUE(a.storyboard);
  const Storyboard& s = *a.storyboard;
  EXPECT_EQ(s.tile_width, 160);
  EXPECT_EQ(s.tile_height, 90);
  EXPECT_EQ(s.tiles, 6);
  ASSERT_EQ(s.sprites.size(), 1u);
  const fs::path out = dir_ / "out_steps.mp4";
  const Luma sheet = DecodeAt(out / s.sprites[0], 0);
  ASSERT_EQ(sheet.width, 10 * 160);
  ASSERT_EQ(sheet.height, 90);
  for (int k = 0; k < s.tiles; ++k) {
    const Luma source = DecodeAt(Path("steps.mp4"), k * s.interval_seconds);
    ASSERT_FALSE(source.y.empty());
    const double want = source.Mean(8, 8, source.width - 16, source.height - 16);
    const double got = sheet.Mean(k * 160 + 8, 8, 160 - 16, 90 - 16);
    EXPECT_NEAR(got, want, 6) << "tile " << k;  // the neighbours differ by ~35
  }
  // The VTT: one cue per tile, each pointing at its tile.
  const std::string vtt = Slurp(out / kStoryboardVtt);
  EXPECT_EQ(vtt.rfind("WEBVTT\n", 0), 0u);
  EXPECT_NE(vtt.find("00:00:02.000 --> 00:00:03.000\nsprite_000.jpg#xywh=320,0,160,90\n"),
            std::string::npos)
      << vtt;
  EXPECT_NE(vtt.find("00:00:05.000 --> 00:00:06.000\nsprite_000.jpg#xywh=800,0,160,90\n"),
            std::string::npos)
      << vtt;
}

TEST_F(ContentAnalysisTest, PortraitTilesArePortrait) {
  ContentAnalysis a = Analyze("portrait.mp4");
  ASSERT_TRUE(a.storyboard);
  EXPECT_EQ(a.storyboard->tile_width, 90);
  EXPECT_EQ(a.storyboard->tile_height, 160);
  EXPECT_TRUE(a.complete);
}

TEST_F(ContentAnalysisTest, AFailingAnalysisStepDoesNotFailTheTranscode) {
  TranscodeOptions o;
  o.video_detectors = "no_such_filter";
  TranscodeReport report;
  ContentAnalysis a = Analyze("portrait.mp4", o, &report);
  EXPECT_FALSE(a.complete);
  ASSERT_EQ(a.incomplete.size(), 1u);
  EXPECT_NE(a.incomplete[0].find("scenes"), std::string::npos) << a.incomplete[0];
  EXPECT_EQ(report.content.status, "incomplete");
  EXPECT_FALSE(report.renditions.empty());  // the outputs are all there
}

TEST_F(ContentAnalysisTest, DamagedInputStillFailsWithItsReason) {
  const std::string whole = Slurp(Path("cuts.mp4"));
  std::ofstream(dir_ / "half.mp4", std::ios::binary) << whole.substr(0, whole.size() / 2);
  auto r = Transcode(dir_ / "half.mp4", dir_ / "out_half");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
}

TEST(ContentFlags, MessagesAPersonCanActOn) {
  ContentAnalysis a;
  a.duration_seconds = 100;
  a.loudness = Loudness{-31.04, 3, -12};
  a.black = {{0, 3.2}};
  a.freeze = {{12, 15.5}};
  a.silence = {{20, 60}};
  a.quality = {{"240p", false, 0.86, 30.0, 6}, {"720p", false, 0.98, 42.0, 6}};
  std::vector<std::string> got;
  for (const ContentFlag& f : DeriveFlags(a, true)) got.push_back(f.message);
  EXPECT_EQ(got,
            (std::vector<std::string>{
                "too quiet: \u221231.0 LUFS (streaming platforms aim near \u221214 to \u221216)",
                "starts with 3.2 s of black", "frozen 12.0\u201315.5 s",
                "no sound for 40 % of the video", "the 240p rung is poor (SSIM 0.86)"}));
  for (std::string_view code : FlagCodes()) EXPECT_FALSE(code.empty());
}

TEST(ContentAnalysisJson, RoundTripsAndSummarizes) {
  ContentAnalysis a;
  a.duration_seconds = 10;
  a.scenes = {{2.5, 40}};
  a.black = {{0, 1.5}};
  a.loudness = Loudness{-20, 2, -3};
  a.waveform = Waveform{0.1, {0.5f, 0.25f}, {0.2f, 0.1f}};
  a.storyboard = Storyboard{1, 160, 90, 10, 10, 10, {"storyboard/sprite_000.jpg"}};
  a.quality = {{"360p", true, 1, std::nullopt, 0}};
  a.flags = DeriveFlags(a, true);
  auto back = ContentAnalysisFromJson(ToJson(a));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(boost::json::serialize(ToJson(*back)), boost::json::serialize(ToJson(a)));
  ContentSummary s = Summarize(a);
  EXPECT_EQ(s.scene_count, 1);
  EXPECT_EQ(s.flags, std::vector<std::string>{"black_start"});
  auto again = ContentSummaryFromJson(ToJson(s));
  ASSERT_TRUE(again);
  EXPECT_EQ(boost::json::serialize(ToJson(*again)), boost::json::serialize(ToJson(s)));
}

TEST(Storyboard, AtMost200TilesAndAVttCuePerTile) {
  EXPECT_EQ(internal::PlanStoryboard(30).interval_seconds, 1);
  EXPECT_EQ(internal::PlanStoryboard(30).tiles, 30);
  EXPECT_EQ(internal::PlanStoryboard(7200).interval_seconds, 36);
  EXPECT_EQ(internal::PlanStoryboard(7200).tiles, 200);
  Storyboard s{1, 160, 90, 10, 10, 12, {"a", "b"}};
  const std::string vtt = internal::StoryboardVtt(s, 11.5);
  EXPECT_NE(vtt.find("00:00:11.000 --> 00:00:11.500\nsprite_000.jpg#xywh=160,90,160,90\n"),
            std::string::npos)
      << vtt;
}

}  // namespace
}  // namespace kinora::media
