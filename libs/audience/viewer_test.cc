#include "kinora/audience/viewer.h"

#include <gtest/gtest.h>

namespace kinora::audience {
namespace {

TEST(ViewerKey, IsAStableTruncatedHmacPerSalt) {
  const std::string salt = NewSalt();
  ASSERT_EQ(salt.size(), 64u);
  EXPECT_NE(salt, NewSalt());
  const std::string a = ViewerKey(salt, "203.0.113.7", "Firefox");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, ViewerKey(salt, "203.0.113.7", "Firefox"));
  EXPECT_NE(a, ViewerKey(salt, "203.0.113.8", "Firefox"));
  EXPECT_NE(a, ViewerKey(salt, "203.0.113.7", "Chrome"));
  EXPECT_NE(a, ViewerKey(NewSalt(), "203.0.113.7", "Firefox"));
  // The separator keeps "ab"+"c" apart from "a"+"bc".
  EXPECT_NE(ViewerKey(salt, "ab", "c"), ViewerKey(salt, "a", "bc"));
}

TEST(ViewerKey, MatchesHmacSha256) {
  // Our framing against an independent computation: HMAC-SHA256(key = 32 × 0x0b, "1.2.3.4\0ua")
  // computed with Python's hmac module.
  const std::string salt(64, 'b');  // 0xbb × 32
  EXPECT_EQ(ViewerKey(salt, "1.2.3.4", "ua"), "1e015f3a96fafc255a61f44e1e0d357f");
}

TEST(DedupeKey, DependsOnVideoAndHour) {
  const std::string salt = NewSalt();
  const std::string k = DedupeKey(salt, "ip", "ua", "v1", 3600);
  EXPECT_EQ(k, DedupeKey(salt, "ip", "ua", "v1", 3600));
  EXPECT_NE(k, DedupeKey(salt, "ip", "ua", "v2", 3600));
  EXPECT_NE(k, DedupeKey(salt, "ip", "ua", "v1", 7200));
  EXPECT_NE(k, ViewerKey(salt, "ip", "ua"));
}

TEST(OptedOut, DntOrGpc) {
  EXPECT_TRUE(OptedOut("1", ""));
  EXPECT_TRUE(OptedOut("", " 1 "));
  EXPECT_FALSE(OptedOut("0", ""));
  EXPECT_FALSE(OptedOut("", ""));
}

TEST(DefaultDimensionResolver, KnowsOnlyBots) {
  auto resolve = DefaultDimensionResolver();
  EXPECT_TRUE(resolve("", "1.2.3.4").bot);
  EXPECT_TRUE(resolve("Mozilla/5.0 HeadlessChrome/120.0", "").bot);
  EXPECT_TRUE(resolve("Googlebot/2.1 (+http://www.google.com/bot.html)", "").bot);
  auto human =
      resolve("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "");
  EXPECT_FALSE(human.bot);
  EXPECT_TRUE(human.device.empty());
}

}  // namespace
}  // namespace kinora::audience
