// The Catalog contract against a real PostgreSQL server (started by tests/peers/with_peers.py,
// which exports KINORA_TEST_PG_URL). Every test gets its own schema in the test database.
#include "kinora/catalog/postgres_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <tuple>

#include "../catalog_contract.h"
#include "../columns.h"
#include "../cursor.h"
#include "../sort_keys.h"
#include "../upload_columns.h"
#include "kinora/pg/pg.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {
namespace {

std::string PgUrl() {
  const char* v = std::getenv("KINORA_TEST_PG_URL");
  return v ? v : "";
}

std::string FreshSchemaUrl() {
  static std::atomic<int> counter{0};
  const std::string base = PgUrl();
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=t" +
         std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

// The schema= of a FreshSchemaUrl(), and a connection of its own to that schema.
std::string SchemaOf(const std::string& url) { return url.substr(url.rfind("schema=") + 7); }
Result<std::unique_ptr<pg::PgConn>> ConnectTo(const std::string& url) {
  return pg::PgConn::Connect(PgUrl(), SchemaOf(url));
}

// The query's text and its EXPLAIN, one plan line a line.
Result<std::string> Explain(pg::PgConn& conn, const PgQuery& query) {
  auto plan = conn.Exec("EXPLAIN " + query.sql, query.params);
  if (!plan) return Annotate(plan.error(), query.sql);
  std::string text = query.sql + "\n";
  for (int i = 0; i < plan->rows(); ++i) text += std::string(plan->Text(i, 0)) + "\n";
  return text;
}

Result<std::unique_ptr<Catalog>> MakePostgres() {
  if (PgUrl().empty()) {
    return MakeError(ErrorCode::kUnavailable,
                     "KINORA_TEST_PG_URL is not set: run through tests/peers/with_peers.py "
                     "--postgres");
  }
  return NewPostgresCatalog(FreshSchemaUrl());
}

INSTANTIATE_TEST_SUITE_P(Postgres, CatalogContract,
                         ::testing::Values(CatalogBackend{"postgres", MakePostgres}),
                         CatalogBackendName);

TEST(PostgresCatalog, MigrationsRunOnceAcrossOpensAndProcesses) {
  const std::string url = FreshSchemaUrl();
  std::vector<std::thread> openers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {  // concurrent first opens race for the migration lock
    openers.emplace_back([&] {
      auto c = NewPostgresCatalog(url);
      if (!c) ADD_FAILURE() << c.error().message;
      if (!c || !(*c)->Ping()) ++failures;
    });
  }
  for (auto& t : openers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto c = NewPostgresCatalog(url);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_NE((*c)->Describe().find("schema t"), std::string::npos);
}

// The migrations and the column table (columns.h) describe the same videos table.
TEST(PostgresCatalog, MigrationsCreateExactlyTheTablesColumns) {
  const std::string url = FreshSchemaUrl();
  ASSERT_TRUE(NewPostgresCatalog(url));
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn) << conn.error().message;
  auto r = (*conn)->Exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND "
      "table_name = 'videos'",
      {SchemaOf(url)});
  ASSERT_TRUE(r) << r.error().message;
  std::set<std::string> have;
  for (int i = 0; i < r->rows(); ++i) have.insert(std::string(r->Text(i, 0)));
  // Generated: for the duration sort, and the folded title for title search.
  std::set<std::string> want = {"duration_key", "title_folded"};
  for (const auto& c : internal::kColumns) want.insert(std::string(c.name));
  EXPECT_EQ(have, want);
}

// The migration and the upload column table (upload_columns.h) describe the same uploads table.
TEST(PostgresCatalog, MigrationsCreateExactlyTheUploadColumns) {
  const std::string url = FreshSchemaUrl();
  ASSERT_TRUE(NewPostgresCatalog(url));
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn) << conn.error().message;
  auto r = (*conn)->Exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND "
      "table_name = 'uploads'",
      {SchemaOf(url)});
  ASSERT_TRUE(r) << r.error().message;
  std::set<std::string> have;
  for (int i = 0; i < r->rows(); ++i) have.insert(std::string(r->Text(i, 0)));
  std::set<std::string> want;
  for (const auto& c : internal::kUploadColumns) want.insert(std::string(c.name));
  EXPECT_EQ(have, want);
}

// A catalog made before accounts (schema v3) upgrades in place: its videos become public,
// unowned and at generation 0, keep their counters, and take likes.
TEST(PostgresCatalog, MigrationToV4MakesExistingVideosPublicAndUnowned) {
  const std::string url = FreshSchemaUrl();
  {
    auto conn = ConnectTo(url);
    ASSERT_TRUE(conn) << conn.error().message;
    const auto& all = pgschema::Migrations();
    ASSERT_GE(all.size(), 4u);
    for (size_t i = 0; i < 3; ++i) ASSERT_TRUE((*conn)->ExecScript(all[i]));
    ASSERT_TRUE((*conn)->ExecScript(
        "CREATE TABLE kinora_schema (version INTEGER NOT NULL); "
        "INSERT INTO kinora_schema VALUES (3); "
        "INSERT INTO videos (video_id, video_key, uploaded_at, status, views, likes, size) VALUES "
        "('a', 'videos/a.mp4', 0, 'PROCESSED', 5, 2, 100), "
        "('b', 'videos/b.mp4', 1, 'UPLOADED', 0, 0, 200)"));
  }
  auto c_r = NewPostgresCatalog(url);
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
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn);
  EXPECT_FALSE((*conn)->Exec("UPDATE videos SET visibility = 'secret' WHERE video_id = 'a'"));
}

// Every List shape has an index that yields its order: with sequential scans and sorts priced
// out, the plan contains no Sort, and a cursor becomes an index condition (a seek). That holds
// for every audience, owner and flag filter too.
TEST(PostgresCatalog, EveryListWalksAnIndexWithoutSorting) {
  const std::string url = FreshSchemaUrl();
  auto cat = NewPostgresCatalog(url);
  ASSERT_TRUE(cat) << cat.error().message;
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE((*conn)->ExecScript("SET enable_seqscan = off; SET enable_sort = off"));
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
              CursorPosition at{key, desc, int64_t{5}, "m"};
              if (info.real) at.value = 0.5;
              const PgQuery page = ListPageQuery(q, cursor ? &at : nullptr);
              auto explained = Explain(**conn, page);
              ASSERT_TRUE(explained) << explained.error().message;
              const std::string& text = *explained;
              SCOPED_TRACE(text);
              EXPECT_EQ(text.find("Sort"), std::string::npos);
              EXPECT_NE(text.find("Index"), std::string::npos);
              if (cursor) {
                EXPECT_NE(text.find("Index Cond"), std::string::npos);
              }
            }
          }
        }
      }
    }
  }
}

// Title search reads the pg_trgm index on the folded title (the migration made it: the test
// server has pg_trgm), whatever the sort, for queries of 3 or more characters that few of the
// titles hold (where most titles match, walking the sort's index is the better plan).
TEST(PostgresCatalog, TitleSearchUsesTheTrigramIndex) {
  const std::string url = FreshSchemaUrl();
  auto cat = NewPostgresCatalog(url);
  ASSERT_TRUE(cat) << cat.error().message;
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE((*conn)->ExecScript(
      "INSERT INTO videos (video_id, title, video_key, uploaded_at, status) SELECT 'v' || i, "
      "'Video ' || md5(i::text), 'k', i, 'PROCESSED' FROM generate_series(1, 5000) AS i; "
      "SELECT gin_clean_pending_list('videos_title_trgm'); ANALYZE videos; "
      "SET enable_seqscan = off"));
  auto index = (*conn)->Exec("SELECT to_regclass('videos_title_trgm') IS NOT NULL");
  ASSERT_TRUE(index) << index.error().message;
  ASSERT_EQ(index->Text(0, 0), "t") << "the migration made no pg_trgm index";
  for (const auto& info : internal::kSortKeys) {
    for (const char* text : {"école", "ÉCOLE NORMALE", "50%_x"}) {
      ListQuery q;
      q.title_query = text;
      q.sort = info.key;
      q.audience = Audience::kAnonymous;
      for (const PgQuery& query : {ListPageQuery(q, nullptr), ListWithTotalQuery(q, nullptr),
                                   ListPageQuery(q, nullptr, TitlePlan::kMatchLeads)}) {
        auto explained = Explain(**conn, query);
        ASSERT_TRUE(explained) << explained.error().message;
        const std::string& plan = *explained;
        SCOPED_TRACE(plan);
        EXPECT_NE(plan.find("videos_title_trgm"), std::string::npos);
        EXPECT_EQ(plan.find("Seq Scan on videos"), std::string::npos);
      }
    }
  }
}

// Whichever plan a title search's page takes, it holds the same videos in the same order, on
// the first page and after a cursor, for a word most titles hold and one few do.
TEST(PostgresCatalog, TitleSearchPagesTheSameWhicheverPlan) {
  const std::string url = FreshSchemaUrl();
  auto cat = NewPostgresCatalog(url);
  ASSERT_TRUE(cat) << cat.error().message;
  auto conn = ConnectTo(url);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE((*conn)->ExecScript(
      "INSERT INTO videos (video_id, title, video_key, uploaded_at, status, views) SELECT "
      "'v' || i, CASE WHEN i % 31 = 0 THEN 'Rare Phrase ' || i WHEN i % 3 = 0 THEN 'Sunset ' || "
      "i ELSE 'Other ' || i END, 'k', (i * 7919) % 400, 'PROCESSED', i % 5 FROM "
      "generate_series(1, 400) AS i; ANALYZE videos"));
  const int id_col = internal::ReadIndexOf(&VideoRecord::video_id);
  const int key_col = internal::kReadColumnCount;
  for (SortKey sort : {SortKey::kTimestamp, SortKey::kViews}) {
    for (const char* text : {"sunset", "RARE PHRASE"}) {
      ListQuery q;
      q.title_query = text;
      q.sort = sort;
      q.limit = 7;
      q.audience = Audience::kAnonymous;
      // Ids of the first page and of the page after its 7th row, by each plan.
      auto pages = [&](std::optional<TitlePlan> plan) {
        std::vector<std::string> ids;
        const PgQuery first_q = ListPageQuery(q, nullptr, plan);
        auto first = (*conn)->Exec(first_q.sql, first_q.params);
        EXPECT_TRUE(first) << first.error().message;
        if (!first || first->rows() < 8) return ids;
        for (int i = 0; i < 7; ++i) ids.emplace_back(first->Text(i, id_col));
        const CursorPosition after{sort, true, first->Int(6, key_col), ids.back()};
        const PgQuery next_q = ListPageQuery(q, &after, plan);
        auto next = (*conn)->Exec(next_q.sql, next_q.params);
        EXPECT_TRUE(next) << next.error().message;
        for (int i = 0; next && i < next->rows(); ++i) ids.emplace_back(next->Text(i, id_col));
        return ids;
      };
      SCOPED_TRACE(std::string(text) + " by " + std::string(ToString(sort)));
      const std::vector<std::string> planned = pages(std::nullopt);
      EXPECT_EQ(planned.size(),
                std::string(text) == "sunset" ? 15u : 12u);  // 7, then 8 or the rest
      EXPECT_EQ(pages(TitlePlan::kIndexLeads), planned);
      EXPECT_EQ(pages(TitlePlan::kMatchLeads), planned);
      auto listed = (*cat)->List(q);  // the plan List chooses
      ASSERT_TRUE(listed) << listed.error().message;
      ASSERT_EQ(listed->videos.size(), 7u);
      for (size_t i = 0; i < 7; ++i) EXPECT_EQ(listed->videos[i].video_id, planned[i]);
      EXPECT_EQ(listed->total, std::string(text) == "sunset" ? 129 : 12);
    }
  }
}

TEST(PostgresCatalog, ListVersionSeesAnotherConnectionsCommit) {
  const std::string url = FreshSchemaUrl();
  auto cat = NewPostgresCatalog(url);
  ASSERT_TRUE(cat) << cat.error().message;
  auto conn = ConnectTo(url);  // another process's writes, as an uploader's beside analytics
  ASSERT_TRUE(conn) << conn.error().message;
  const std::string before = (*cat)->ListVersion();
  ASSERT_FALSE(before.empty());
  ASSERT_TRUE(
      (*conn)->ExecScript("INSERT INTO videos (video_id, title, video_key, uploaded_at, status) "
                          "VALUES ('elsewhere', 't', 'k', 1, 'UPLOADED')"));
  EXPECT_NE((*cat)->ListVersion(), before);
}

TEST(PostgresCatalog, BadUrlsAreExplained) {
  for (const char* url :
       {"postgresql://x@127.0.0.1:1/db?schema=Bad-Name", "mysql://x@127.0.0.1/db"}) {
    auto c = NewPostgresCatalog(url);
    ASSERT_FALSE(c) << url;
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument) << c.error().message;
  }
  auto down = NewPostgresCatalog("postgresql://x@127.0.0.1:1/db?connect_timeout=2");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().message;
}

}  // namespace
}  // namespace kinora::catalog
