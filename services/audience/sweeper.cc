#include "kinora/audience/sweeper.h"

#include "kinora/core/log.h"

namespace kinora::audience {

Sweeper::Sweeper(AudienceStore& store, std::chrono::seconds interval, SweepPolicy policy,
                 std::function<int64_t()> now_ms)
    : store_(store), interval_(interval), policy_(policy), now_ms_(std::move(now_ms)) {
  thread_ = std::thread([this] { Run(); });
}

Sweeper::~Sweeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<SweepReport> Sweeper::SweepOnce() {
  const int64_t now = now_ms_ ? now_ms_()
                              : std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
  return store_.Sweep(now, policy_);
}

void Sweeper::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    auto r = SweepOnce();
    if (!r) {
      log::Warn("audience sweep failed", {{"error", r.error().message}});
    } else if (r->finalised + r->sessions_deleted + r->salts_deleted + r->viewer_keys_deleted > 0) {
      log::Info("audience sweep", {{"finalised", std::to_string(r->finalised)},
                                   {"sessions_deleted", std::to_string(r->sessions_deleted)},
                                   {"salts_deleted", std::to_string(r->salts_deleted)},
                                   {"viewer_keys_deleted", std::to_string(r->viewer_keys_deleted)},
                                   {"dedupe_deleted", std::to_string(r->dedupe_deleted)}});
    }
    lock.lock();
  }
}

}  // namespace kinora::audience
