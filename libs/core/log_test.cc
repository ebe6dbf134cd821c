#include "kinora/core/log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace kinora::log {
namespace {

std::vector<boost::json::object> Lines(const std::string& text) {
  std::vector<boost::json::object> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(boost::json::parse(line).as_object());
  }
  return out;
}

TEST(Log, WritesOneJsonObjectPerLineWithTimeLevelRoleAndFields) {
  Configure("tester", Level::kInfo);
  testing::internal::CaptureStderr();
  Info("request", {{"path", "/a\"b\\c\n"}, {"empty", ""}, {"bad", "x\xff y"}});
  Debug("not written");
  Error("failed", {{"video_id", "v1"}});
  const auto lines = Lines(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 2u);
  const auto& l = lines[0];
  EXPECT_TRUE(std::regex_match(std::string(l.at("time").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << l.at("time");
  EXPECT_EQ(l.at("level"), "info");
  EXPECT_EQ(l.at("role"), "tester");
  EXPECT_EQ(l.at("message"), "request");
  EXPECT_EQ(l.at("path"), "/a\"b\\c\n");
  EXPECT_FALSE(l.contains("empty"));          // empty fields are left out
  EXPECT_EQ(l.at("bad"), "x\xEF\xBF\xBD y");  // invalid UTF-8 becomes U+FFFD
  EXPECT_EQ(lines[1].at("level"), "error");
  EXPECT_EQ(lines[1].at("video_id"), "v1");
}

TEST(Log, LinesFromManyThreadsNeverInterleave) {
  Configure("tester", Level::kInfo);
  testing::internal::CaptureStderr();
  std::vector<std::thread> threads;
  const std::string big(6000, 'x');  // longer than a pipe's atomic write
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) Info("line", {{"big", big}});
    });
  }
  for (auto& t : threads) t.join();
  const auto lines = Lines(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 200u);
  for (const auto& l : lines) EXPECT_EQ(l.at("big").as_string().size(), big.size());
}

}  // namespace
}  // namespace kinora::log
