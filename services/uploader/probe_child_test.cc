// The probe child's contract: its command line and result lines. (The child itself runs in
// the integration tests, through the real binary.)
#include "kinora/uploader/probe_child.h"

#include <gtest/gtest.h>

namespace kinora::uploader {
namespace {

TEST(ProbeChild, ArgvCarriesSizesAndLimits) {
  ProbeChildRequest r{.head_bytes = 2097152, .total_bytes = 5000000, .limits = {}};
  r.limits.max_pixels = 1920 * 1080;
  r.limits.max_duration_seconds = 3600;
  EXPECT_EQ(ProbeChildArgv("/bin/kinora", r),
            (std::vector<std::string>{"/bin/kinora", "probe-child", "--head-bytes", "2097152",
                                      "--total-bytes", "5000000", "--max-pixels", "2073600",
                                      "--max-duration", "3600"}));
}

TEST(ProbeChild, ResultLinesRoundTrip) {
  media::ProbeResult p;
  p.container = "matroska,webm";
  p.width = 1920;
  p.height = 1080;
  p.duration_seconds = 12.5;
  p.video_codec = "h264";
  const std::string line = FormatProbeLine(p);
  ASSERT_TRUE(line.ends_with("\n"));
  auto back = ParseProbeLine(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(back);
  ASSERT_TRUE(*back);
  EXPECT_EQ((*back)->container, "matroska,webm");
  EXPECT_EQ((*back)->width, 1920);
  EXPECT_EQ((*back)->duration_seconds, 12.5);
}

TEST(ProbeChild, RefusalsStayRefusalsAndOnlyUnavailableKeepsItsCode) {
  auto refused = ParseProbeLine(FormatProbeLine(Unsupported("the video is 16000x16000")));
  ASSERT_TRUE(refused);
  ASSERT_FALSE(*refused);
  EXPECT_EQ(refused->error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(refused->error().message, "the video is 16000x16000");

  auto internal = ParseProbeLine(FormatProbeLine(Internal("out of memory")));
  ASSERT_TRUE(internal && !*internal);
  EXPECT_EQ(internal->error().code, ErrorCode::kUnsupported);  // the file did it

  auto down = ParseProbeLine(FormatProbeLine(Unavailable("cannot read the probe input")));
  ASSERT_TRUE(down && !*down);
  EXPECT_EQ(down->error().code, ErrorCode::kUnavailable);
}

TEST(ProbeChild, OtherLinesAreNotResults) {
  EXPECT_FALSE(ParseProbeLine("progress 0.5"));
  EXPECT_FALSE(ParseProbeLine("probe not json"));
  EXPECT_FALSE(ParseProbeLine("probe {\"neither\":1}"));
  EXPECT_FALSE(ParseProbeLine(""));
}

TEST(ProbeChild, AChildThatDiesIsARefusalNotACrash) {
  // /bin/false stands in for the binary: it exits without writing a result line.
  SandboxedProbeOptions o;
  o.executable = "/bin/false";
  Prober probe = SandboxedProber(o);
  auto r = probe("head", "tail", 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_FALSE(probe("", "", 0));
}

}  // namespace
}  // namespace kinora::uploader
