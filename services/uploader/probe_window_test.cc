#include "kinora/uploader/probe_window.h"

#include <gtest/gtest.h>

namespace kinora::uploader {

TEST(ProbeWindow, KeepsHeadAndTailAcrossAnyChunking) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>('a' + i % 26));
  for (size_t step : {1u, 3u, 17u, 100u, 1000u}) {
    ProbeWindow w(100, 64);
    for (size_t i = 0; i < data.size(); i += step) w.Append(std::string_view(data).substr(i, step));
    EXPECT_EQ(w.head(), data.substr(0, 100));
    EXPECT_EQ(w.tail(), data.substr(1000 - 64)) << step;
    EXPECT_EQ(w.total(), 1000u);
  }
}

TEST(ProbeWindow, ShortStreamsHaveNoOverlap) {
  ProbeWindow w(100, 64);
  w.Append("abc");
  EXPECT_EQ(w.head(), "abc");
  EXPECT_EQ(w.tail(), "");
  ProbeWindow w2(4, 4);
  w2.Append("abcdef");
  EXPECT_EQ(w2.head(), "abcd");
  EXPECT_EQ(w2.tail(), "ef");
}

}  // namespace kinora::uploader
