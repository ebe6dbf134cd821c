#include "kinora/core/time.h"

#include <gtest/gtest.h>

namespace kinora {

TEST(Time, FormatsAndParsesRoundTrip) {
  SysTime t = std::chrono::system_clock::from_time_t(1764000000) + std::chrono::milliseconds(123);
  EXPECT_EQ(FormatIso8601(t), "2025-11-24T16:00:00Z");
  EXPECT_EQ(FormatIso8601(t, true), "2025-11-24T16:00:00.123Z");
  EXPECT_EQ(FormatDay(t), "2025-11-24");
  auto back = ParseIso8601(FormatIso8601(t, true));
  ASSERT_TRUE(back);
  EXPECT_EQ(UnixMillis(*back), UnixMillis(t));
  EXPECT_FALSE(ParseIso8601("yesterday"));
}

}  // namespace kinora
