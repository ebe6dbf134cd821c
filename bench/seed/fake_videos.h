// Realistic fake catalog rows for benchmarks and demos: titles from a word list, heavy-tailed
// views, mostly PROCESSED videos with plausible media facts, uploads spread over the last days.
// Thread safety: a FakeVideos generator is used by one thread at a time.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "kinora/catalog/video.h"

namespace kinora::bench {

struct FakeDay {
  std::string day;  // "2026-11-24"
  int64_t views = 0;
  int64_t likes = 0;
};

class FakeVideos {
 public:
  FakeVideos(uint64_t seed, SysTime now, int spread_days)
      : rng_(seed), now_(now), spread_days_(spread_days) {}

  catalog::VideoRecord Next();
  // Per-day counts for the last 30 days that sum to at most v's counters.
  std::vector<FakeDay> DailyCounts(const catalog::VideoRecord& v);

 private:
  double Uniform(double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(rng_); }
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  std::mt19937_64 rng_;
  SysTime now_;
  int spread_days_;
};

}  // namespace kinora::bench
