#include "repair_loop.h"

#include "kinora/core/log.h"

namespace kinora::app {

void RepairLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RepairLoop::RequestStop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void RepairLoop::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

void RepairLoop::Run() {
  using Clock = std::chrono::steady_clock;
  auto next_reconcile = Clock::now();  // at start, then every interval
  for (;;) {
    if (Clock::now() >= next_reconcile) {
      auto pass = reconciler_.RunOnce(std::chrono::system_clock::now());
      if (!pass) {
        log::Warn("reconciliation failed; will retry", {{"error", pass.error().message}});
      } else if (pass->requeued + pass->mirrors_written + pass->originals_removed +
                     pass->deletes_finished >
                 0) {
        log::Info("reconciled", {{"requeued", std::to_string(pass->requeued)},
                                 {"mirrors_written", std::to_string(pass->mirrors_written)},
                                 {"originals_removed", std::to_string(pass->originals_removed)},
                                 {"deletes_finished", std::to_string(pass->deletes_finished)}});
      }
      next_reconcile = Clock::now() + interval_;
    }
    if (auto r = relay_.RunOnce(); !r) {
      log::Warn("the outbox relay cannot read the catalog", {{"error", r.error().message}});
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
  }
}

}  // namespace kinora::app
