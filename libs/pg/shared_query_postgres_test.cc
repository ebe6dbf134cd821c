// SharedQuery against a real PostgreSQL server (started by tests/peers/with_peers.py, which
// exports KINORA_TEST_PG_URL): answers, freshness for each caller, shared runs, failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kinora/pg/pg.h"
#include "kinora/pg/shared_query.h"

namespace kinora::pg {
namespace {

namespace asio = boost::asio;

std::string PgUrl() {
  const char* v = std::getenv("KINORA_TEST_PG_URL");
  return v ? v : "";
}

// `n` callers ask at once, from `threads` threads; their answers in the order they asked.
std::vector<std::string> Ask(SharedQuery& q, int n, int threads = 1) {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::vector<std::string> answers(n);
  std::atomic<int> left{n};
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(
        io, [&q, &answers, i]() -> asio::awaitable<void> { answers[i] = co_await q.Run(); },
        [&](std::exception_ptr) {
          if (--left == 0) work.reset();
        });
  }
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return answers;
}

class SharedQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) GTEST_SKIP() << "KINORA_TEST_PG_URL is not set: run through with_peers.py";
    auto c = PgConn::Connect(PgUrl(), schema_);
    ASSERT_TRUE(c) << c.error().message;
    admin_ = std::move(*c);
    ASSERT_TRUE(admin_->ExecScript("CREATE TABLE items (id INTEGER PRIMARY KEY)"));
  }

  static std::string FreshSchema() {
    static std::atomic<int> counter{0};
    return "sq" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  }
  const std::string schema_ = FreshSchema();
  std::unique_ptr<PgConn> admin_;
};

TEST_F(SharedQueryTest, AnswersTheFirstColumnOfTheRow) {
  SharedQuery q(PgUrl(), schema_, "SELECT 'items: ' || COUNT(*) FROM items");
  EXPECT_EQ(Ask(q, 1), std::vector<std::string>{"items: 0"});
  EXPECT_EQ(q.runs(), 1u);
}

TEST_F(SharedQueryTest, EveryCallerSeesWhatWasCommittedBeforeItAsked) {
  SharedQuery q(PgUrl(), schema_, "SELECT COUNT(*)::text FROM items");
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(admin_->Exec("INSERT INTO items VALUES ($1)", {std::to_string(i)}));
    for (const std::string& a : Ask(q, 8, 4)) ASSERT_EQ(a, std::to_string(i));
  }
}

TEST_F(SharedQueryTest, CallersWhoAskTogetherShareRuns) {
  SharedQuery q(PgUrl(), schema_, "SELECT pg_current_snapshot()::text");
  const auto answers = Ask(q, 200, 4);
  for (const std::string& a : answers) EXPECT_FALSE(a.empty());
  EXPECT_GE(q.runs(), 1u);
  EXPECT_LT(q.runs(), 200u);
}

TEST_F(SharedQueryTest, AFailingStatementAnswersEmptyAndTheNextRunWorksAgain) {
  SharedQuery q(PgUrl(), schema_, "SELECT COUNT(*)::text FROM not_yet");
  EXPECT_EQ(Ask(q, 3), (std::vector<std::string>{"", "", ""}));
  ASSERT_TRUE(admin_->ExecScript("CREATE TABLE not_yet (id INTEGER)"));
  // Opened again at most once a second: within a few seconds the statement is prepared anew.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string a;
  while (a.empty() && std::chrono::steady_clock::now() < deadline) {
    a = Ask(q, 1)[0];
    if (a.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(a, "0");
}

TEST(SharedQueryUnreachable, AnswersEmptyWithoutWaitingForTheServer) {
  SharedQuery q("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "", "SELECT 1");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Ask(q, 5), (std::vector<std::string>{"", "", "", "", ""}));
  // Within the reconnect pause the next callers are answered at once.
  EXPECT_EQ(Ask(q, 5), (std::vector<std::string>{"", "", "", "", ""}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace kinora::pg
