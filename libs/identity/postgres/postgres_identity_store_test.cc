// The IdentityStore contract against a real PostgreSQL server (started by
// tests/peers/with_peers.py, which exports KINORA_TEST_PG_URL). Every test gets its own schema.
#include "postgres/postgres_identity_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

#include "identity_contract.h"
#include "kinora/catalog/catalog.h"
#include "kinora/pg/pg.h"

namespace kinora::identity {
namespace {

std::string PgUrl() {
  const char* v = std::getenv("KINORA_TEST_PG_URL");
  return v ? v : "";
}

std::string FreshSchema() {
  static std::atomic<int> counter{0};
  return "id" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

std::string UrlWithSchema(const std::string& schema) {
  const std::string base = PgUrl();
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

Result<std::unique_ptr<IdentityStore>> MakePostgres() {
  if (PgUrl().empty()) {
    return MakeError(ErrorCode::kUnavailable,
                     "KINORA_TEST_PG_URL is not set: run through tests/peers/with_peers.py "
                     "--postgres");
  }
  return NewPostgresIdentityStore(UrlWithSchema(FreshSchema()));
}

INSTANTIATE_TEST_SUITE_P(Postgres, IdentityContract,
                         ::testing::Values(IdentityBackend{"postgres", MakePostgres}),
                         IdentityBackendName);

// The tables of `schema`, read on a connection of its own.
std::set<std::string> TablesIn(const std::string& schema) {
  std::set<std::string> out;
  auto conn = pg::PgConn::Connect(PgUrl(), "");
  if (!conn) {
    ADD_FAILURE() << conn.error().message;
    return out;
  }
  auto r = (*conn)->Exec("SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                         {schema});
  if (!r) {
    ADD_FAILURE() << r.error().message;
    return out;
  }
  for (int i = 0; i < r->rows(); ++i) out.insert(std::string(r->Text(i, 0)));
  return out;
}

TEST(PostgresIdentityStore, LivesInTheCatalogsSchemaBesideItsTables) {
  const std::string schema = FreshSchema();
  const std::string url = UrlWithSchema(schema);
  auto cat = catalog::OpenCatalog(url);
  ASSERT_TRUE(cat) << cat.error().message;
  auto store = OpenIdentityStore(url);
  ASSERT_TRUE(store) << store.error().message;
  const auto tables = TablesIn(schema);
  for (const char* t :
       {"videos", "kinora_schema", "users", "sessions", "api_tokens", "kinora_migrations"}) {
    EXPECT_TRUE(tables.count(t)) << t << " missing from schema " << schema;
  }
  EXPECT_TRUE(TablesIn("public").count("users") == 0) << "identity tables leaked into public";
  // Both still open and answer after each other's migrations.
  EXPECT_TRUE((*cat)->Ping());
  EXPECT_TRUE((*store)->Ping());
  auto again = catalog::OpenCatalog(url);
  EXPECT_TRUE(again) << again.error().message;
}

TEST(PostgresIdentityStore, MigrationsRunOnceAcrossConcurrentOpens) {
  const std::string url = UrlWithSchema(FreshSchema());
  std::atomic<int> failures{0};
  std::vector<std::thread> openers;
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&, i] {
      auto store = NewPostgresIdentityStore(url);
      if (!store) {
        ADD_FAILURE() << store.error().message;
        ++failures;
        return;
      }
      User u;
      u.username = "user" + std::to_string(i);
      u.password_hash = "h";
      if (!(*store)->CreateUser(u)) ++failures;
    });
  }
  for (auto& t : openers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto store = NewPostgresIdentityStore(url);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(*(*store)->CountUsers(), 4);
}

TEST(PostgresIdentityStore, RefusesASchemaNewerThanItKnows) {
  const std::string schema = FreshSchema();
  const std::string url = UrlWithSchema(schema);
  ASSERT_TRUE(NewPostgresIdentityStore(url));
  auto conn = pg::PgConn::Connect(PgUrl(), schema);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE(
      (*conn)->Exec("UPDATE kinora_migrations SET version = 99 WHERE component = 'identity'"));
  auto store = NewPostgresIdentityStore(url);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace kinora::identity
