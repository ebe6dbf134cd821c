#include "kinora/videos/outbox_relay.h"

#include <algorithm>

#include "kinora/core/log.h"

namespace kinora::videos {

namespace {

constexpr int kBatch = 50;
// How long a claimed entry stays hidden from other relays while this one sends it.
constexpr std::chrono::seconds kClaimLease{30};

}  // namespace

std::chrono::seconds OutboxRelay::Backoff(int attempts) {
  return std::min(std::chrono::seconds(300),
                  std::chrono::seconds(int64_t{5} << std::clamp(attempts, 0, 6)));
}

Result<RelayPass> OutboxRelay::RunOnce() {
  RelayPass pass;
  for (;;) {
    KINORA_TRY(std::vector<catalog::OutboxEntry> due, catalog_.ClaimDueJobs(kBatch, kClaimLease));
    for (const catalog::OutboxEntry& e : due) {
      if (auto sent = queue_.Send(e.body); !sent) {
        const auto wait = Backoff(e.attempts);
        (void)catalog_.JobDeferred(e.id, wait, sent.error().message);
        log::Warn("cannot publish a job from the outbox; will retry",
                  {{"video_id", e.video_id},
                   {"error", sent.error().message},
                   {"retry_seconds", std::to_string(wait.count())}});
        ++pass.deferred;
        continue;
      }
      // If this fails the entry is published again after its claim lapses: a duplicate job.
      (void)catalog_.JobPublished(e.id);
      ++pass.published;
    }
    if (static_cast<int>(due.size()) < kBatch || pass.deferred > 0) break;
  }
  if (pass.published > 0) {
    log::Info("published jobs from the outbox", {{"jobs", std::to_string(pass.published)}});
  }
  return pass;
}

}  // namespace kinora::videos
