#include "sqlite/sqlite_identity_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "identity_contract.h"
#include "kinora/catalog/catalog.h"
#include "kinora/sqlite/db.h"
#include "test_scratch.h"

namespace kinora::identity {
namespace {

using test_support::ScratchDir;

INSTANTIATE_TEST_SUITE_P(Sqlite, IdentityContract,
                         ::testing::Values(IdentityBackend{
                             "sqlite",
                             [] { return NewSqliteIdentityStore(ScratchDir::NewFile()); }}),
                         IdentityBackendName);

std::string UrlOf(const std::filesystem::path& file) { return "sqlite://" + file.string(); }

int64_t UserVersion(const std::filesystem::path& file) {
  auto db = sqlite::Db::Open(file);
  if (!db) return -1;
  auto s = (*db)->Prepare("PRAGMA user_version");
  if (!s || !*s->Step()) return -1;
  return s->Int(0);
}

int64_t IdentityVersion(const std::filesystem::path& file) {
  auto db = sqlite::Db::Open(file);
  if (!db) return -1;
  auto s = (*db)->Prepare("SELECT version FROM kinora_migrations WHERE component = 'identity'");
  if (!s) return -1;
  auto row = s->Step();
  return row && *row ? s->Int(0) : -1;
}

User NewUser(const std::string& name) {
  User u;
  u.username = name;
  u.password_hash = "h";
  return u;
}

TEST(SqliteIdentityStore, SharesTheCatalogsFileWithoutItsUserVersion) {
  // Catalog first, then the identity store, then both again: each keeps its own version.
  const auto file = ScratchDir::NewFile();
  {
    auto cat = catalog::OpenCatalog(UrlOf(file));
    ASSERT_TRUE(cat) << cat.error().message;
  }
  const int64_t catalog_version = UserVersion(file);
  ASSERT_GT(catalog_version, 0);
  {
    auto store = OpenIdentityStore(UrlOf(file));
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->CreateUser(NewUser("alice")));
  }
  EXPECT_EQ(UserVersion(file), catalog_version);
  EXPECT_EQ(IdentityVersion(file), 1);

  auto cat = catalog::OpenCatalog(UrlOf(file));
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_TRUE((*cat)->Ping());
  auto store = OpenIdentityStore(UrlOf(file));
  ASSERT_TRUE(store) << store.error().message;
  auto alice = (*store)->FindUser("alice");
  EXPECT_TRUE(alice) << alice.error().message;
}

TEST(SqliteIdentityStore, OpensBeforeTheCatalogToo) {
  // `kinora users create` may run before the first `kinora serve`.
  const auto file = ScratchDir::NewFile();
  {
    auto store = OpenIdentityStore(UrlOf(file));
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->CreateUser(NewUser("alice")));
  }
  EXPECT_EQ(UserVersion(file), 0);
  auto cat = catalog::OpenCatalog(UrlOf(file));
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_TRUE((*cat)->Ping());
  EXPECT_GT(UserVersion(file), 0);
  EXPECT_EQ(IdentityVersion(file), 1);
}

TEST(SqliteIdentityStore, ConcurrentOpensMigrateOnce) {
  const auto file = ScratchDir::NewFile();
  std::atomic<int> failures{0};
  std::vector<std::thread> openers;
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&, i] {
      auto store = NewSqliteIdentityStore(file);
      if (!store) {
        ADD_FAILURE() << store.error().message;
        ++failures;
        return;
      }
      if (!(*store)->CreateUser(NewUser("user" + std::to_string(i)))) ++failures;
    });
  }
  for (auto& t : openers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto store = NewSqliteIdentityStore(file);
  ASSERT_TRUE(store);
  EXPECT_EQ(*(*store)->CountUsers(), 4);
}

TEST(SqliteIdentityStore, RefusesASchemaNewerThanItKnows) {
  const auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteIdentityStore(file));
  {
    auto db = sqlite::Db::Open(file);
    ASSERT_TRUE(db);
    ASSERT_TRUE(
        (*db)->Exec("UPDATE kinora_migrations SET version = 99 WHERE component = 'identity'"));
  }
  auto store = NewSqliteIdentityStore(file);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnsupported);
}

TEST(SqliteIdentityStore, RowsSurviveReopening) {
  const auto file = ScratchDir::NewFile();
  std::string id;
  {
    auto store = NewSqliteIdentityStore(file);
    ASSERT_TRUE(store);
    auto u = (*store)->CreateUser(NewUser("alice"));
    ASSERT_TRUE(u);
    id = u->user_id;
    Session s;
    s.id_hash = "h1";
    s.user_id = id;
    ASSERT_TRUE((*store)->CreateSession(s));
  }
  auto store = NewSqliteIdentityStore(file);
  ASSERT_TRUE(store);
  auto found = (*store)->FindSession("h1");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->user.username, "alice");
}

TEST(SqliteIdentityStore, FindSessionIsOneIndexedLookup) {
  // The query plan of the per-request lookup: primary keys on both sides, no scan.
  const auto file = ScratchDir::NewFile();
  ASSERT_TRUE(NewSqliteIdentityStore(file));
  auto db = sqlite::Db::Open(file);
  ASSERT_TRUE(db);
  for (const char* sql :
       {"EXPLAIN QUERY PLAN SELECT * FROM sessions s JOIN users u ON u.user_id = s.user_id "
        "WHERE s.id_hash = 'x'",
        "EXPLAIN QUERY PLAN SELECT * FROM api_tokens t JOIN users u ON u.user_id = t.user_id "
        "WHERE t.hash = 'x'"}) {
    auto s = (*db)->Prepare(sql);
    ASSERT_TRUE(s) << s.error().message;
    std::string plan;
    while (*s->Step()) plan += s->Text(3) + "\n";
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  }
}

TEST(OpenIdentityStore, TakesTheCatalogsUrls) {
  for (const char* bad : {"", "not a url", "sqlite://relative.db", "sqlite://host/abs.db",
                          "mysql://localhost/db", "file:///tmp/x.db"}) {
    auto r = OpenIdentityStore(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  auto bad_schema = OpenIdentityStore("postgresql://u@127.0.0.1:1/db?schema=Bad-Name");
  ASSERT_FALSE(bad_schema);
  EXPECT_EQ(bad_schema.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(OpenIdentityStore(UrlOf(ScratchDir::NewFile())));
}

}  // namespace
}  // namespace kinora::identity
