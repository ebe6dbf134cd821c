#include "kinora/queue/sqlite_queue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kinora/queue/fault_injection.h"
#include "kinora/queue/job_queue_contract.h"

namespace kinora::queue {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path FreshDir() {
  static std::atomic<int> counter{0};
  fs::path dir = fs::path(::testing::TempDir()) /
                 ("kinora-queue-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

testing::QueueInstance MakeSqlite() {
  fs::path dir = FreshDir();
  auto q = NewSqliteQueue(dir / "queue.db", {.max_receives = testing::kContractMaxReceives});
  EXPECT_TRUE(q) << q.error().message;
  return {q ? std::move(*q) : nullptr, [dir] { fs::remove_all(dir); }};
}

// The fault-injecting decorator with no faults planned must be indistinguishable from its target.
testing::QueueInstance MakeWrappedSqlite() {
  struct Owned final : FaultInjectingQueue {
    explicit Owned(std::unique_ptr<JobQueue> t) : FaultInjectingQueue(*t), inner(std::move(t)) {}
    std::unique_ptr<JobQueue> inner;
  };
  auto inst = MakeSqlite();
  if (!inst.queue) return inst;
  return {std::make_unique<Owned>(std::move(inst.queue)), inst.teardown};
}

using testing::JobQueueContract;
INSTANTIATE_TEST_SUITE_P(Sqlite, JobQueueContract,
                         ::testing::Values(testing::JobQueueBackend{"sqlite", MakeSqlite},
                                           testing::JobQueueBackend{"fault_injecting",
                                                                    MakeWrappedSqlite}),
                         testing::JobQueueBackendName);

TEST(FaultInjectingQueue, FailsThePlannedCallOnly) {
  auto inst = MakeSqlite();
  ASSERT_TRUE(inst.queue);
  FaultInjectingQueue q(*inst.queue);
  q.FailAt(QueueOp::kSend, 1);
  ASSERT_TRUE(q.Send("first"));
  auto second = q.Send("second");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(q.Send("third"));
  EXPECT_EQ(q.calls(QueueOp::kSend), 3);
  auto got = inst.queue->Receive(10, Seconds{0}, Seconds{30});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);  // the target never saw "second"
  inst.queue.reset();
  inst.teardown();
}

class SqliteQueueTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshDir(); }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<JobQueue> Open(int max_receives = 5) {
    auto q = NewSqliteQueue(dir_ / "queue.db", {.max_receives = max_receives});
    EXPECT_TRUE(q) << q.error().message;
    return q ? std::move(*q) : nullptr;
  }

  fs::path dir_;
};

TEST_F(SqliteQueueTest, MessagesSurviveReopen) {
  std::string leased_id;
  {
    auto q = Open();
    ASSERT_TRUE(q);
    ASSERT_TRUE(q->Send("first"));
    ASSERT_TRUE(q->Send("second"));
    auto got = q->Receive(1, Seconds{0}, Seconds{1});
    ASSERT_TRUE(got);
    ASSERT_EQ(got->size(), 1u);
    EXPECT_EQ((*got)[0].body, "first");
    leased_id = (*got)[0].id;
  }  // closed with "first" in flight, as after a crash
  auto q = Open();
  ASSERT_TRUE(q);
  auto now = q->Receive(10, Seconds{0}, Seconds{30});
  ASSERT_TRUE(now);
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].body, "second");
  auto later = q->Receive(1, Seconds{5}, Seconds{30});  // lease expires after ~1 s
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].id, leased_id);
  EXPECT_EQ((*later)[0].receive_count, 2);
}

TEST_F(SqliteQueueTest, ReceiveReturnsUpToMaxInSendOrder) {
  auto q = Open();
  ASSERT_TRUE(q);
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(q->Send("m" + std::to_string(i)));
  auto a = q->Receive(10, Seconds{0}, Seconds{30});
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ((*a)[static_cast<size_t>(i)].body, "m" + std::to_string(i));
  auto b = q->Receive(10, Seconds{0}, Seconds{30});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->size(), 5u);
}

// Dead messages free their places in a batch: the receive still fills it from live ones.
TEST_F(SqliteQueueTest, DeadLetteringDoesNotShortenABatch) {
  auto q = Open(1);
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Send("poison"));
  ASSERT_EQ(q->Receive(1, Seconds{0}, Seconds{0})->size(), 1u);
  ASSERT_TRUE(q->Send("good1"));
  ASSERT_TRUE(q->Send("good2"));
  auto got = q->Receive(2, Seconds{0}, Seconds{30});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].body, "good1");
  EXPECT_EQ((*got)[1].body, "good2");
  EXPECT_EQ(q->Stats()->dead, 1);
}

TEST_F(SqliteQueueTest, TwoInstancesOnOneFileNeverShareAMessage) {
  auto q1 = Open();
  auto q2 = Open();
  ASSERT_TRUE(q1 && q2);
  constexpr int kMessages = 120;
  for (int i = 0; i < kMessages; ++i) ASSERT_TRUE(q1->Send("m" + std::to_string(i)));
  std::mutex mu;
  std::map<std::string, int> seen;
  std::vector<std::thread> threads;
  for (JobQueue* q : {q1.get(), q2.get(), q1.get(), q2.get()}) {
    threads.emplace_back([&, q] {
      for (;;) {
        auto got = q->Receive(5, Seconds{0}, Seconds{60});
        if (!got) {
          ADD_FAILURE() << got.error().message;
          return;
        }
        if (got->empty()) return;
        for (const Message& m : *got) {
          EXPECT_TRUE(q->Delete(m.receipt_handle));
          std::lock_guard lock(mu);
          ++seen[m.id];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kMessages));
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id;
}

TEST_F(SqliteQueueTest, LongPollSeesSendsFromAnotherInstance) {
  auto q1 = Open();
  auto q2 = Open();
  ASSERT_TRUE(q1 && q2);
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(q1->Send("cross"));
  });
  auto start = Clock::now();
  auto got = q2->Receive(1, Seconds{10}, Seconds{30});
  auto elapsed = Clock::now() - start;
  sender.join();
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "cross");
  EXPECT_LT(elapsed, Seconds{5});
}

TEST_F(SqliteQueueTest, RejectsBadOptions) {
  EXPECT_FALSE(NewSqliteQueue(dir_ / "q.db", {.max_receives = 0}));
  EXPECT_FALSE(NewSqliteQueue(dir_ / "q.db", {.max_receives = 1001}));
  std::ofstream(dir_ / "is-a-file") << "x";
  auto under_file = NewSqliteQueue(dir_ / "is-a-file" / "q.db", {});
  ASSERT_FALSE(under_file);
  EXPECT_EQ(under_file.error().code, ErrorCode::kUnavailable) << under_file.error().message;
}

TEST_F(SqliteQueueTest, OpenJobQueueParsesUrls) {
  auto q = OpenJobQueue("sqlite://" + (dir_ / "url.db").string() + "?max_receives=1");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_NE((*q)->Describe().find("max_receives=1"), std::string::npos);
  ASSERT_TRUE((*q)->Send("once"));
  ASSERT_EQ((*q)->Receive(1, Seconds{0}, Seconds{0})->size(), 1u);
  EXPECT_TRUE((*q)->Receive(1, Seconds{0}, Seconds{0})->empty());
  EXPECT_EQ((*q)->Stats()->dead, 1);
  EXPECT_TRUE(OpenJobQueue("sqlite://" + (dir_ / "plain.db").string()));

  // SQS queues are named by their URL, alone or after "sqs:"; anything else is explained.
  for (const char* url : {"sqs://queue", "sqs:ftp://x/y", "ftp://sqs.example/123/jobs"}) {
    auto r = OpenJobQueue(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(r.error().message.find("sqs:"), std::string::npos) << r.error().message;
  }
  // A queue's own URL goes to the SQS backend, which here only lacks credentials.
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  unsetenv("AWS_ROLE_ARN");
  unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  for (const char* url :
       {"https://sqs.eu-west-1.amazonaws.com/123/jobs", "http://127.0.0.1:9324/000/jobs"}) {
    auto r = OpenJobQueue(url);
    ASSERT_FALSE(r) << url;
    EXPECT_NE(r.error().message.find("credentials"), std::string::npos) << r.error().message;
  }
  std::string base = "sqlite://" + (dir_ / "bad.db").string();
  for (const std::string& url :
       {base + "?max_receives=0", base + "?max_receives=1001", base + "?max_receives=abc",
        base + "?max_receives=", base + "?other=1", std::string("sqlite://relative.db"),
        std::string("sqlite:///"), std::string("postgresql://host/db"), std::string("nonsense"),
        std::string("")}) {
    auto r = OpenJobQueue(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << url << ": " << r.error().message;
  }
}

}  // namespace
}  // namespace kinora::queue
