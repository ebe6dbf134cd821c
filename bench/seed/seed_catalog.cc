// kinora_seed_catalog (sqlite:///abs/catalog.db | postgresql://…) N [random-seed]
// Fills a catalog with N realistic fake videos (and, for SQLite, some daily view counts) for
// benchmarks and demos. Opens the catalog normally (applying migrations). SQLite is bulk-loaded
// with the backend's own INSERT statements in one transaction; PostgreSQL through
// Catalog::Insert from several threads. Then reads back through the Catalog interface to check
// the rows are what the catalog expects.
#include <atomic>
#include <boost/url.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fake_videos.h"
#include "kinora/catalog/catalog.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "kinora/sqlite/db.h"

namespace {

using namespace kinora;  // NOLINT: a small program
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Rows in one transaction: a failed seed leaves the catalog exactly as it was.
Result<int64_t> InsertRows(sqlite::Db& db, int64_t n, uint64_t seed) {
  KINORA_TRY(auto insert, db.Prepare(catalog::internal::InsertVideoSql()));
  KINORA_TRY(auto daily, db.Prepare(catalog::internal::kInsertDailySql));
  bench::FakeVideos fake(seed, std::chrono::system_clock::now(), 60);
  int64_t days_written = 0;
  for (int64_t done = 0; done < n; ++done) {
    auto v = fake.Next();
    catalog::internal::BindInsert(insert, v);
    KINORA_TRY_VOID(insert.Run());
    insert.Reset();
    for (const auto& d : fake.DailyCounts(v)) {
      daily.Bind(1, v.video_id).Bind(2, d.day).Bind(3, d.views).Bind(4, d.likes);
      KINORA_TRY_VOID(daily.Run());
      daily.Reset();
      ++days_written;
    }
  }
  return days_written;
}

Result<void> Load(const std::filesystem::path& file, int64_t n, uint64_t seed) {
  KINORA_TRY(auto db, sqlite::Db::Open(file));
  // A seed that dies is simply rerun, so it need not wait for the disk.
  KINORA_TRY_VOID(db->Exec("PRAGMA cache_size=-262144; PRAGMA synchronous=OFF"));
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(*db));
  // Loading into unindexed tables and building each index once afterwards (a sort) is several
  // times faster than updating a dozen indexes per row. The index definitions are read back from
  // the schema, so the catalog's migrations stay their only source; all of it is one
  // transaction, so the indexes are never missing for anyone else.
  std::vector<std::pair<std::string, std::string>> indexes;
  {
    KINORA_TRY(auto s, db->Prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                   "AND tbl_name = 'videos' AND sql IS NOT NULL"));
    for (;;) {
      KINORA_TRY(bool row, s.Step());
      if (!row) break;
      indexes.emplace_back(s.Text(0), s.Text(1));
    }
  }
  for (const auto& [name, sql] : indexes) KINORA_TRY_VOID(db->Exec("DROP INDEX " + name));
  KINORA_TRY(int64_t days, InsertRows(*db, n, seed));
  auto built = Clock::now();
  for (const auto& [name, sql] : indexes) KINORA_TRY_VOID(db->Exec(sql));
  std::printf("  %lld daily count rows; rebuilt %zu indexes in %.2f s\n",
              static_cast<long long>(days), indexes.size(), Seconds(built));
  KINORA_TRY_VOID(tx.Commit());
  KINORA_TRY_VOID(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  return {};
}

// Through the interface, 8 connections at a time (each Insert is its own transaction).
Result<void> LoadThroughInterface(catalog::Catalog& c, int64_t n, uint64_t seed) {
  bench::FakeVideos fake(seed, std::chrono::system_clock::now(), 60);
  std::vector<catalog::VideoRecord> rows;
  rows.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) rows.push_back(fake.Next());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  Error first = MakeError(ErrorCode::kInternal, "");
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < rows.size() && !failed; i = next++) {
        if (auto r = c.Insert(rows[i]); !r) {
          std::lock_guard lock(mu);
          first = r.error();
          failed = true;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed) return first;
  return {};
}

int Fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "kinora_seed_catalog: %s: %s\n", what.c_str(), e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s sqlite:///abs/catalog.db COUNT [RANDOM_SEED]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const std::string_view count_arg = argv[2];
  int64_t n = 0;
  uint64_t seed = 42;
  auto [end, ec] = std::from_chars(count_arg.data(), count_arg.data() + count_arg.size(), n);
  if (ec != std::errc() || end != count_arg.data() + count_arg.size() || n < 0) {
    std::fprintf(stderr, "COUNT must be a non-negative integer\n");
    return 2;
  }
  if (argc == 4) seed = std::strtoull(argv[3], nullptr, 10);

  // The catalog applies its migrations; the bulk load then needs the file it names.
  auto cat = catalog::OpenCatalog(url);
  if (!cat) return Fail("open " + url, cat.error());
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    std::fprintf(stderr, "not a catalog URL: %s\n", url.c_str());
    return 2;
  }

  auto start = Clock::now();
  std::printf("seeding %lld videos into %s\n", static_cast<long long>(n),
              (*cat)->Describe().c_str());
  if (parsed->scheme() == "sqlite") {
    const std::filesystem::path file = std::string(parsed->path());
    if (auto r = Load(file, n, seed); !r) return Fail("load", r.error());
  } else if (auto r = LoadThroughInterface(**cat, n, seed); !r) {
    return Fail("load", r.error());
  }
  const double load_s = Seconds(start);

  // Read back through the Catalog interface: the rows must be what the catalog reads.
  catalog::Catalog& c = *cat.value();
  auto stats_r = c.Stats();
  if (!stats_r) return Fail("stats", stats_r.error());
  const catalog::CatalogStats& stats = stats_r.value();
  catalog::ListQuery q;
  q.limit = 50;
  q.sort = catalog::SortKey::kViews;
  auto page = c.List(q);
  if (!page) return Fail("list", page.error());
  if (!page.value().videos.empty()) {
    auto one = c.Get(page.value().videos.front().video_id);
    if (!one) return Fail("get", one.error());
  }
  std::printf("  loaded in %.2f s (%.0f rows/s)\n", load_s, static_cast<double>(n) / load_s);
  std::printf("  catalog now holds %lld videos, %lld views, %lld likes, %.1f GB\n",
              static_cast<long long>(stats.total_videos), static_cast<long long>(stats.total_views),
              static_cast<long long>(stats.total_likes),
              static_cast<double>(stats.storage_bytes) / 1e9);
  for (const auto& [status, count] : stats.by_status) {
    std::printf("  %-10s %lld\n", status.c_str(), static_cast<long long>(count));
  }
  return 0;
}
