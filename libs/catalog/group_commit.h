// Group commit for counter increments: concurrent callers queue their increment; whichever
// caller finds no batch running becomes the leader and applies every queued increment in one
// transaction, then wakes the others with their own results. Each caller returns only after
// the transaction holding its increment committed, so answers stay exact and durable while a
// burst of N views costs one commit instead of N.
// Thread safety: Submit() may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::catalog {

struct CounterOp {
  std::string_view video_id;
  bool views = true;                    // false: likes
  Result<int64_t> result = int64_t{0};  // set by the batch runner
  bool done = false;                    // guarded by GroupCommit's mutex
};

class GroupCommit {
 public:
  // Applies a batch: must set every op's result (a failed transaction fails them all).
  using RunBatch = std::function<void(const std::vector<CounterOp*>&)>;
  explicit GroupCommit(RunBatch run) : run_(std::move(run)) {}

  Result<int64_t> Submit(std::string_view video_id, bool views);

 private:
  RunBatch run_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CounterOp*> pending_;
  bool leader_ = false;
};

}  // namespace kinora::catalog
