#include "kinora/queue/job_queue_contract.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kinora::queue::testing {

void JobQueueContract::SetUp() {
  instance_ = GetParam().make();
  ASSERT_NE(instance_.queue, nullptr);
}

void JobQueueContract::TearDown() {
  instance_.queue.reset();
  if (instance_.teardown) instance_.teardown();
}

void JobQueueContract::ExpectStaleDelete(std::string_view receipt_handle) {
  auto r = queue().Delete(receipt_handle);
  if (GetParam().reports_stale_deletes) {
    ASSERT_FALSE(r) << "Delete of a stale receipt handle unexpectedly succeeded";
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound) << r.error().message;
  } else {
    EXPECT_TRUE(r) << r.error().message;
  }
}

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

#define EXPECT_CODE(expr, want)                                                \
  do {                                                                         \
    auto r_ = (expr);                                                          \
    ASSERT_FALSE(r_) << #expr << " unexpectedly succeeded";                    \
    EXPECT_EQ(r_.error().code, (want)) << #expr << ": " << r_.error().message; \
  } while (0)

// Receives exactly one message, waiting up to `wait`; fails the test otherwise.
Message ReceiveOne(JobQueue& q, Seconds wait, Seconds visibility) {
  auto got = q.Receive(1, wait, visibility);
  EXPECT_TRUE(got) << got.error().message;
  if (!got || got->size() != 1) {
    ADD_FAILURE() << "expected one message, got " << (got ? got->size() : 0);
    return {};
  }
  return (*got)[0];
}

TEST_P(JobQueueContract, SendReceiveDelete) {
  const std::string body = R"({"video_id":"abc","original_filename":"clip – ü.mp4"})";
  auto id = queue().Send(body);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_FALSE(id->empty());
  Message m = ReceiveOne(queue(), Seconds{0}, Seconds{30});
  EXPECT_EQ(m.id, *id);
  EXPECT_EQ(m.body, body);
  EXPECT_EQ(m.receive_count, 1);
  EXPECT_FALSE(m.receipt_handle.empty());
  ASSERT_TRUE(queue().Delete(m.receipt_handle));
  ExpectStaleDelete(m.receipt_handle);
  auto none = queue().Receive(1, Seconds{0}, Seconds{30});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->visible + stats->in_flight + stats->delayed + stats->dead, 0);
}

TEST_P(JobQueueContract, InvisibleDuringVisibilityThenRedelivered) {
  ASSERT_TRUE(queue().Send("job"));
  Message first = ReceiveOne(queue(), Seconds{0}, Seconds{1});
  auto hidden = queue().Receive(1, Seconds{0}, Seconds{30});
  ASSERT_TRUE(hidden);
  EXPECT_TRUE(hidden->empty());
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->in_flight, 1);
  EXPECT_EQ(stats->visible, 0);

  Message second = ReceiveOne(queue(), Seconds{5}, Seconds{30});
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.receive_count, 2);
  EXPECT_NE(second.receipt_handle, first.receipt_handle);
  EXPECT_CODE(queue().ChangeVisibility(first.receipt_handle, Seconds{0}), ErrorCode::kNotFound);
  ExpectStaleDelete(first.receipt_handle);
  EXPECT_TRUE(queue().Delete(second.receipt_handle));
}

TEST_P(JobQueueContract, ChangeVisibilityZeroMakesVisibleAtOnce) {
  ASSERT_TRUE(queue().Send("job"));
  Message first = ReceiveOne(queue(), Seconds{0}, Seconds{60});
  ASSERT_TRUE(queue().ChangeVisibility(first.receipt_handle, Seconds{0}));
  Message second = ReceiveOne(queue(), Seconds{2}, Seconds{60});
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.receive_count, 2);
  EXPECT_TRUE(queue().ChangeVisibility(second.receipt_handle, Seconds{120}));  // extend a lease
  auto hidden = queue().Receive(1, Seconds{0}, Seconds{30});
  ASSERT_TRUE(hidden);
  EXPECT_TRUE(hidden->empty());
}

TEST_P(JobQueueContract, LongPollReturnsWhenAMessageArrives) {
  std::thread sender([this] {
    std::this_thread::sleep_for(milliseconds(300));
    EXPECT_TRUE(queue().Send("late"));
  });
  auto start = Clock::now();
  auto got = queue().Receive(1, Seconds{15}, Seconds{30});
  auto elapsed = Clock::now() - start;
  sender.join();
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "late");
  EXPECT_LT(elapsed, Seconds{5});  // generous: woken by the send, not by the 15 s timeout
}

TEST_P(JobQueueContract, EmptyReceiveWaitsThenReturnsNothing) {
  auto start = Clock::now();
  auto got = queue().Receive(3, Seconds{1}, Seconds{30});
  auto elapsed = Clock::now() - start;
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_TRUE(got->empty());
  EXPECT_GE(elapsed, milliseconds(500));  // it did poll rather than return at once
}

TEST_P(JobQueueContract, DeadLetterAfterMaxReceives) {
  auto id = queue().Send("poison");
  ASSERT_TRUE(id);
  for (int i = 1; i <= kContractMaxReceives; ++i) {
    Message m = ReceiveOne(queue(), Seconds{2}, Seconds{0});
    EXPECT_EQ(m.receive_count, i);
  }
  auto none = queue().Receive(1, Seconds{1}, Seconds{0});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->dead, 1);
  EXPECT_EQ(stats->visible + stats->in_flight + stats->delayed, 0);
  auto dead = queue().DeadLetters(10);
  ASSERT_TRUE(dead) << dead.error().message;
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].id, *id);
  EXPECT_EQ((*dead)[0].body, "poison");
  // At least max_receives: SQS keeps counting receives in the dead-letter queue.
  EXPECT_GE((*dead)[0].receive_count, kContractMaxReceives);
}

TEST_P(JobQueueContract, DelayedSendBecomesVisibleLater) {
  ASSERT_TRUE(queue().Send("later", Seconds{1}));
  auto early = queue().Receive(1, Seconds{0}, Seconds{30});
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->delayed, 1);
  EXPECT_EQ(stats->visible, 0);
  Message m = ReceiveOne(queue(), Seconds{5}, Seconds{30});
  EXPECT_EQ(m.body, "later");
  EXPECT_EQ(m.receive_count, 1);
}

TEST_P(JobQueueContract, StatsCountEachState) {
  ASSERT_TRUE(queue().Send("a"));
  ASSERT_TRUE(queue().Send("b"));
  ASSERT_TRUE(queue().Send("c", Seconds{60}));
  ReceiveOne(queue(), Seconds{0}, Seconds{60});
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->visible, 1);
  EXPECT_EQ(stats->in_flight, 1);
  EXPECT_EQ(stats->delayed, 1);
  EXPECT_EQ(stats->dead, 0);
  EXPECT_TRUE(queue().Ping());
  EXPECT_FALSE(queue().Describe().empty());
}

TEST_P(JobQueueContract, ConcurrentReceiversGetEachMessageOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(queue().Send("m-" + std::to_string(t) + "-" + std::to_string(i)));
      }
    });
  }
  for (auto& th : threads) th.join();
  threads.clear();

  std::mutex mu;
  std::map<std::string, int> seen;  // body -> deliveries
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (;;) {
        auto got = queue().Receive(10, Seconds{1}, Seconds{60});
        if (!got) {
          ADD_FAILURE() << got.error().message;
          return;
        }
        if (got->empty()) return;  // everything was sent before we started: all leased
        for (const Message& m : *got) {
          EXPECT_TRUE(queue().Delete(m.receipt_handle));
          std::lock_guard lock(mu);
          ++seen[m.body];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const auto& [body, n] : seen) EXPECT_EQ(n, 1) << body;
}

TEST_P(JobQueueContract, InterruptWakesWaitingReceiver) {
  Clock::duration elapsed{};
  std::thread receiver([&] {
    auto start = Clock::now();
    auto got = queue().Receive(1, Seconds{20}, Seconds{30});
    elapsed = Clock::now() - start;
    EXPECT_TRUE(got);
    if (got) {
      EXPECT_TRUE(got->empty());
    }
  });
  std::this_thread::sleep_for(milliseconds(200));
  queue().Interrupt();
  receiver.join();
  EXPECT_LT(elapsed, Seconds{5});
  auto start = Clock::now();
  auto later = queue().Receive(1, Seconds{20}, Seconds{30});
  EXPECT_LT(Clock::now() - start, Seconds{5});  // later waits return early too
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->empty());
}

TEST_P(JobQueueContract, ValidatesArguments) {
  const auto kInvalid = ErrorCode::kInvalidArgument;
  EXPECT_CODE(queue().Receive(0, Seconds{0}, Seconds{30}), kInvalid);
  EXPECT_CODE(queue().Receive(11, Seconds{0}, Seconds{30}), kInvalid);
  EXPECT_CODE(queue().Receive(1, Seconds{-1}, Seconds{30}), kInvalid);
  EXPECT_CODE(queue().Receive(1, Seconds{21}, Seconds{30}), kInvalid);
  EXPECT_CODE(queue().Receive(1, Seconds{0}, Seconds{-1}), kInvalid);
  EXPECT_CODE(queue().Receive(1, Seconds{0}, Seconds{12 * 3600 + 1}), kInvalid);
  EXPECT_CODE(queue().Send(std::string(256 * 1024 + 1, 'x')), ErrorCode::kTooLarge);
  EXPECT_CODE(queue().Send(""), kInvalid);
  EXPECT_CODE(queue().Send("x", Seconds{-1}), kInvalid);
  EXPECT_CODE(queue().Send("x", Seconds{901}), kInvalid);
  EXPECT_CODE(queue().DeadLetters(0), kInvalid);

  ASSERT_TRUE(queue().Send(std::string(256 * 1024, 'x')));  // exactly the limit
  Message m = ReceiveOne(queue(), Seconds{0}, Seconds{30});
  EXPECT_EQ(m.body.size(), 256u * 1024u);
  EXPECT_CODE(queue().ChangeVisibility(m.receipt_handle, Seconds{12 * 3600 + 1}), kInvalid);
  EXPECT_CODE(queue().ChangeVisibility(m.receipt_handle, Seconds{-1}), kInvalid);
  ASSERT_TRUE(queue().Delete(m.receipt_handle));
  EXPECT_CODE(queue().ChangeVisibility(m.receipt_handle, Seconds{10}), ErrorCode::kNotFound);
  auto bogus = queue().Delete("not-a-receipt");
  if (GetParam().reports_stale_deletes) {
    ASSERT_FALSE(bogus);
    EXPECT_TRUE(bogus.error().code == ErrorCode::kNotFound || bogus.error().code == kInvalid)
        << bogus.error().message;
  }
}

}  // namespace
}  // namespace kinora::queue::testing
