#include "kinora/videos/reconciler.h"

#include <iterator>
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

Result<std::vector<catalog::VideoRecord>> AllRows(catalog::Catalog& cat) {
  std::vector<catalog::VideoRecord> rows;
  catalog::ListQuery q;
  q.limit = 100;
  for (;;) {
    KINORA_TRY(catalog::ListPage page, cat.List(q));
    for (auto& v : page.videos) rows.push_back(std::move(v));
    if (!page.next_cursor) break;
    q.cursor = *page.next_cursor;
  }
  return rows;
}

// Whether the mirror of `v` (which exists) holds other counters than the row: asked once per
// video and process, when this process has not written that mirror itself. Reading a mirror
// costs far less than rewriting it, and a restart of a library of 100,000 viewed videos would
// otherwise rewrite (and sync) every mirror. A mirror that cannot be read is rewritten.
bool MirrorCountsDiffer(Library& library, const catalog::VideoRecord& v) {
  if (v.views == 0 && v.likes == 0) return false;  // a fresh mirror says 0 too
  auto mirrored = library.ReadMirror(MetadataKey(v.video_id));
  return !mirrored || mirrored->views != v.views || mirrored->likes != v.likes;
}

bool Pending(catalog::VideoStatus s) {
  return s == catalog::VideoStatus::kUploaded || s == catalog::VideoStatus::kProcessing;
}

}  // namespace

Result<ReconcilePass> Reconciler::RunOnce(SysTime now) {
  ReconcilePass pass;
  Library library(catalog_, store_);
  // Rows first: an upload finishing during the pass then shows as an original without a row
  // (protected by the grace period), never as a row whose objects are judged orphans.
  KINORA_TRY(std::vector<catalog::VideoRecord> rows, AllRows(catalog_));
  KINORA_TRY(auto mirrors, ListKeys(store_, kMetadataPrefix));
  KINORA_TRY(auto originals, ListKeys(store_, "videos/"));
  KINORA_TRY(queue::QueueStats qs, queue_.Stats());
  const bool queue_empty = qs.visible + qs.in_flight + qs.delayed == 0;

  std::set<std::string> ids;
  for (const catalog::VideoRecord& v : rows) {
    ids.insert(v.video_id);
    const bool has_mirror = mirrors.count(MetadataKey(v.video_id)) > 0;
    const std::pair<int64_t, int64_t> counts{v.views, v.likes};
    auto known = mirrored_counts_.find(v.video_id);
    const bool counts_moved = known == mirrored_counts_.end()
                                  ? has_mirror && MirrorCountsDiffer(library, v)
                                  : known->second != counts;
    if (!has_mirror || counts_moved) {
      if (auto r = library.WriteMirror(v); r) {
        mirrored_counts_[v.video_id] = counts;
        ++(has_mirror ? pass.counters_mirrored : pass.mirrors_written);
      } else if (r.error().code != ErrorCode::kNotFound) {
        log::Warn("cannot rewrite a metadata mirror",
                  {{"video_id", v.video_id}, {"error", r.error().message}});
      }
    } else if (known == mirrored_counts_.end()) {
      mirrored_counts_[v.video_id] = counts;
    }
    if (Pending(v.status) && queue_empty && now - v.uploaded_at > options_.stuck_grace) {
      auto waiting = catalog_.HasPendingJob(v.video_id);
      if (waiting && !*waiting) {
        if (auto r = catalog_.AddJob(v.video_id, ToJsonText(JobFor(v, v.correlation_id))); r) {
          ++pass.requeued;
          log::Warn("a pending video had no job; queued it again",
                    {{"video_id", v.video_id}, {"status", std::string(ToString(v.status))}});
        }
      }
    }
  }
  for (auto it = mirrored_counts_.begin(); it != mirrored_counts_.end();) {
    it = ids.count(it->first) ? std::next(it) : mirrored_counts_.erase(it);
  }

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
    if (!id || ids.count(*id)) continue;
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
    if (!id || ids.count(*id) || handled.count(*id)) continue;
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
