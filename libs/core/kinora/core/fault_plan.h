// FaultPlan: which calls of a decorated interface should fail, for tests of failure paths
// (the fault-injecting ObjectStore and JobQueue decorators share it). Operations are numbered
// per kind from 0 in the order they are made; a planned fault replaces that one call.
// Thread safety: all methods may be called from many threads at once.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "kinora/core/error.h"

namespace kinora {

template <class Op>
class FaultPlan {
 public:
  // The call of `op` numbered `nth` (0-based) fails with `error`.
  void FailAt(Op op, int nth, Error error) {
    std::lock_guard lock(mu_);
    faults_[{op, nth}] = std::move(error);
  }
  // Forgets planned faults and counts.
  void Reset() {
    std::lock_guard lock(mu_);
    faults_.clear();
    counts_.clear();
  }
  // Counts one call of `op`; the error it must fail with, if one was planned.
  std::optional<Error> Next(Op op) {
    std::lock_guard lock(mu_);
    const int n = counts_[op]++;
    auto it = faults_.find({op, n});
    if (it == faults_.end()) return std::nullopt;
    return it->second;
  }
  int calls(Op op) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(op);
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<Op, int> counts_;
  std::map<std::pair<Op, int>, Error> faults_;
};

// The error injected when a test does not name one: a dependency that is down.
inline Error InjectedFault() { return MakeError(ErrorCode::kUnavailable, "injected fault"); }

}  // namespace kinora
