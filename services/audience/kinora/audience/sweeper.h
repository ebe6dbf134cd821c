// The audience sweeper: a thread that, every interval (KINORA_AUDIENCE_SWEEP_SECONDS), finalises
// views silent for 30 minutes, deletes view sessions older than the retention
// (KINORA_ANALYTICS_RETENTION_DAYS), salts older than 48 hours and dedupe keys of past hours
// (AudienceStore::Sweep). Several replicas may sweep at once: the store makes that safe.
// Thread safety: construct and destroy on one thread; the loop runs on its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "kinora/audience/store.h"

namespace kinora::audience {

class Sweeper {
 public:
  // Starts the thread; the first sweep runs after one interval.
  Sweeper(AudienceStore& store, std::chrono::seconds interval, SweepPolicy policy,
          std::function<int64_t()> now_ms = {});
  ~Sweeper();  // stops and joins
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  // One sweep now (also what the thread runs).
  Result<SweepReport> SweepOnce();

 private:
  void Run();

  AudienceStore& store_;
  std::chrono::seconds interval_;
  SweepPolicy policy_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace kinora::audience
