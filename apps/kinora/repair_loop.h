// The crash-repair component: one thread that runs the outbox relay every second and the
// reconciler at start and then every KINORA_RECONCILE_SECONDS (kinora/videos/outbox_relay.h,
// kinora/videos/reconciler.h). Runs in the role that owns uploads (uploader, and so serve).
// Thread safety: Start/Stop from one thread; RequestStop from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "kinora/videos/outbox_relay.h"
#include "kinora/videos/reconciler.h"

namespace kinora::app {

class RepairLoop {
 public:
  RepairLoop(catalog::Catalog& catalog, storage::ObjectStore& store, queue::JobQueue& queue,
             std::chrono::seconds interval, videos::ReconcilerOptions options)
      : relay_(catalog, queue), reconciler_(catalog, store, queue, options), interval_(interval) {}
  ~RepairLoop() { Stop(); }
  RepairLoop(const RepairLoop&) = delete;
  RepairLoop& operator=(const RepairLoop&) = delete;

  void Start();
  void RequestStop();
  void Stop();

 private:
  void Run();

  videos::OutboxRelay relay_;
  videos::Reconciler reconciler_;
  std::chrono::seconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace kinora::app
