// The reconciler: repairs what a crash (kill -9, power loss) can leave between a video's homes,
// run at start and then periodically by the role that owns uploads. One pass:
//   - a row in UPLOADED or PROCESSING older than `stuck_grace`, with no job waiting in the
//     outbox and no job anywhere in the queue (nothing visible, in flight or delayed, so no
//     job can be carrying it), gets its job again through the outbox;
//   - a row without metadata/{id}.json gets its mirror written;
//   - a row whose views or likes changed since its mirror was last written gets it rewritten,
//     so `kinora reindex` restores counters (to within one pass);
//   - an original (videos/{id}.{ext}) with neither row nor mirror, older than `orphan_grace`,
//     is the leftover of an upload cut short before its row, and is removed;
//   - objects of a video the catalog remembers deleting (its tombstone) are removed: a delete
//     that was cut short is finished.
// A mirror or original of a video the catalog has never heard of, with a mirror, is left alone
// and counted: it needs `kinora reindex`, not deletion (the catalog may be new or restored).
// Cost: one listing of the catalog and of the metadata/ and videos/ prefixes per pass.
// Thread safety: RunOnce from one thread at a time.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>

#include "kinora/catalog/catalog.h"
#include "kinora/core/time.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"

namespace kinora::videos {

struct ReconcilerOptions {
  std::chrono::seconds stuck_grace{600};    // a pending video's job may be that late
  std::chrono::seconds orphan_grace{3600};  // an upload may take that long to get its row
};

struct ReconcilePass {
  int requeued = 0;           // pending videos given their job again
  int mirrors_written = 0;    // missing mirrors
  int counters_mirrored = 0;  // mirrors rewritten for new views or likes
  int originals_removed = 0;  // originals with no row and no mirror
  int deletes_finished = 0;   // objects of tombstoned videos removed
  int unindexed = 0;          // mirrors with no row and no tombstone (need kinora reindex)
};

class Reconciler {
 public:
  Reconciler(catalog::Catalog& catalog, storage::ObjectStore& store, queue::JobQueue& queue,
             ReconcilerOptions options)
      : catalog_(catalog), store_(store), queue_(queue), options_(options) {}

  // One pass as of `now`. An error when the catalog, the store or the queue cannot be listed;
  // single repairs that fail are logged and retried next pass.
  Result<ReconcilePass> RunOnce(SysTime now);

 private:
  catalog::Catalog& catalog_;
  storage::ObjectStore& store_;
  queue::JobQueue& queue_;
  ReconcilerOptions options_;
  // The counters each mirror was last written with by this process (views, likes).
  std::map<std::string, std::pair<int64_t, int64_t>> mirrored_counts_;
};

}  // namespace kinora::videos
