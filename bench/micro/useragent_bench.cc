// kinora_useragent_bench [--benchmark_* flags]
// What parsing a beacon's User-Agent costs: a miss (uap-core's ~1,200 regexes, the device-type
// rule) and a hit of UserAgentParser's cache, over a dozen real User-Agents. The baseline is the
// least a cache can do: a find in a std::unordered_map the thread owns (no lock, no LRU). Prints
// Google Benchmark's table, then the hit beside its baseline and the miss beside the hit.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kinora/useragent/user_agent_parser.h"

namespace {

using namespace kinora::useragent;

const std::vector<std::string>& Agents() {
  static const std::vector<std::string> agents = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/16.6 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0.6045.163 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 12; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0.0.0 Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.1 Safari/605.1.15",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61",
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "curl/8.4.0",
      "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
      "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/120.0.0.0 Safari/537.36",
  };
  return agents;
}

std::shared_ptr<const UapRules> Rules() {
  static const auto rules = [] {
    auto r = LoadUapRules(std::string(kDebianRegexesPath));
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      std::exit(1);
    }
    return *r;
  }();
  return rules;
}

void Miss(benchmark::State& state) {
  const UapRules& rules = *Rules();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseUncached(rules, Agents()[i]));
    if (++i == Agents().size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void Hit(benchmark::State& state) {
  static UserAgentParser parser(Rules(), 10000);
  for (const auto& ua : Agents()) parser.Parse(ua);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parser.Parse(Agents()[i]));
    if (++i == Agents().size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void Baseline(benchmark::State& state) {
  std::unordered_map<std::string, std::shared_ptr<const UserAgentInfo>> map;
  for (const auto& ua : Agents()) {
    map[ua] = std::make_shared<const UserAgentInfo>(ParseUncached(*Rules(), ua));
  }
  size_t i = 0;
  for (auto _ : state) {
    std::shared_ptr<const UserAgentInfo> found = map.find(Agents()[i])->second;
    benchmark::DoNotOptimize(found);
    if (++i == Agents().size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(Baseline)->Repetitions(3)->DisplayAggregatesOnly(true);
BENCHMARK(Hit)->Threads(1)->Threads(2)->UseRealTime()->Repetitions(3)->DisplayAggregatesOnly(true);
BENCHMARK(Miss)->Repetitions(3)->DisplayAggregatesOnly(true);

class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      const std::pair key{run.run_name.function_name, run.threads};
      if (median || (run.run_type == Run::RT_Iteration && !ns_.contains(key))) {
        ns_[key] = run.GetAdjustedRealTime();
      }
    }
  }
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
  const double base = collector.Ns("Baseline", 1), hit = collector.Ns("Hit", 1),
               hit2 = collector.Ns("Hit", 2), miss = collector.Ns("Miss", 1);
  std::printf("\nUserAgentParser::Parse, ns per call (medians of 3):\n");
  if (hit > 0 && base > 0) {
    std::printf("  hit  %8.1f ns  baseline (unordered_map find, no lock) %6.1f ns  ratio %5.1f\n",
                hit, base, hit / base);
  }
  if (hit2 > 0) std::printf("  hit, 2 threads %8.1f ns wall per call\n", hit2);
  if (miss > 0 && hit > 0) {
    std::printf("  miss %8.0f ns (%.2f ms)  miss / hit ratio %8.0f\n", miss, miss / 1e6,
                miss / hit);
  }
  return 0;
}
