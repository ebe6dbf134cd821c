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
// Cost: one listing of the catalog and of the metadata/ and videos/ prefixes per pass. A row
// unchanged since the last pass (the same row_version) is listed by its head only, and what the
// pass needs of it comes from what it remembers; whole rows are read for the rest.
// Thread safety: RunOnce from one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
  // What the last pass read of a row, and the counters (views, likes) its mirror holds as far as
  // this process knows (written by it, or read back).
  struct KnownRow {
    int64_t row_version = 0;
    catalog::VideoStatus status = catalog::VideoStatus::kUploaded;
    SysTime uploaded_at{};
    std::pair<int64_t, int64_t> counts;
    std::optional<std::pair<int64_t, int64_t>> mirrored;
    uint64_t seen_in_pass = 0;
  };
  struct IdHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Every row: changed ones whole, the others as heads (their video_id and row_version).
  Result<std::vector<catalog::VideoRecord>> ReadRows();
  // Whether the row is as the last pass read it (then ReadRows gives only its head).
  bool Unchanged(std::string_view video_id, int64_t row_version) const;

  std::unordered_map<std::string, KnownRow, IdHash, std::equal_to<>> known_;
  uint64_t pass_number_ = 0;
};

}  // namespace kinora::videos
