#include "group_commit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>

namespace kinora::catalog {

TEST(GroupCommit, EveryCallerGetsItsOwnExactValueAndBatchesForm) {
  std::map<std::string, int64_t> counts;  // touched only by the running batch
  std::atomic<int> batches{0};
  GroupCommit gc([&](const std::vector<CounterOp*>& ops) {
    ++batches;
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // a commit takes time
    for (CounterOp* op : ops) op->result = ++counts[std::string(op->video_id)];
  });
  constexpr int kThreads = 16, kEach = 200;
  std::vector<std::vector<int64_t>> seen(kThreads);
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) seen[t].push_back(gc.Submit("v", true).value());
    });
  }
  for (auto& t : ts) t.join();
  std::set<int64_t> all;
  for (auto& s : seen) all.insert(s.begin(), s.end());
  EXPECT_EQ(all.size(), size_t{kThreads * kEach});  // 1..N, each handed out once
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  EXPECT_LT(batches.load(), kThreads * kEach);  // concurrent callers shared commits
}

TEST(GroupCommit, FailuresReachTheirCallers) {
  GroupCommit gc([](const std::vector<CounterOp*>& ops) {
    for (CounterOp* op : ops) {
      if (op->video_id == "missing")
        op->result = MakeError(ErrorCode::kNotFound, "no");
      else
        op->result = int64_t{7};
    }
  });
  EXPECT_EQ(gc.Submit("missing", true).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(gc.Submit("x", false).value(), 7);
}

}  // namespace kinora::catalog
