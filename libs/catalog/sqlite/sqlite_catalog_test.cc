#include "kinora/catalog/sqlite_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <tuple>

#include "../catalog_contract.h"
#include "../columns.h"
#include "../sort_keys.h"
#include "../upload_columns.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "kinora/sqlite/db.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {
namespace {

namespace fs = std::filesystem;

// One scratch directory per test process, removed at exit.
class ScratchDir : public ::testing::Environment {
 public:
  static fs::path NewFile() {
    static std::atomic<int> counter{0};
    fs::create_directories(Root());
    return Root() / ("catalog-" + std::to_string(counter++) + ".db");
  }
  static fs::path Root() {
    return fs::temp_directory_path() / ("kinora-catalog-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { fs::remove_all(Root()); }
};
const auto* const kScratch = ::testing::AddGlobalTestEnvironment(new ScratchDir);

INSTANTIATE_TEST_SUITE_P(Sqlite, CatalogContract,
                         ::testing::Values(CatalogBackend{
                             "sqlite", [] { return NewSqliteCatalog(ScratchDir::NewFile()); }}),
                         CatalogBackendName);

VideoRecord Video(const std::string& id) {
  VideoRecord v;
  v.video_id = id;
  v.title = "title " + id;
  v.video_key = "videos/" + id + ".mp4";
  v.file_extension = "mp4";
  v.uploaded_at =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return v;
}

TEST(SqliteCatalog, ListVersionStaysWhileNothingIsWritten) {
  auto c = NewSqliteCatalog(ScratchDir::NewFile());
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE((*c)->Insert(Video("v1")));
  const std::string version = (*c)->ListVersion();
  ASSERT_TRUE((*c)->List(ListQuery{}));
  ASSERT_TRUE((*c)->Get("v1"));
  ASSERT_TRUE((*c)->Stats());
  EXPECT_EQ((*c)->ListVersion(), version);
  ASSERT_TRUE((*c)->IncrementViews("v1"));  // through the group commit's thread
  EXPECT_NE((*c)->ListVersion(), version);
}

TEST(SqliteCatalog, ListVersionSeesAnotherProcesssCommit) {
  const fs::path file = ScratchDir::NewFile();
  auto c = NewSqliteCatalog(file);
  ASSERT_TRUE(c) << c.error().message;
  const std::string version = (*c)->ListVersion();
  ASSERT_FALSE(version.empty());
  {
    auto db = sqlite::Db::Open(file);  // another writer: a CLI command, or an operator's sqlite3
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->Exec("INSERT INTO tombstones (video_id, deleted_at) VALUES ('gone', 1)"));
  }
  EXPECT_NE((*c)->ListVersion(), version);
}

TEST(SqliteCatalog, CountsSurviveReopen) {
  auto file = ScratchDir::NewFile();
  {
    auto c_r = NewSqliteCatalog(file);
    ASSERT_TRUE(c_r) << c_r.error().message;
    auto& c = c_r.value();
    ASSERT_TRUE(c->Insert(Video("v1")));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(c->IncrementViews("v1"));
    ASSERT_TRUE(c->IncrementLikes("v1"));
  }
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto& c = c_r.value();
  auto v_r = c->Get("v1");
  ASSERT_TRUE(v_r);
  auto& v = v_r.value();
  EXPECT_EQ(v.views, 5);
  EXPECT_EQ(v.likes, 1);
  auto st_r = c->Stats();
  ASSERT_TRUE(st_r);
  auto& st = st_r.value();
  ASSERT_EQ(st.views_per_day.size(), 1u);
  EXPECT_EQ(st.views_per_day[0].count, 5);
}

TEST(SqliteCatalog, MigrationsAreIdempotentOnReopen) {
  auto file = ScratchDir::NewFile();
  for (int round = 0; round < 3; ++round) {
    auto c_r = NewSqliteCatalog(file);
    ASSERT_TRUE(c_r) << c_r.error().message;
    auto& c = c_r.value();
    ASSERT_TRUE(c->Insert(Video("v" + std::to_string(round))));
    auto page_r = c->List(ListQuery{});
    ASSERT_TRUE(page_r);
    auto& page = page_r.value();
    EXPECT_EQ(page.total, round + 1);
  }
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  auto& db = db_r.value();
  auto s_r = db->Prepare("PRAGMA user_version");
  ASSERT_TRUE(s_r);
  auto& s = s_r.value();
  ASSERT_TRUE(s.Step().value());
  EXPECT_EQ(s.Int(0), static_cast<int64_t>(catalog::internal::SqliteMigrations().size()));
}

// The migrations and the column table (columns.h) describe the same videos table.
TEST(SqliteCatalog, MigrationsCreateExactlyTheTablesColumns) {
  auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteCatalog(file));
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  auto s_r = db_r.value()->Prepare("SELECT name FROM pragma_table_xinfo('videos')");
  ASSERT_TRUE(s_r);
  std::set<std::string> have;
  while (s_r->Step().value()) have.insert(s_r->Text(0));
  std::set<std::string> want = {"duration_key"};  // generated, for the duration sort
  for (const auto& c : internal::kColumns) want.insert(std::string(c.name));
  EXPECT_EQ(have, want);
}

// The migration and the upload column table (upload_columns.h) describe the same uploads table.
TEST(SqliteCatalog, MigrationsCreateExactlyTheUploadColumns) {
  auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteCatalog(file));
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  auto s_r = db_r.value()->Prepare("SELECT name FROM pragma_table_xinfo('uploads')");
  ASSERT_TRUE(s_r);
  std::set<std::string> have;
  while (s_r->Step().value()) have.insert(s_r->Text(0));
  std::set<std::string> want;
  for (const auto& c : internal::kUploadColumns) want.insert(std::string(c.name));
  EXPECT_EQ(have, want);
}

// A catalog made before the duration histogram (schema v2) gets its buckets filled from the rows
// it already has when it is opened by this version.
TEST(SqliteCatalog, MigrationToV3FillsTheDurationHistogramFromExistingRows) {
  auto file = ScratchDir::NewFile();
  {
    auto db_r = sqlite::Db::Open(file);
    ASSERT_TRUE(db_r);
    const auto& all = internal::SqliteMigrations();
    ASSERT_GE(all.size(), 3u);
    ASSERT_TRUE(sqlite::Migrate(*db_r.value(), {all[0], all[1]}));
    ASSERT_TRUE(db_r.value()->Exec(
        "INSERT INTO videos (video_id, video_key, uploaded_at, status, duration_seconds) VALUES "
        "('a', 'videos/a.mp4', 0, 'PROCESSED', 10), ('b', 'videos/b.mp4', 0, 'PROCESSED', 45), "
        "('c', 'videos/c.mp4', 0, 'PROCESSED', 50), ('d', 'videos/d.mp4', 0, 'UPLOADED', NULL), "
        "('e', 'videos/e.mp4', 0, 'PROCESSED', 7200)"));
  }
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto st = c_r.value()->Stats();
  ASSERT_TRUE(st) << st.error().message;
  std::vector<int64_t> counts;
  for (const auto& b : st->duration_histogram) counts.push_back(b.count);
  EXPECT_EQ(counts, (std::vector<int64_t>{1, 2, 0, 0, 0, 1}));
}

// A catalog made before accounts (schema v3) upgrades in place: its videos become public,
// unowned and at generation 0, keep their counters, and take likes.
TEST(SqliteCatalog, MigrationToV4MakesExistingVideosPublicAndUnowned) {
  auto file = ScratchDir::NewFile();
  {
    auto db_r = sqlite::Db::Open(file);
    ASSERT_TRUE(db_r);
    const auto& all = internal::SqliteMigrations();
    ASSERT_GE(all.size(), 4u);
    ASSERT_TRUE(sqlite::Migrate(*db_r.value(), {all[0], all[1], all[2]}));
    ASSERT_TRUE(db_r.value()->Exec(
        "INSERT INTO videos (video_id, video_key, uploaded_at, status, views, likes, size) VALUES "
        "('a', 'videos/a.mp4', 0, 'PROCESSED', 5, 2, 100), "
        "('b', 'videos/b.mp4', 1, 'UPLOADED', 0, 0, 200)"));
  }
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto& c = c_r.value();
  auto a = c->Get("a");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->owner_id, "");
  EXPECT_EQ(a->visibility, "public");
  EXPECT_EQ(a->media_generation, 0);
  EXPECT_EQ(a->views, 5);
  ListQuery anonymous;
  anonymous.audience = Audience::kAnonymous;
  EXPECT_EQ(c->List(anonymous).value().total, 2);
  auto liked = c->Like("a", "u1");
  ASSERT_TRUE(liked) << liked.error().message;
  EXPECT_EQ(liked->likes, 3);
  EXPECT_EQ(c->AdoptUnowned("admin").value(), 2);
  EXPECT_EQ(c->Usage("admin", 1).value().bytes_since, 200);
  // The CHECK holds for writes that bypass the catalog too.
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  EXPECT_FALSE(db_r.value()->Exec("UPDATE videos SET visibility = 'secret' WHERE video_id = 'a'"));
}

// A catalog made before content analysis (schema v6) upgrades in place: its videos have the
// "none" summary (the migration's default is kNoAnalysisJson) and no flags.
TEST(SqliteCatalog, MigrationToV7GivesExistingVideosNoAnalysis) {
  auto file = ScratchDir::NewFile();
  {
    auto db_r = sqlite::Db::Open(file);
    ASSERT_TRUE(db_r);
    const auto& all = internal::SqliteMigrations();
    ASSERT_GE(all.size(), 7u);
    ASSERT_TRUE(sqlite::Migrate(*db_r.value(), {all.begin(), all.begin() + 6}));
    ASSERT_TRUE(
        db_r.value()->Exec("INSERT INTO videos (video_id, video_key, uploaded_at, status) VALUES "
                           "('a', 'videos/a.mp4', 0, 'PROCESSED')"));
  }
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto a = c_r.value()->Get("a");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->analysis_json, kNoAnalysisJson);
  EXPECT_EQ(a->analysis_flags, "");
}

TEST(SqliteCatalog, ReadsDoNotWaitForAnOpenWriteTransaction) {
  auto file = ScratchDir::NewFile();
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r);
  auto& c = c_r.value();
  ASSERT_TRUE(c->Insert(Video("v1")));
  auto other_r = sqlite::Db::Open(file);  // another writer holds the write lock
  ASSERT_TRUE(other_r);
  auto& other = other_r.value();
  ASSERT_TRUE(other->Exec("BEGIN IMMEDIATE; UPDATE videos SET title = 'x'"));
  auto start = std::chrono::steady_clock::now();
  auto v_r = c->Get("v1");
  ASSERT_TRUE(v_r);
  auto& v = v_r.value();
  EXPECT_EQ(v.title, "title v1");  // the uncommitted write is invisible
  ASSERT_TRUE(c->List(ListQuery{}));
  ASSERT_TRUE(c->Stats());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_TRUE(other->Exec("ROLLBACK"));
}

// Checkpoints mostly run on a background thread instead of inside commits; under non-stop
// writes the WAL must still stay bounded (Checkpointer::kInlineWalPages, 32 MB).
TEST(SqliteCatalog, BackgroundCheckpointsBoundTheWal) {
  auto file = ScratchDir::NewFile();
  auto c_r = NewSqliteCatalog(file);
  ASSERT_TRUE(c_r);
  auto& c = c_r.value();
  auto id = [](int i) {
    std::string s = "v";  // appended, not "v" + ...: GCC 12 -O3 -Wrestrict false positive
    s += std::to_string(i);
    return s;
  };
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(c->Insert(Video(id(i))));
  // ~8 pages per increment: 3000 of them are ~24000 WAL pages (~96 MB) if nothing checkpoints.
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(c->IncrementViews(id(i % 200)));
  auto wal = fs::path(file.string() + "-wal");
  ASSERT_TRUE(fs::exists(wal));
  EXPECT_LT(fs::file_size(wal), 40u << 20) << "WAL pages: " << fs::file_size(wal) / 4096;
}

// Every page query must walk an index in order: no sort step, no full scan of the table. That
// holds for every audience, owner and flag filter too.
TEST(SqliteCatalog, ListQueriesUseTheirIndexes) {
  auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteCatalog(file));
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  auto& db = db_r.value();
  for (const auto& info : internal::kSortKeys) {
    const SortKey key = info.key;
    for (bool desc : {true, false}) {
      for (bool status : {false, true}) {
        for (bool cursor : {false, true}) {
          for (Audience audience :
               {Audience::kEveryone, Audience::kAnonymous, Audience::kSignedIn}) {
            for (auto [owner, flag, heads] :
                 {std::tuple{false, false, false}, std::tuple{true, false, false},
                  std::tuple{false, true, false}, std::tuple{true, true, false},
                  std::tuple{false, false, true}, std::tuple{true, false, true},
                  std::tuple{false, true, true}, std::tuple{true, true, true}}) {
              ListQuery q;
              // A caller keeping renderings gets the heads-only page (ListQuery::known).
              if (heads) q.known = [](const RowHead&) { return true; };
              q.sort = key;
              q.descending = desc;
              if (status) q.status = VideoStatus::kProcessed;
              q.audience = audience;
              q.viewer_id = "alice";
              if (owner) q.owner_id = "bob";
              if (flag) q.flag = "too_quiet";
              std::string sql = ListPageSql(q, cursor);
              auto s_r = db->Prepare("EXPLAIN QUERY PLAN " + sql);
              ASSERT_TRUE(s_r) << sql;
              auto& s = s_r.value();
              std::string plan;
              while (s.Step().value()) plan += s.Text(3) + "\n";
              SCOPED_TRACE(sql + "\n" + plan);
              EXPECT_NE(plan.find("USING INDEX videos_"), std::string::npos);
              EXPECT_EQ(plan.find("MULTI-INDEX"), std::string::npos);
              if (owner) {
                // The owner's index leads; in another order than time, the owner's few videos
                // are sorted.
                EXPECT_NE(plan.find("SEARCH videos USING INDEX videos_owner_by_time (owner_id=?"),
                          std::string::npos);
                if (key != SortKey::kTimestamp) continue;
              }
              EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos);
              // With a cursor the scan starts at the cursor (a SEARCH), not at the index's end.
              if (cursor) {
                EXPECT_NE(plan.find("SEARCH videos USING INDEX"), std::string::npos);
              }
            }
          }
        }
      }
    }
  }
}

// Title search of 3 or more characters reads the FTS5 trigram index, not every title; shorter
// queries keep the scan's LIKE (a trigram index cannot serve them). Many matches walk the sort
// index testing each entry against them; few are read and sorted.
TEST(SqliteCatalog, TitleSearchUsesTheTrigramIndex) {
  auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteCatalog(file));
  auto db_r = sqlite::Db::Open(file);
  ASSERT_TRUE(db_r);
  auto& db = db_r.value();
  for (const char* text : {"école", "abc", "ab"}) {
    for (bool cursor : {false, true}) {
      for (TitlePlan plan : {TitlePlan::kIndexLeads, TitlePlan::kMatchLeads}) {
        for (SortKey key : {SortKey::kViews, SortKey::kTimestamp}) {
          ListQuery q;
          q.title_query = text;
          q.sort = key;
          q.audience = Audience::kAnonymous;
          const std::string sql = ListPageSql(q, cursor, plan);
          auto s_r = db->Prepare("EXPLAIN QUERY PLAN " + sql);
          ASSERT_TRUE(s_r) << sql;
          std::string plan_text;
          while (s_r.value().Step().value()) plan_text += s_r.value().Text(3) + "\n";
          SCOPED_TRACE(sql + "\n" + plan_text);
          const bool indexed = std::string_view(text).size() >= 3;
          EXPECT_EQ(plan_text.find("SCAN videos_title_search VIRTUAL TABLE INDEX 0:M") !=
                        std::string::npos,
                    indexed);
          if (indexed && plan == TitlePlan::kMatchLeads) {
            EXPECT_NE(plan_text.find("SEARCH videos USING INTEGER PRIMARY KEY"), std::string::npos);
          } else {
            EXPECT_NE(plan_text.find("USING INDEX videos_"), std::string::npos);
            EXPECT_EQ(plan_text.find("TEMP B-TREE"), std::string::npos);
          }
        }
      }
    }
  }
}

TEST(SqliteCatalog, TitlePlanFollowsHowManyMatch) {
  EXPECT_EQ(ChooseTitlePlan(120, 100'000, 50), TitlePlan::kMatchLeads);    // a rare phrase
  EXPECT_EQ(ChooseTitlePlan(7'000, 100'000, 50), TitlePlan::kIndexLeads);  // a common word
  EXPECT_EQ(ChooseTitlePlan(0, 100'000, 50), TitlePlan::kMatchLeads);
  EXPECT_EQ(ChooseTitlePlan(0, 0, 50), TitlePlan::kMatchLeads);
  EXPECT_EQ(ChooseTitlePlan(5, 5, 1000), TitlePlan::kMatchLeads);
}

// Whichever side leads, a title search pages through the same videos in the same order: a
// common word (the sort index leads) and a rare one (the match leads), every sort key, forward
// through every page by cursor, for the anonymous and for the signed-in.
TEST(SqliteCatalog, TitleSearchPagesTheSameWhicheverSideLeads) {
  auto c_r = NewSqliteCatalog(ScratchDir::NewFile());
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto& c = *c_r.value();
  std::vector<VideoRecord> all;
  for (int i = 0; i < 240; ++i) {
    VideoRecord v = Video("v" + std::to_string(1000 + i));
    v.title =
        (i % 4 != 0 ? "Sunset " : "Harbour ") + std::to_string(i) + (i % 37 == 0 ? " Rare" : "");
    v.visibility = i % 5 == 0 ? "private" : "public";
    v.owner_id = i % 2 ? "alice" : "bob";
    v.uploaded_at += std::chrono::milliseconds(i * 7 % 240);
    ASSERT_TRUE(c.Insert(v));
    for (int k = 0; k < i % 9; ++k) ASSERT_TRUE(c.IncrementViews(v.video_id));
    all.push_back(v);
  }
  const int limit = 7;
  EXPECT_EQ(ChooseTitlePlan(144, 240, limit), TitlePlan::kIndexLeads);  // "sunset", public
  EXPECT_EQ(ChooseTitlePlan(5, 240, limit), TitlePlan::kMatchLeads);    // "rare"
  for (const char* text : {"sunset", "RARE", "arbour 1"}) {
    for (const auto& info : internal::kSortKeys) {
      for (Audience audience : {Audience::kAnonymous, Audience::kSignedIn}) {
        SCOPED_TRACE(std::string(text) + " " + std::string(info.name));
        ListQuery q;
        q.title_query = text;
        q.sort = info.key;
        q.limit = limit;
        q.audience = audience;
        q.viewer_id = "alice";
        std::vector<std::string> got;
        int64_t total = -1;
        for (int pages = 0; pages < 100; ++pages) {
          auto page = c.List(q);
          ASSERT_TRUE(page) << page.error().message;
          total = page->total;
          for (const auto& v : page->videos) got.push_back(v.video_id);
          if (!page->next_cursor) break;
          q.cursor = *page->next_cursor;
        }
        std::vector<const VideoRecord*> want;
        std::string lower(text);
        for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (const auto& v : all) {
          std::string t = v.title;
          for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          const bool listed = v.visibility == "public" ||
                              (audience == Audience::kSignedIn && v.owner_id == "alice");
          if (listed && t.find(lower) != std::string::npos) want.push_back(&v);
        }
        EXPECT_EQ(total, static_cast<int64_t>(want.size()));
        EXPECT_EQ(got.size(), want.size());
        // The order is the listing's without a title query, which walks the sort index.
        std::set<std::string> wanted;
        for (const auto* v : want) wanted.insert(v->video_id);
        ListQuery unfiltered = q;
        unfiltered.title_query.clear();
        unfiltered.cursor.clear();
        unfiltered.limit = 1000;
        auto everything = c.List(unfiltered);
        ASSERT_TRUE(everything);
        std::vector<std::string> ordered;
        for (const auto& v : everything->videos) {
          if (wanted.count(v.video_id)) ordered.push_back(v.video_id);
        }
        EXPECT_EQ(got, ordered);
      }
    }
  }
}

TEST(OpenCatalog, ChoosesBackendByUrl) {
  auto file = ScratchDir::NewFile();
  auto c_r = OpenCatalog("sqlite://" + file.string());
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto& c = c_r.value();
  EXPECT_EQ(c->Describe(), "sqlite://" + file.string());
  EXPECT_TRUE(c->Ping());

  // PostgreSQL URLs go to the PostgreSQL backend (nothing listens on port 1).
  for (const char* url : {"postgresql://kinora@127.0.0.1:1/kinora", "postgres://127.0.0.1:1/k"}) {
    auto pg = OpenCatalog(url);
    ASSERT_FALSE(pg) << url;
    EXPECT_EQ(pg.error().code, ErrorCode::kUnavailable) << pg.error().message;
    EXPECT_NE(pg.error().message.find("PostgreSQL"), std::string::npos) << pg.error().message;
  }
  for (const char* bad : {"http://example.com/x.db", "sqlite://relative/x.db", "sqlite:", "",
                          "not a url", "/abs/path.db"}) {
    auto r = OpenCatalog(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(OpenCatalog, ParsesSortKeys) {
  EXPECT_EQ(ParseSortKey("timestamp"), SortKey::kTimestamp);
  EXPECT_EQ(ParseSortKey("views"), SortKey::kViews);
  EXPECT_EQ(ParseSortKey("likes"), SortKey::kLikes);
  EXPECT_EQ(ParseSortKey("engagement"), SortKey::kEngagement);
  EXPECT_EQ(ParseSortKey("duration"), SortKey::kDuration);
  EXPECT_EQ(ParseSortKey("size"), SortKey::kSize);
  EXPECT_FALSE(ParseSortKey("title"));
  EXPECT_FALSE(ParseSortKey(""));
}

}  // namespace
}  // namespace kinora::catalog
namespace kinora::catalog {

// SQLite 3.40 fails a prepare that fires the FTS5 index's triggers with SQLITE_SCHEMA ("no such
// table") when another connection changed the schema since this one loaded it (the audience tables
// live in the same file); Db::Prepare reloads the schema and prepares again.
TEST(SqliteCatalog, InsertsAfterAnotherConnectionChangedTheSchema) {
  auto file = ScratchDir::NewFile();
  auto cat = OpenCatalog("sqlite://" + file.string());
  ASSERT_TRUE(cat);
  {
    auto db = sqlite::Db::Open(file);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec("CREATE TABLE other_table (x INTEGER)"));
  }
  VideoRecord v;
  v.video_id = "abc";
  v.video_key = "videos/abc.mp4";
  v.bucket = "local";
  auto ins = (*cat)->Insert(v);
  ASSERT_TRUE(ins) << ins.error().message;
  EXPECT_EQ((*cat)->Get("abc")->video_key, "videos/abc.mp4");
}

}  // namespace kinora::catalog
