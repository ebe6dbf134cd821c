// The report queries' suite: their figures over hand-written rollup rows on each backend, and on
// SQLite their plans (every table is reached through an index, never scanned). Instantiated for
// SQLite in report_store_test.cc and for PostgreSQL in report_store_postgres_test.cc.
#include "report_store_suite.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "kinora/audience/reports/report_store.h"
#include "kinora/audience/schema.h"
#include "kinora/catalog/catalog.h"
#include "kinora/pg/pg.h"
#include "kinora/sqlite/db.h"
#include "sql_source.h"

namespace kinora::audience::reports {
namespace {

using internal::Arg;
using internal::Row;

const std::string kV1 = "11111111-1111-4111-8111-111111111111";
const std::string kV2 = "22222222-2222-4222-8222-222222222222";
const std::string kV3 = "33333333-3333-4333-8333-333333333333";
constexpr int64_t kDay = 1'764'547'200;  // 2025-12-01T00:00:00Z

SysTime At(int64_t s) { return SysTime{std::chrono::seconds{s}}; }

// Records every query it forwards, so the test can ask for each one's plan.
class Recording final : public internal::SqlSource {
 public:
  explicit Recording(internal::SqlSource* real) : real_(real) {}
  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Arg>& args,
                                 int columns) override {
    seen.emplace_back(sql, args);
    return real_->Query(sql, args, columns);
  }
  Result<std::vector<std::string>> Plan(const std::string& sql,
                                        const std::vector<Arg>& args) override {
    return real_->Plan(sql, args);
  }
  std::vector<std::pair<std::string, std::vector<Arg>>> seen;

 private:
  internal::SqlSource* real_;
};

class ReportStoreTest : public ::testing::TestWithParam<ReportBackend> {
 protected:
  bool sqlite() const { return GetParam().name == "sqlite"; }
  void SetUp() override {
    if (!sqlite()) {
      SetUpPostgres();
      return;
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("kinora-reports-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string file = (dir_ / "catalog.db").string();
    auto cat = catalog::OpenCatalog("sqlite://" + file);
    ASSERT_TRUE(cat) << cat.error().message;
    catalog_ = std::move(*cat);
    for (auto [id, owner] : {std::pair{kV1, "alice"}, {kV2, "alice"}, {kV3, "bob"}}) {
      catalog::VideoRecord v;
      v.video_id = id;
      v.title = "video " + id.substr(0, 1);
      v.original_filename = "a.mp4";
      v.file_extension = "mp4";
      v.content_type = "video/mp4";
      v.bucket = "local";
      v.video_key = "videos/" + id + ".mp4";
      v.owner_id = owner;
      ASSERT_TRUE(catalog_->Insert(v));
    }
    auto source = internal::OpenSqliteSource(file);
    ASSERT_TRUE(source) << source.error().message;
    real_ = std::move(*source);
    auto rec = std::make_unique<Recording>(real_.get());
    recording_ = rec.get();
    store_ = internal::NewSqlReportStore(std::move(rec));
    auto db = sqlite::Db::Open(file);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
  }
  void SetUpPostgres() {
    const std::string url = GetParam().url();
    auto cat = catalog::OpenCatalog(url);
    ASSERT_TRUE(cat) << cat.error().message;
    catalog_ = std::move(*cat);
    InsertVideos();
    auto source = internal::OpenPostgresSource(url);
    ASSERT_TRUE(source) << source.error().message;
    real_ = std::move(*source);
    auto rec = std::make_unique<Recording>(real_.get());
    recording_ = rec.get();
    store_ = internal::NewSqlReportStore(std::move(rec));
    auto target = pg::ParseUrl(url);
    ASSERT_TRUE(target);
    auto conn = pg::PgConn::Connect(target->conninfo, target->schema);
    ASSERT_TRUE(conn) << conn.error().message;
    pg_ = std::move(*conn);
  }
  void InsertVideos() {
    for (auto [id, owner] : {std::pair{kV1, "alice"}, {kV2, "alice"}, {kV3, "bob"}}) {
      catalog::VideoRecord v;
      v.video_id = id;
      v.title = "video " + id.substr(0, 1);
      v.original_filename = "a.mp4";
      v.file_extension = "mp4";
      v.content_type = "video/mp4";
      v.bucket = "local";
      v.video_key = "videos/" + id + ".mp4";
      v.owner_id = owner;
      ASSERT_TRUE(catalog_->Insert(v));
    }
  }
  void TearDown() override {
    store_.reset();
    real_.reset();
    db_.reset();
    pg_.reset();
    catalog_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    auto r = db_ ? db_->Exec(sql) : pg_->ExecScript(sql);
    ASSERT_TRUE(r) << r.error().message << "\n" << sql;
  }
  void Hourly(const std::string& video, int64_t hour, const std::string& cols,
              const std::string& values) {
    Exec("INSERT INTO audience_hourly (video_id, hour_start, " + cols + ") VALUES ('" + video +
         "', " + std::to_string(hour) + ", " + values + ")");
  }
  // What ingest writes beside the per-video rows: the site's sums of them.
  void SiteRollups() {
    std::string cols, sums;
    for (std::string_view c : kHourlyCounters) {
      cols += std::string(cols.empty() ? "" : ", ") + std::string(c);
      sums += std::string(sums.empty() ? "" : ", ") + "SUM(" + std::string(c) + ")";
    }
    Exec("DELETE FROM audience_site_hourly");
    Exec("INSERT INTO audience_site_hourly (hour_start, " + cols + ") SELECT hour_start, " + sums +
         " FROM audience_hourly GROUP BY hour_start");
    Exec("DELETE FROM audience_site_concurrency");
    Exec(
        "INSERT INTO audience_site_concurrency (minute_start, viewers) SELECT minute_start, "
        "SUM(viewers) FROM audience_concurrency GROUP BY minute_start");
    Exec("DELETE FROM audience_site_startup");
    Exec(
        "INSERT INTO audience_site_startup (hour_start, le_ms, count) SELECT hour_start, le_ms, "
        "SUM(count) FROM audience_startup_histogram GROUP BY hour_start, le_ms");
  }

  std::filesystem::path dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<internal::SqlSource> real_;
  Recording* recording_ = nullptr;
  std::unique_ptr<ReportStore> store_;
  std::unique_ptr<sqlite::Db> db_;
  std::unique_ptr<pg::PgConn> pg_;
};

TEST_P(ReportStoreTest, SumsPerScopeAndRange) {
  Hourly(kV1, kDay, "plays, views, watch_ms, stall_ms", "3, 2, 30000, 500");
  Hourly(kV1, kDay + 3600, "plays, views, watch_ms", "1, 1, 10000");
  Hourly(kV1, kDay + 86400, "plays", "5");  // next day
  Hourly(kV2, kDay, "plays, watch_ms", "2, 4000");
  Hourly(kV3, kDay, "plays", "7");
  SiteRollups();
  const TimeRange day{At(kDay), At(kDay + 86400)};
  auto v1 = store_->Sums(Scope::Video(kV1), day);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->plays, 4);
  EXPECT_EQ(v1->views, 3);
  EXPECT_EQ(v1->watch_ms, 40000);
  EXPECT_EQ(v1->stall_ms, 500);
  auto alice = store_->Sums(Scope::Owner("alice"), day);
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->plays, 6);
  auto all = store_->Sums(Scope::All(), day);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->plays, 13);
  auto none = store_->Sums(Scope::Video(kV1), {At(0), At(3600)});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->plays, 0);

  auto by_day = store_->SumsBy(Scope::Video(kV1), {At(kDay), At(kDay + 2 * 86400)}, Interval::kDay);
  ASSERT_TRUE(by_day);
  ASSERT_EQ(by_day->size(), 2u);
  EXPECT_EQ(by_day->at(kDay).plays, 4);
  EXPECT_EQ(by_day->at(kDay + 86400).plays, 5);
  auto by_hour = store_->SumsBy(Scope::Video(kV1), day, Interval::kHour);
  ASSERT_TRUE(by_hour);
  EXPECT_EQ(by_hour->at(kDay + 3600).watch_ms, 10000);

  auto top = store_->TopVideos(Scope::Owner("alice"), day, 10);
  ASSERT_TRUE(top);
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[0].video_id, kV1);
  EXPECT_EQ((*top)[0].watch_ms, 40000);
  EXPECT_EQ((*top)[1].video_id, kV2);
}

TEST_P(ReportStoreTest, ViewersStartupRetentionBreakdown) {
  Exec("INSERT INTO audience_daily_unique VALUES ('" + kV1 + "', " + std::to_string(kDay) +
       ", 2), ('" + kV1 + "', " + std::to_string(kDay + 86400) + ", 1)");
  auto viewers = store_->DailyViewers(Scope::Video(kV1), {At(kDay), At(kDay + 2 * 86400)});
  ASSERT_TRUE(viewers);
  EXPECT_EQ(viewers->at(kDay), 2);
  EXPECT_EQ(viewers->at(kDay + 86400), 1);

  Exec("INSERT INTO audience_startup_histogram VALUES ('" + kV1 + "', " + std::to_string(kDay) +
       ", 500, 2), ('" + kV1 + "', " + std::to_string(kDay + 3600) + ", 500, 1), ('" + kV1 + "', " +
       std::to_string(kDay) + ", " + std::to_string(kStartupOverflowMs) + ", 1)");
  auto startup = store_->Startup(Scope::Video(kV1), {At(kDay), At(kDay + 86400)}, std::nullopt);
  ASSERT_TRUE(startup);
  ASSERT_EQ(startup->size(), 1u);
  const StartupCounts& c = startup->at(0);
  ASSERT_EQ(c.size(), kStartupBucketsMs.size());
  EXPECT_EQ(c[2], 3);  // le 500
  EXPECT_EQ(c.back(), 1);
  auto hourly = store_->Startup(Scope::Video(kV1), {At(kDay), At(kDay + 86400)}, Interval::kHour);
  ASSERT_TRUE(hourly);
  EXPECT_EQ(hourly->size(), 2u);

  Exec("INSERT INTO audience_retention VALUES ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'first', 'percent', 0, 4), ('" + kV1 + "', " + std::to_string(kDay + 86400) +
       ", 'first', 'percent', 0, 1), ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'rewatch', 'percent', 99, 2), ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'first', 'second', 3, 2)");
  auto ret = store_->Retention(kV1, {At(kDay), At(kDay + 2 * 86400)});
  ASSERT_TRUE(ret);
  EXPECT_EQ(ret->first_percent[0], 5);
  EXPECT_EQ(ret->rewatch_percent[99], 2);
  ASSERT_EQ(ret->first_second.size(), 4u);
  EXPECT_EQ(ret->first_second[3], 2);

  Exec("INSERT INTO audience_dimension_daily VALUES ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'country', 'FR', 2, 1, 1000), ('" + kV1 + "', " + std::to_string(kDay + 86400) +
       ", 'country', 'FR', 2, 2, 1000), ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'country', 'DE', 3, 0, 0), ('" + kV1 + "', " + std::to_string(kDay) +
       ", 'device', 'Desktop', 9, 0, 0)");
  auto countries = store_->Breakdown(kV1, {At(kDay), At(kDay + 2 * 86400)}, "country");
  ASSERT_TRUE(countries);
  ASSERT_EQ(countries->size(), 2u);
  EXPECT_EQ((*countries)[0].value, "FR");
  EXPECT_EQ((*countries)[0].plays, 4);
  EXPECT_EQ((*countries)[0].views, 3);
  EXPECT_EQ((*countries)[0].watch_ms, 2000);
  EXPECT_EQ((*countries)[1].value, "DE");
}

TEST_P(ReportStoreTest, RealtimeAndExport) {
  const int64_t now_ms = (kDay + 3600) * 1000;
  auto session = [&](const std::string& view, const std::string& video, int64_t started,
                     int64_t seen, const std::string& extra_cols, const std::string& extra) {
    Exec("INSERT INTO view_sessions (view_id, video_id, started_at, last_seen_at" + extra_cols +
         ") VALUES ('" + view + "', '" + video + "', " + std::to_string(started) + ", " +
         std::to_string(seen) + extra + ")");
  };
  session("view-aaaaaaaaaaaaaaa1", kV1, now_ms - 60000, now_ms - 5000, "", "");
  session("view-aaaaaaaaaaaaaaa2", kV1, now_ms - 60000, now_ms - 10000, "", "");
  session("view-aaaaaaaaaaaaaaa3", kV1, now_ms - 60000, now_ms - 10000, ", ended", ", 1");
  session("view-aaaaaaaaaaaaaaa4", kV1, now_ms - 60000, now_ms - 40000, "", "");
  session("view-aaaaaaaaaaaaaaa5", kV2, now_ms - 60000, now_ms - 1000, ", bot", ", 1");
  session("view-aaaaaaaaaaaaaaa6", kV3, now_ms - 50000, now_ms - 1000, "", "");
  auto now = store_->ViewersNow(Scope::Owner("alice"), now_ms - 30000);
  ASSERT_TRUE(now);
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].video_id, kV1);
  EXPECT_EQ((*now)[0].value, 2);
  auto everyone = store_->ViewersNow(Scope::All(), now_ms - 30000);
  ASSERT_TRUE(everyone);
  EXPECT_EQ(everyone->size(), 2u);

  Exec("INSERT INTO audience_concurrency VALUES ('" + kV1 + "', " + std::to_string(kDay + 60) +
       ", 3), ('" + kV2 + "', " + std::to_string(kDay + 60) + ", 2), ('" + kV1 + "', " +
       std::to_string(kDay + 120) + ", 4), ('" + kV3 + "', " + std::to_string(kDay + 60) + ", 9)");
  SiteRollups();
  auto peak = store_->PeakConcurrency(Scope::Owner("alice"), kDay);
  ASSERT_TRUE(peak);
  EXPECT_EQ(*peak, 5);
  auto site = store_->PeakConcurrency(Scope::All(), kDay);
  ASSERT_TRUE(site);
  EXPECT_EQ(*site, 14);

  const TimeRange hour{At(kDay), At(kDay + 3600)};
  auto page1 = store_->Sessions(Scope::Owner("alice"), hour, std::nullopt, 3);
  ASSERT_TRUE(page1);
  ASSERT_EQ(page1->size(), 3u);
  EXPECT_EQ((*page1)[0].view_id, "view-aaaaaaaaaaaaaaa1");
  auto page2 = store_->Sessions(Scope::Owner("alice"), hour,
                                ExportCursor{page1->back().started_at, page1->back().view_id}, 3);
  ASSERT_TRUE(page2);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[1].view_id, "view-aaaaaaaaaaaaaaa5");
  EXPECT_EQ((*page2)[1].bot, 1);
  auto all = store_->Sessions(Scope::All(), hour, std::nullopt, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 6u);
}

// Every query of every scope reaches its tables through an index (SQLite's plan never says
// "SCAN <table>" for a stored table).
TEST_P(ReportStoreTest, EveryQueryUsesAnIndex) {
  if (!sqlite())
    GTEST_SKIP() << "plans are checked on SQLite (PostgreSQL plans tiny tables as scans)";
  const TimeRange r{At(kDay), At(kDay + 86400)};
  for (const Scope& s : {Scope::Video(kV1), Scope::Owner("alice"), Scope::All()}) {
    ASSERT_TRUE(store_->Sums(s, r));
    ASSERT_TRUE(store_->SumsBy(s, r, Interval::kHour));
    ASSERT_TRUE(store_->DailyViewers(s, r));
    ASSERT_TRUE(store_->Startup(s, r, Interval::kDay));
    ASSERT_TRUE(store_->ViewersNow(s, kDay * 1000));
    ASSERT_TRUE(store_->PeakConcurrency(s, kDay));
    ASSERT_TRUE(store_->TopVideos(s, r, 10));
    ASSERT_TRUE(store_->Sessions(s, r, std::nullopt, 10));
    ASSERT_TRUE(store_->Sessions(s, r, ExportCursor{kDay * 1000, "x"}, 10));
  }
  ASSERT_TRUE(store_->Retention(kV1, r));
  ASSERT_TRUE(store_->Breakdown(kV1, r, "country"));
  ASSERT_GE(recording_->seen.size(), 29u);
  for (const auto& [sql, args] : recording_->seen) {
    auto plan = real_->Plan(sql, args);
    ASSERT_TRUE(plan) << plan.error().message;
    std::string all;
    for (const auto& line : *plan) all += line + "\n";
    for (const auto& line : *plan) {
      const bool scans = line.starts_with("SCAN ") && !line.starts_with("SCAN per_minute");
      EXPECT_FALSE(scans) << sql << "\n" << all;
    }
  }
}

std::string ReportBackendName(const ::testing::TestParamInfo<ReportBackend>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportStoreTest, ::testing::ValuesIn(ReportBackends()),
                         ReportBackendName);

}  // namespace

}  // namespace kinora::audience::reports
