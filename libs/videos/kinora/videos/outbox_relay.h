// The outbox relay: publishes the processing jobs waiting in the catalog's outbox (written in
// the same transaction as their video's row, catalog.h) to the job queue, and removes each once
// the queue has it. A failed send is retried with exponential backoff (5 s doubling to 5 min).
// The uploader normally publishes a new job itself at once; the relay picks up what a crash or
// a queue outage left behind. Several relays may run (split mode): claims keep them apart, and
// a duplicate job is harmless because jobs are idempotent.
// Thread safety: RunOnce may be called from any one thread at a time.
#pragma once

#include <chrono>

#include "kinora/catalog/catalog.h"
#include "kinora/queue/job_queue.h"

namespace kinora::videos {

struct RelayPass {
  int published = 0;
  int deferred = 0;  // sends that failed; retried later
};

class OutboxRelay {
 public:
  OutboxRelay(catalog::Catalog& catalog, queue::JobQueue& queue)
      : catalog_(catalog), queue_(queue) {}

  // Publishes every due entry (in batches). An error only when the catalog cannot be read.
  Result<RelayPass> RunOnce();

  // The wait before the next attempt after `attempts` failed ones.
  static std::chrono::seconds Backoff(int attempts);

 private:
  catalog::Catalog& catalog_;
  queue::JobQueue& queue_;
};

}  // namespace kinora::videos
