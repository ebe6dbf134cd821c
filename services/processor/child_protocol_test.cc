#include "kinora/processor/child_protocol.h"

#include <gtest/gtest.h>

namespace kinora::processor {
namespace {

TEST(ChildProtocol, ArgvNamesEveryChoice) {
  ChildRequest r{.input = "/w/source.mp4",
                 .out_dir = "/w/out",
                 .report = "/w/report.json",
                 .progress_fd = 3,
                 .preset = "medium",
                 .crf = 20,
                 .allow_copy = false,
                 .analyze = false,
                 .quiet = true,
                 .limits = {}};
  EXPECT_EQ(ChildArgv("/bin/kinora", r), (std::vector<std::string>{"/bin/kinora",
                                                                   "process",
                                                                   "/w/source.mp4",
                                                                   "--out",
                                                                   "/w/out",
                                                                   "--report",
                                                                   "/w/report.json",
                                                                   "--progress-fd",
                                                                   "3",
                                                                   "--quiet",
                                                                   "--preset",
                                                                   "medium",
                                                                   "--crf",
                                                                   "20",
                                                                   "--no-copy",
                                                                   "--no-analysis",
                                                                   "--max-pixels",
                                                                   "35389440",
                                                                   "--max-duration",
                                                                   "21600"}));
  ChildRequest plain;
  plain.input = "in.mov";
  plain.out_dir = "out";
  EXPECT_EQ(ChildArgv("k", plain),
            (std::vector<std::string>{"k", "process", "in.mov", "--out", "out", "--preset",
                                      "veryfast", "--crf", "23", "--max-pixels", "35389440",
                                      "--max-duration", "21600"}));
}

TEST(ChildProtocol, ProgressLinesRoundTrip) {
  EXPECT_EQ(FormatProgressLine(0.42), "progress 0.420\n");
  EXPECT_EQ(ParseProgressLine(FormatProgressLine(0.42)), 0.42);
  EXPECT_EQ(ParseProgressLine("progress 1"), 1.0);
  for (const char* bad : {"progress", "progress -0.1", "progress 1.5", "progress nan",
                          "progress 0.5x", "other 0.5", ""}) {
    EXPECT_FALSE(ParseProgressLine(bad)) << bad;
  }
}

TEST(ChildProtocol, FailureReportsRoundTrip) {
  auto f = ParseFailureReport(FailureReport({"the file is truncated", true}));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->error, "the file is truncated");
  EXPECT_TRUE(f->permanent);
  EXPECT_FALSE(ParseFailureReport(boost::json::object{{"files", boost::json::array()}}));
}

}  // namespace
}  // namespace kinora::processor
