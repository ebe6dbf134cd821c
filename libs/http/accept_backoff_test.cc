#include "accept_backoff.h"

#include <gtest/gtest.h>

namespace kinora::http {

using namespace std::chrono_literals;

TEST(AcceptBackoff, WaitsDoublingFromTenMillisecondsToOneSecondAndResetsOnSuccess) {
  AcceptBackoff b;
  auto t = AcceptBackoff::Clock::time_point{} + 1h;
  std::vector<int64_t> waits;
  for (int i = 0; i < 10; ++i) waits.push_back(b.Failed(t).wait.count());
  EXPECT_EQ(waits, (std::vector<int64_t>{10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000}));
  b.Succeeded();
  EXPECT_EQ(b.Failed(t).wait, 10ms);
  EXPECT_EQ(b.Failed(t).wait, 20ms);
}

TEST(AcceptBackoff, LogsAtMostOncePerSecondWithTheCountSuppressed) {
  AcceptBackoff b;
  auto t = AcceptBackoff::Clock::time_point{} + 1h;
  auto first = b.Failed(t);
  EXPECT_TRUE(first.log);
  EXPECT_EQ(first.suppressed, 0u);
  for (int i = 1; i <= 99; ++i) EXPECT_FALSE(b.Failed(t + i * 10ms).log);  // within the second
  auto next = b.Failed(t + 1s);
  EXPECT_TRUE(next.log);
  EXPECT_EQ(next.suppressed, 99u);
  b.Succeeded();  // a success resets the wait, not the log rate
  EXPECT_FALSE(b.Failed(t + 1500ms).log);
  auto later = b.Failed(t + 2s);
  EXPECT_TRUE(later.log);
  EXPECT_EQ(later.suppressed, 1u);
}

}  // namespace kinora::http
