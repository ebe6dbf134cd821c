// kinora_rate_limiter_bench [--benchmark_* flags]
// What http::RateLimiter::Take() costs a request: on one hot key (every request from one client,
// the worst case for the shard's mutex) and round-robin over 10,000 keys, from 1 and 2 threads
// sharing one limiter. The baseline is the least any per-client limiter can do: find the key in
// a std::unordered_map the thread owns (no lock, no sharding) and update it. Prints Google
// Benchmark's table, then each result beside its baseline and their ratio.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kinora/http/rate_limiter.h"

namespace {

using kinora::http::RateLimiter;
using Clock = RateLimiter::Clock;
using std::chrono::microseconds;

constexpr int kManyKeys = 10'000;

const std::vector<std::string>& Keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (int i = 0; i < kManyKeys; ++i) {
      out.push_back("203.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
    }
    return out;
  }();
  return keys;
}

// A bucket so deep that every Take() is allowed (the common path), and a rate low enough that
// no bucket ever refills and is forgotten: the benchmark measures finding a known client, not
// the allocation of a new bucket.
constexpr kinora::http::RateLimitOptions kOptions{.per_minute = 600, .burst = 1e12};

RateLimiter& SharedLimiter(int keys) {
  static RateLimiter hot(kOptions);
  static RateLimiter many(kOptions);
  return keys == 1 ? hot : many;
}

void Take(benchmark::State& state, int keys) {
  RateLimiter& limiter = SharedLimiter(keys);
  const auto& names = Keys();
  auto now = Clock::now();
  int i = static_cast<int>(state.thread_index()) * 7919 % keys;
  for (auto _ : state) {
    now += microseconds(1);
    benchmark::DoNotOptimize(limiter.Take(names[static_cast<size_t>(i)], now));
    if (++i == keys) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void Baseline(benchmark::State& state, int keys) {
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  const auto& names = Keys();
  std::unordered_map<std::string, Bucket> map;
  for (int k = 0; k < keys; ++k) map[names[static_cast<size_t>(k)]] = {};
  auto now = Clock::now();
  int i = 0;
  for (auto _ : state) {
    now += microseconds(1);
    auto it = map.find(names[static_cast<size_t>(i)]);
    it->second.tokens = std::min(1e6, it->second.tokens + 1) - 1;
    it->second.last = now;
    benchmark::DoNotOptimize(it->second);
    if (++i == keys) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Medians of 3: the machines are shared, and a thread preempted while it holds a shard's mutex
// makes the other wait.
#define KINORA_BENCH(fn, name, keys) \
  BENCHMARK_CAPTURE(fn, name, keys)  \
      ->Threads(1)                   \
      ->Threads(2)                   \
      ->UseRealTime()                \
      ->Repetitions(3)               \
      ->DisplayAggregatesOnly(true)
KINORA_BENCH(Baseline, hot_key, 1);
KINORA_BENCH(Take, hot_key, 1);
KINORA_BENCH(Baseline, 10k_keys, kManyKeys);
KINORA_BENCH(Take, 10k_keys, kManyKeys);

// Google Benchmark's own table, remembering each run for the comparison printed at the end.
class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      // The median when there are repetitions, else the one run.
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const std::pair key{run.run_name.function_name, run.threads};
      if (median || (run.run_type == Run::RT_Iteration && !ns_.contains(key))) {
        ns_[key] = run.GetAdjustedRealTime();
      }
    }
  }
  // Nanoseconds per iteration (the median of the repetitions), or 0 if filtered out.
  double Ns(const std::string& name, int64_t threads) const {
    auto it = ns_.find({name, threads});
    return it == ns_.end() ? 0 : it->second;
  }

 private:
  std::map<std::pair<std::string, int64_t>, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::Shutdown();

  // With several threads Google Benchmark's time per iteration is wall time over the calls of
  // all threads: the inverse of the throughput.
  std::printf(
      "\nRateLimiter::Take() beside its baseline (a std::unordered_map find + update "
      "that the thread owns, no lock); wall-clock ns per call over all threads:\n");
  for (const char* keys : {"hot_key", "10k_keys"}) {
    for (int64_t threads : {1, 2}) {
      const double take = collector.Ns(std::string("Take/") + keys, threads);
      const double base = collector.Ns(std::string("Baseline/") + keys, threads);
      if (take == 0 || base == 0) continue;
      std::printf(
          "  %-8s %lld thread%s  Take %6.1f ns (%5.1f M/s)  baseline %6.1f ns (%5.1f M/s)"
          "  ratio %5.1f\n",
          keys, static_cast<long long>(threads), threads == 1 ? " " : "s", take, 1e3 / take, base,
          1e3 / base, take / base);
    }
  }
  return 0;
}
