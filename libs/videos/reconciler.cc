#include "kinora/videos/reconciler.h"

#include <algorithm>
#include <set>
#include <vector>

#include "kinora/core/log.h"
#include "kinora/videos/job.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"

namespace kinora::videos {

namespace {

// Every key under `prefix` with its last-modified time.
Result<std::map<std::string, SysTime>> ListKeys(storage::ObjectStore& store,
                                                std::string_view prefix) {
  std::map<std::string, SysTime> keys;
  std::string after;
  for (;;) {
    KINORA_TRY(storage::ListPage page, store.List(prefix, after, 1000));
    for (const auto& o : page.objects) keys.emplace(o.key, o.last_modified);
    if (!page.next) break;
    after = *page.next;
  }
  return keys;
}

// Whether the mirror of video `id` (which exists) holds other counters than `counts` (views,
// likes): asked once per video and process, when this process has not written that mirror
// itself. Reading a mirror costs far less than rewriting it, and a restart of a library of
// 100,000 viewed videos would otherwise rewrite (and sync) every mirror. A mirror that cannot be
// read is rewritten.
bool MirrorCountsDiffer(Library& library, const std::string& id,
                        std::pair<int64_t, int64_t> counts) {
  if (counts == std::pair<int64_t, int64_t>{0, 0}) return false;  // a fresh mirror says 0 too
  auto mirrored = library.ReadMirror(MetadataKey(id));
  return !mirrored || mirrored->views != counts.first || mirrored->likes != counts.second;
}

bool Pending(catalog::VideoStatus s) {
  return s == catalog::VideoStatus::kUploaded || s == catalog::VideoStatus::kProcessing;
}

}  // namespace

Result<std::vector<catalog::VideoRecord>> Reconciler::ReadRows() {
  std::vector<catalog::VideoRecord> rows;
  catalog::ListQuery q;
  q.limit = 500;
  q.known = [this](const catalog::RowHead& h) { return Unchanged(h.video_id, h.row_version); };
  for (;;) {
    KINORA_TRY(catalog::ListPage page, catalog_.List(q));
    if (rows.empty()) rows.reserve(static_cast<size_t>(std::max<int64_t>(page.total, 0)));
    for (auto& v : page.videos) rows.push_back(std::move(v));
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  return rows;
}

bool Reconciler::Unchanged(std::string_view video_id, int64_t row_version) const {
  auto it = known_.find(video_id);
  return it != known_.end() && row_version != 0 && it->second.row_version == row_version;
}

Result<ReconcilePass> Reconciler::RunOnce(SysTime now) {
  ReconcilePass pass;
  Library library(catalog_, store_);
  // Rows first: an upload finishing during the pass then shows as an original without a row
  // (protected by the grace period), never as a row whose objects are judged orphans.
  KINORA_TRY(std::vector<catalog::VideoRecord> rows, ReadRows());
  KINORA_TRY(auto mirrors, ListKeys(store_, kMetadataPrefix));
  KINORA_TRY(auto originals, ListKeys(store_, "videos/"));
  KINORA_TRY(queue::QueueStats qs, queue_.Stats());
  const bool queue_empty = qs.visible + qs.in_flight + qs.delayed == 0;
  ++pass_number_;

  for (catalog::VideoRecord& v : rows) {
    const bool head_only = Unchanged(v.video_id, v.row_version);
    KnownRow& k = known_[v.video_id];
    if (!head_only) {
      k.row_version = v.row_version;
      k.status = v.status;
      k.uploaded_at = v.uploaded_at;
      k.counts = {v.views, v.likes};
    }
    k.seen_in_pass = pass_number_;
    // The whole row, read now when the listing gave only its head (rarely needed).
    auto whole = [&]() -> Result<catalog::VideoRecord> {
      if (!head_only) return v;
      return catalog_.Get(v.video_id);
    };
    const bool has_mirror = mirrors.count(MetadataKey(v.video_id)) > 0;
    if (has_mirror && !k.mirrored && !MirrorCountsDiffer(library, v.video_id, k.counts)) {
      k.mirrored = k.counts;
    }
    if (!has_mirror || k.mirrored != k.counts) {
      auto row = whole();
      auto r = row ? library.WriteMirror(*row) : Result<void>(row.error());
      if (r) {
        k.mirrored = std::pair<int64_t, int64_t>{row->views, row->likes};
        ++(has_mirror ? pass.counters_mirrored : pass.mirrors_written);
      } else if (r.error().code != ErrorCode::kNotFound) {
        log::Warn("cannot rewrite a metadata mirror",
                  {{"video_id", v.video_id}, {"error", r.error().message}});
      }
    }
    if (Pending(k.status) && queue_empty && now - k.uploaded_at > options_.stuck_grace) {
      auto waiting = catalog_.HasPendingJob(v.video_id);
      auto row = waiting && !*waiting ? whole() : Result<catalog::VideoRecord>(NotFound(""));
      if (row && Pending(row->status)) {
        if (auto r = catalog_.AddJob(row->video_id, ToJsonText(JobFor(*row, row->correlation_id)));
            r) {
          ++pass.requeued;
          log::Warn("a pending video had no job; queued it again",
                    {{"video_id", row->video_id}, {"status", std::string(ToString(row->status))}});
        }
      }
    }
  }
  rows.clear();
  std::erase_if(known_, [&](const auto& e) { return e.second.seen_in_pass != pass_number_; });
  auto has_row = [&](const std::string& id) { return known_.contains(id); };

  // Objects of videos without a row.
  std::set<std::string> handled;
  auto finish_delete = [&](const std::string& id, const std::string& original_key) {
    if (!handled.insert(id).second) return;
    bool ok = true;
    if (!original_key.empty()) ok = ok && store_.Delete(original_key).has_value();
    ok = ok && store_.Delete(ThumbnailKey(id)).has_value();
    ok = ok && storage::DeletePrefix(store_, ProcessedPrefix(id)).has_value();
    ok = ok && store_.Delete(MetadataKey(id)).has_value();  // last, as Library::Delete
    if (ok) {
      ++pass.deletes_finished;
      log::Info("finished the delete of a video", {{"video_id", id}});
    }
  };
  for (const auto& [key, modified] : originals) {
    auto id = VideoIdOfMediaKey(key);
    if (!id || has_row(*id)) continue;
    auto deleted = catalog_.WasDeleted(*id);
    if (!deleted) continue;
    if (*deleted) {
      finish_delete(*id, key);
    } else if (mirrors.count(MetadataKey(*id)) == 0 && now - modified > options_.orphan_grace) {
      if (store_.Delete(key)) {
        ++pass.originals_removed;
        log::Info("removed an original no upload finished", {{"video_id", *id}, {"key", key}});
      }
    }
  }
  for (const auto& [key, modified] : mirrors) {
    auto id = VideoIdOfMetadataKey(key);
    if (!id || has_row(*id) || handled.count(*id)) continue;
    auto deleted = catalog_.WasDeleted(*id);
    if (!deleted) continue;
    if (*deleted) {
      finish_delete(*id, "");
    } else {
      ++pass.unindexed;
    }
  }
  if (pass.unindexed > 0) {
    log::Warn("videos in the store are missing from the catalog; run `kinora reindex`",
              {{"videos", std::to_string(pass.unindexed)}});
  }
  return pass;
}

}  // namespace kinora::videos
