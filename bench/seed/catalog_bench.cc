// kinora_catalog_bench sqlite:///abs/catalog.db [ITERATIONS]
// Measures the catalog calls the API's hot paths make, on an already seeded catalog
// (kinora_seed_catalog): List(limit 50) for every sort key and order, first and deep pages,
// filtered and searched; Get; IncrementViews (writes to the catalog); Stats; and List throughput
// from two threads. Prints each result beside its budget.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "kinora/catalog/catalog.h"

namespace {

using namespace kinora;  // NOLINT: a small program
using Clock = std::chrono::steady_clock;

struct Timing {
  double p50_us = 0, p99_us = 0, max_us = 0;
};

Timing Measure(int iterations, const std::function<void()>& op) {
  std::vector<double> us;
  us.reserve(static_cast<size_t>(iterations));
  op();  // warm the statement cache and page cache
  for (int i = 0; i < iterations; ++i) {
    auto start = Clock::now();
    op();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(us.begin(), us.end());
  auto at = [&](double p) {
    return us[std::min(us.size() - 1, static_cast<size_t>(p * static_cast<double>(us.size())))];
  };
  return {at(0.5), at(0.99), us.back()};
}

void Report(const std::string& name, const Timing& t, double budget_us) {
  std::printf("%-44s p50 %8.0f us  p99 %8.0f us  max %8.0f us  (budget p99 %6.0f us)%s\n",
              name.c_str(), t.p50_us, t.p99_us, t.max_us, budget_us,
              t.p99_us > budget_us ? "  OVER" : "");
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "kinora_catalog_bench: %s failed\n", what);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s sqlite:///abs/catalog.db [ITERATIONS]\n", argv[0]);
    return 2;
  }
  const int iterations = argc > 2 ? std::max(1, std::atoi(argv[2])) : 300;
  auto opened = catalog::OpenCatalog(argv[1]);
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
    return 1;
  }
  catalog::Catalog& cat = *opened.value();
  constexpr double kListBudgetUs = 1000;  // a List must cost well under 1 ms of SQLite time

  const std::pair<const char*, catalog::SortKey> keys[] = {
      {"timestamp", catalog::SortKey::kTimestamp}, {"views", catalog::SortKey::kViews},
      {"likes", catalog::SortKey::kLikes},         {"engagement", catalog::SortKey::kEngagement},
      {"duration", catalog::SortKey::kDuration},   {"size", catalog::SortKey::kSize}};
  std::string some_id;
  for (auto [name, key] : keys) {
    for (bool desc : {true, false}) {
      catalog::ListQuery q;
      q.limit = 50;
      q.sort = key;
      q.descending = desc;
      Report(std::string("List first page ") + name + (desc ? " desc" : " asc"),
             Measure(iterations, [&] { Check(cat.List(q).has_value(), "list"); }), kListBudgetUs);
      // A page 40 deep (row 2000) through cursors: costs the same as the first.
      for (int i = 0; i < 40; ++i) {
        auto r = cat.List(q);
        Check(r.has_value(), "list");
        const catalog::ListPage& page = r.value();
        if (!page.next_cursor) break;
        if (some_id.empty() && !page.videos.empty()) some_id = page.videos[0].video_id;
        q.cursor = *page.next_cursor;
      }
      Report(std::string("List cursor page 40 ") + name + (desc ? " desc" : " asc"),
             Measure(iterations, [&] { Check(cat.List(q).has_value(), "list"); }), kListBudgetUs);
    }
  }
  for (auto status : {catalog::VideoStatus::kProcessed, catalog::VideoStatus::kFailed}) {
    catalog::ListQuery q;
    q.limit = 50;
    q.sort = catalog::SortKey::kViews;
    q.status = status;
    Report(std::string("List views desc status=") + std::string(catalog::ToString(status)),
           Measure(iterations, [&] { Check(cat.List(q).has_value(), "list"); }), kListBudgetUs);
  }
  {
    catalog::ListQuery q;
    q.limit = 50;
    q.offset = 5000;
    Report("List timestamp desc offset 5000",
           Measure(iterations, [&] { Check(cat.List(q).has_value(), "list"); }), 5000);
    catalog::ListQuery search;
    search.limit = 50;
    search.title_query = "sunset";
    Report(
        "List title search (full scan + count)",
        Measure(std::max(1, iterations / 10), [&] { Check(cat.List(search).has_value(), "list"); }),
        50000);
  }
  if (!some_id.empty()) {
    Report("Get", Measure(iterations, [&] { Check(cat.Get(some_id).has_value(), "get"); }), 200);
  }
  if (!some_id.empty()) {  // writes: one durable transaction each (adds views to one video)
    Report(
        "IncrementViews",
        Measure(iterations, [&] { Check(cat.IncrementViews(some_id).has_value(), "increment"); }),
        1000);
  }
  Report("Stats",
         Measure(std::max(3, iterations / 20), [&] { Check(cat.Stats().has_value(), "stats"); }),
         100000);

  // Throughput: two threads (the API's two cores) listing first pages of every sort.
  std::atomic<int64_t> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      int k = t;
      while (!stop.load(std::memory_order_relaxed)) {
        catalog::ListQuery q;
        q.limit = 50;
        q.sort = keys[k++ % 6].second;
        Check(cat.List(q).has_value(), "list");
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  stop = true;
  for (auto& th : threads) th.join();
  std::printf("List(limit 50) throughput, 2 threads: %.0f lists/s (the API needs >= 10000 req/s)\n",
              static_cast<double>(done.load()) / 2.0);
  return 0;
}
