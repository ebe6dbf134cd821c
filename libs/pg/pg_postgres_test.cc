// PgConn's prepared statements and PgPool against a real PostgreSQL server (started by
// tests/peers/with_peers.py, which exports KINORA_TEST_PG_URL). Every test gets its own schema.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "kinora/pg/pg.h"

namespace kinora::pg {
namespace {

std::string PgUrl() {
  const char* v = std::getenv("KINORA_TEST_PG_URL");
  return v ? v : "";
}

std::string FreshSchema() {
  static std::atomic<int> counter{0};
  return "pg" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

class PgPrepared : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "KINORA_TEST_PG_URL is not set: run through with_peers.py";
    auto c = PgConn::Connect(PgUrl(), schema_);
    ASSERT_TRUE(c) << c.error().message;
    admin_ = std::move(*c);
    ASSERT_TRUE(
        admin_->ExecScript("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                           "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')"));
  }

  // How many statements the server holds prepared for c's session.
  static int64_t ServerPrepared(PgConn& c) {
    auto r = c.Exec("SELECT COUNT(*) FROM pg_prepared_statements");
    return r ? r->Int(0, 0) : -1;
  }

  const std::string schema_ = FreshSchema();
  std::unique_ptr<PgConn> admin_;
};

constexpr std::string_view kByIdSql = "SELECT name FROM items WHERE id = $1";

TEST_F(PgPrepared, PreparesEachTextOnceAndBindsItsParameters) {
  for (auto [id, name] : {std::pair{"1", "one"}, std::pair{"2", "two"}, std::pair{"3", "three"},
                          std::pair{"1", "one"}}) {
    auto r = admin_->ExecPrepared(kByIdSql, {std::string(id)});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->rows(), 1);
    EXPECT_EQ(r->Text(0, 0), name);
  }
  EXPECT_EQ(admin_->prepared_count(), 1u);
  EXPECT_EQ(ServerPrepared(*admin_), 1);
  auto none = admin_->ExecPrepared(kByIdSql, {std::string("9")});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->rows(), 0);
  // A NULL parameter, and a statement that writes.
  auto null = admin_->ExecPrepared("SELECT $1::text IS NULL", {std::nullopt});
  ASSERT_TRUE(null);
  EXPECT_EQ(null->Text(0, 0), "t");
  auto updated =
      admin_->ExecPrepared("UPDATE items SET name = $2 WHERE id = $1", {"2", std::string("deux")});
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->affected(), 1);
  EXPECT_EQ(admin_->prepared_count(), 3u);
}

TEST_F(PgPrepared, ErrorsAreClassifiedAndNothingIsRemembered) {
  auto dup = admin_->ExecPrepared("INSERT INTO items VALUES ($1, $2)", {"1", std::string("x")});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto bad = admin_->ExecPrepared("SELECT nope FROM items WHERE id = $1", {"1"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(admin_->prepared_count(), 1u);  // the INSERT; the bad text never prepared
  auto good = admin_->ExecPrepared(kByIdSql, {"1"});
  ASSERT_TRUE(good) << good.error().message;
}

// The server forgets the session's statements (DEALLOCATE ALL, as a pooler may): the next
// call prepares its text again instead of failing.
TEST_F(PgPrepared, AStatementTheServerForgotIsPreparedAgain) {
  ASSERT_TRUE(admin_->ExecPrepared(kByIdSql, {"1"}));
  ASSERT_TRUE(admin_->ExecScript("DEALLOCATE ALL"));
  EXPECT_EQ(ServerPrepared(*admin_), 0);
  auto r = admin_->ExecPrepared(kByIdSql, {"3"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Text(0, 0), "three");
  EXPECT_EQ(ServerPrepared(*admin_), 1);
}

// A migration that changes a prepared statement's result columns ("cached plan must not
// change result type").
TEST_F(PgPrepared, AStatementWhoseResultChangedIsPreparedAgain) {
  constexpr std::string_view kAll = "SELECT * FROM items WHERE id = $1";
  auto before = admin_->ExecPrepared(kAll, {"1"});
  ASSERT_TRUE(before);
  ASSERT_TRUE(admin_->ExecScript("ALTER TABLE items ADD COLUMN extra INTEGER DEFAULT 7"));
  auto after = admin_->ExecPrepared(kAll, {"1"});
  ASSERT_TRUE(after) << after.error().message;
  ASSERT_EQ(after->rows(), 1);
  EXPECT_EQ(after->Text(0, 2), "7");
}

// Inside a transaction the retry cannot happen (the failure aborted it): the call fails, and the
// text is prepared again by the next call after the rollback.
TEST_F(PgPrepared, AForgottenStatementInsideATransactionFailsOnceThenRecovers) {
  ASSERT_TRUE(admin_->ExecPrepared(kByIdSql, {"1"}));
  ASSERT_TRUE(admin_->ExecScript("DEALLOCATE ALL"));
  {
    auto tx = Tx::Begin(*admin_);
    ASSERT_TRUE(tx);
    EXPECT_FALSE(admin_->ExecPrepared(kByIdSql, {"1"}));
  }
  auto r = admin_->ExecPrepared(kByIdSql, {"2"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Text(0, 0), "two");
}

TEST_F(PgPrepared, PastTheLimitTextsRunUnprepared) {
  for (size_t i = 0; i < PgConn::kMaxPrepared + 3; ++i) {
    const std::string sql = "SELECT " + std::to_string(i) + " + $1::int";
    auto r = admin_->ExecPrepared(sql, {"1"});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->Int(0, 0), static_cast<int64_t>(i) + 1);
  }
  EXPECT_EQ(admin_->prepared_count(), PgConn::kMaxPrepared);
  EXPECT_EQ(ServerPrepared(*admin_), static_cast<int64_t>(PgConn::kMaxPrepared));
}

// The pool replaces a connection the server closed; the new session has no prepared statements,
// and the same call prepares its text there.
TEST_F(PgPrepared, APooledConnectionOpenedAgainPreparesAgain) {
  PgPool pool(PgUrl(), schema_, 1);
  int64_t first_pid = 0;
  {
    auto lease = pool.Acquire();
    ASSERT_TRUE(lease) << lease.error().message;
    ASSERT_TRUE((*lease)->ExecPrepared(kByIdSql, {"1"}));
    auto pid = (*lease)->Exec("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid);
    first_pid = pid->Int(0, 0);
    auto killed =
        admin_->Exec("SELECT pg_terminate_backend($1::int, 5000)", {std::to_string(first_pid)});
    ASSERT_TRUE(killed) << killed.error().message;
    auto lost = (*lease)->ExecPrepared(kByIdSql, {"1"});
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  }
  auto lease = pool.Acquire();
  ASSERT_TRUE(lease) << lease.error().message;
  auto r = (*lease)->ExecPrepared(kByIdSql, {"2"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Text(0, 0), "two");
  EXPECT_EQ((*lease)->prepared_count(), 1u);
  auto pid = (*lease)->Exec("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid);
  EXPECT_NE(pid->Int(0, 0), first_pid);
}

}  // namespace
}  // namespace kinora::pg
