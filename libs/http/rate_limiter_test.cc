#include "kinora/http/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace kinora::http {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace

void PrintTo(const RateLimiter::Decision& d, std::ostream* os) {
  *os << (d.allowed ? "allowed" : "refused, retry after " + std::to_string(d.retry_after_seconds));
}

namespace {

const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1000);

constexpr RateLimiter::Decision kAllowed{true, 0};
RateLimiter::Decision Refused(int retry_after) { return {false, retry_after}; }

TEST(RateLimiter, SpendsTheBurstThenRefuses) {
  RateLimiter limiter({.per_minute = 60, .burst = 3});
  EXPECT_EQ(limiter.Take("a", t0), kAllowed);
  EXPECT_EQ(limiter.Take("a", t0), kAllowed);
  EXPECT_EQ(limiter.Take("a", t0), kAllowed);
  EXPECT_EQ(limiter.Take("a", t0), Refused(1));
  EXPECT_EQ(limiter.Take("a", t0), Refused(1));  // a refusal costs nothing
}

TEST(RateLimiter, EarnsTokensBackAtTheRate) {
  RateLimiter limiter({.per_minute = 60, .burst = 2});
  limiter.Take("a", t0);
  limiter.Take("a", t0);
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(500)), Refused(1));
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(1000)), kAllowed);
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(1000)), Refused(1));
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(3000)), kAllowed);  // two earned
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(3000)), kAllowed);
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(3000)), Refused(1));
}

TEST(RateLimiter, NeverHoldsMoreThanTheBurst) {
  RateLimiter limiter({.per_minute = 600, .burst = 5});
  limiter.Take("a", t0);
  const auto later = t0 + std::chrono::hours(5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("a", later), kAllowed) << i;
  EXPECT_FALSE(limiter.Take("a", later).allowed);
}

TEST(RateLimiter, RetryAfterIsTheWaitForOneTokenRoundedUp) {
  RateLimiter slow({.per_minute = 1, .burst = 1});
  EXPECT_EQ(slow.Take("a", t0), kAllowed);
  EXPECT_EQ(slow.Take("a", t0), Refused(60));
  EXPECT_EQ(slow.Take("a", t0 + seconds(30)), Refused(30));
  EXPECT_EQ(slow.Take("a", t0 + milliseconds(30'500)), Refused(30));
  EXPECT_EQ(slow.Take("a", t0 + milliseconds(59'999)), Refused(1));
  EXPECT_EQ(slow.Take("a", t0 + seconds(60)), kAllowed);

  RateLimiter slower({.per_minute = 0.5, .burst = 1});  // one every two minutes
  slower.Take("a", t0);
  EXPECT_EQ(slower.Take("a", t0), Refused(120));

  RateLimiter fast({.per_minute = 6000, .burst = 1});  // a token every 10 ms: still 1 s
  fast.Take("a", t0);
  EXPECT_EQ(fast.Take("a", t0), Refused(1));
  EXPECT_EQ(fast.Take("a", t0 + milliseconds(10)), kAllowed);
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
  RateLimiter limiter({.per_minute = 60, .burst = 1});
  EXPECT_TRUE(limiter.Take("203.0.113.1", t0).allowed);
  EXPECT_FALSE(limiter.Take("203.0.113.1", t0).allowed);
  EXPECT_TRUE(limiter.Take("203.0.113.2", t0).allowed);
  EXPECT_TRUE(limiter.Take("login:203.0.113.1", t0).allowed);
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimiter, AClockGoingBackwardsEarnsNothing) {
  RateLimiter limiter({.per_minute = 60, .burst = 1});
  EXPECT_TRUE(limiter.Take("a", t0).allowed);
  EXPECT_EQ(limiter.Take("a", t0 - seconds(30)), Refused(1));
  EXPECT_EQ(limiter.Take("a", t0 + milliseconds(999)), Refused(1));
  EXPECT_TRUE(limiter.Take("a", t0 + seconds(1)).allowed);
}

TEST(RateLimiter, PastTheCapTheLeastRecentlyUsedKeyIsDropped) {
  RateLimiter limiter({.per_minute = 1, .burst = 1, .max_keys = 3, .shards = 1});
  for (const char* key : {"a", "b", "c"}) EXPECT_TRUE(limiter.Take(key, t0).allowed);
  EXPECT_FALSE(limiter.Take("a", t0).allowed);  // a is now the most recently used
  EXPECT_TRUE(limiter.Take("d", t0).allowed);   // drops b
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_FALSE(limiter.Take("a", t0).allowed);  // kept, still empty
  EXPECT_FALSE(limiter.Take("c", t0).allowed);
  EXPECT_FALSE(limiter.Take("d", t0).allowed);
  EXPECT_TRUE(limiter.Take("b", t0).allowed);  // forgotten, so it starts full (drops a)
  EXPECT_EQ(limiter.size(), 3u);
}

TEST(RateLimiter, RefilledBucketsAreForgotten) {
  RateLimiter limiter({.per_minute = 60, .burst = 2, .shards = 1});
  for (int i = 0; i < 10; ++i) limiter.Take("k" + std::to_string(i), t0);
  EXPECT_EQ(limiter.size(), 10u);
  // One token spent of two: full again after one second, not before.
  limiter.Take("x", t0 + milliseconds(900));
  EXPECT_EQ(limiter.size(), 11u);
  for (int i = 0; i < 6; ++i) limiter.Take("x", t0 + seconds(2));
  EXPECT_EQ(limiter.size(), 1u);  // only x, which is not full
  // Forgetting changes nothing: k0 starts full again, as it would have been.
  EXPECT_TRUE(limiter.Take("k0", t0 + seconds(2)).allowed);
  EXPECT_TRUE(limiter.Take("k0", t0 + seconds(2)).allowed);
  EXPECT_FALSE(limiter.Take("k0", t0 + seconds(2)).allowed);
}

TEST(RateLimiter, MemoryStaysBoundedUnderAFloodOfKeys) {
  RateLimiter limiter({.per_minute = 1, .burst = 5});  // the defaults' 100k keys, 16 shards
  for (int i = 0; i < 150'000; ++i) limiter.Take("client-" + std::to_string(i), t0);
  EXPECT_LE(limiter.size(), 100'000u);
  EXPECT_GE(limiter.size(), 90'000u);  // the cap, not an accident, is what bounds it
}

TEST(RateLimiter, RejectsNonsenseOptions) {
  EXPECT_THROW(RateLimiter({.per_minute = 0, .burst = 1}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.per_minute = -1, .burst = 1}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.per_minute = 1.0 / 0.0, .burst = 1}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.per_minute = 60, .burst = 0.5}), std::invalid_argument);
  EXPECT_THROW(RateLimiter({.per_minute = 60, .burst = 1, .shards = 0}), std::invalid_argument);
}

TEST(RateLimiter, ThreadsShareOneBucketExactly) {
  constexpr int kBurst = 1000, kThreads = 4, kTakesPerThread = 600;
  RateLimiter limiter({.per_minute = 1, .burst = kBurst});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kTakesPerThread; ++i) allowed += limiter.Take("hot", t0).allowed;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), kBurst);
}

TEST(RateLimiter, ThreadsOnManyKeysAcrossShards) {
  constexpr int kKeys = 500, kThreads = 4;
  RateLimiter limiter({.per_minute = 1, .burst = 2});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kKeys; ++i) allowed += limiter.Take("k" + std::to_string(i), t0).allowed;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 2 * kKeys);  // four takes per key, two allowed
  EXPECT_EQ(limiter.size(), static_cast<size_t>(kKeys));
}

}  // namespace
}  // namespace kinora::http
