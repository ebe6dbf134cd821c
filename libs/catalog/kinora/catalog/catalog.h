// Catalog: the index of videos and their counters. Every read the API serves comes from here,
// never from listing the object store. Backends: SQLite (embedded default), PostgreSQL
// (scale-out, postgres_catalog.h); chosen by URL through OpenCatalog(). Every backend passes
// catalog_contract.h.
// Thread safety: a Catalog may be used from many threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/catalog/uploads.h"
#include "kinora/catalog/video.h"
#include "kinora/core/error.h"

namespace kinora::catalog {

enum class SortKey { kTimestamp, kViews, kLikes, kEngagement, kDuration, kSize };
std::optional<SortKey> ParseSortKey(std::string_view s);  // "timestamp", "views", ...
std::string_view ToString(SortKey k);                     // the canonical name ParseSortKey takes
// "timestamp, views, likes, engagement, duration, size": every canonical name, for messages.
std::string SortKeyNames();

// Ordering: by the sort key, ties broken by video_id in the same direction; unknown durations
// sort as -1 (first ascending). A cursor is bound to the sort and order that produced it;
// using it with another gives kInvalidArgument.
// Whose eyes a listing or a stats scope is for. The rule is identity::IsListedFor's:
//   kEveryone  no visibility filter (moderators, admins, operators' tools, tests);
//   kAnonymous only 'public' videos;
//   kSignedIn  'public' and 'internal' videos, and every video of viewer_id.
// Visibility values are the lowercase names identity::ToString(Visibility) gives.
enum class Audience { kEveryone, kAnonymous, kSignedIn };

// What a listing reads first of each row: enough for a caller to find a rendering of the row it
// kept from before (valid until the row's next write changes row_version).
struct RowHead {
  std::string_view video_id;
  int64_t row_version = 0;
  std::string_view visibility;
};

struct ListQuery {
  int limit = 20;      // 1–1000 (the seed's range)
  std::string cursor;  // opaque, from a previous page's next_cursor
  int64_t offset = 0;  // used only when cursor is empty
  SortKey sort = SortKey::kTimestamp;
  bool descending = true;
  std::optional<VideoStatus> status;  // filter
  std::string title_query;            // case-insensitive substring of the title
  Audience audience = Audience::kEveryone;
  std::string viewer_id;  // the signed-in viewer (kSignedIn)
  std::string owner_id;   // filter: only this owner's videos (empty: any owner)
  std::string flag;       // filter: only videos whose analysis has this flag code (empty: any)
  // Asked of every row of the page, in order, before the row is read whole: true when the caller
  // needs no more of it, and the page then holds only the head (video_id, row_version and
  // visibility set, every other field default). Empty: every row is read whole. A row it was
  // false for may be read in a later snapshot (PostgreSQL): changed since, it comes back as it
  // is now; deleted since, it leaves the page (so the page's rows are in the order asked, but
  // not always every row asked).
  std::function<bool(const RowHead&)> known = {};
};

// What Stats covers: the whole site, the public videos, or one owner's videos.
struct StatsScope {
  enum Kind { kAll, kPublic, kOwner } kind = kAll;
  std::string owner_id;  // kOwner
};

// What an owner may change about a video (each field only when set). A visibility change bumps
// the video's media_generation, which every signed media URL carries in its MAC: URLs handed
// out before stop working.
struct VideoEdit {
  std::optional<std::string> title, description, visibility;
};

struct LikeResult {
  int64_t likes = 0;   // the video's likes after the call
  bool liked = false;  // whether the user likes it now
};

// Original bytes an owner has stored: in total, and uploaded since `since` (quotas).
struct OwnerUsage {
  int64_t total_bytes = 0;
  int64_t bytes_since = 0;
};

struct ListPage {
  std::vector<VideoRecord> videos;
  std::optional<std::string> next_cursor;  // absent on the last page
  int64_t total = 0;                       // rows matching the filters, ignoring pagination
};

struct DayCount {
  std::string day;  // "2026-11-24" (UTC)
  int64_t count = 0;
};

// Videos of known duration by length. The buckets are fixed: [0, 30 s), [30 s, 2 min),
// [2, 5 min), [5, 15 min), [15, 60 min), [1 h, ∞); Stats returns all six, empty ones included.
inline constexpr double kDurationBucketBounds[] = {30, 120, 300, 900, 3600};
struct DurationBucket {
  double min_seconds = 0;
  std::optional<double> max_seconds;  // exclusive; absent for the last bucket
  int64_t count = 0;
};

// The six buckets with the given counts (counts[i] for bucket i; missing counts are zero).
std::vector<DurationBucket> MakeDurationHistogram(const std::vector<int64_t>& counts);

struct CatalogStats {
  int64_t total_videos = 0;
  std::map<std::string, int64_t> by_status;  // every status present, including zeros
  std::map<std::string, int64_t> by_format;  // file_extension -> count
  int64_t total_views = 0;
  int64_t total_likes = 0;
  int64_t storage_bytes = 0;  // originals + processed outputs
  double total_duration_seconds = 0;
  // Processing time percentiles over PROCESSED videos (absent when none).
  std::optional<double> processing_p50, processing_p90, processing_p99;
  std::vector<DayCount> uploads_per_day;  // last 30 days with at least one, oldest first
  std::vector<DayCount> views_per_day;    // last 30 days with at least one, oldest first
  std::vector<DayCount> likes_per_day;
  std::vector<VideoRecord> top_videos;  // 10 most viewed (ties: most recent first)
  std::vector<DurationBucket> duration_histogram;
};

// A processing job in the transactional outbox: written in the same transaction as its video's
// row (InsertWithJob), so a crash can never leave a row without its job, and published to the
// queue by the relay (kinora/videos/outbox_relay.h) until the queue has it.
struct OutboxEntry {
  int64_t id = 0;
  std::string video_id;
  std::string body;  // the queue message
  int attempts = 0;  // publish attempts before this one
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  // kAlreadyExists if the id is taken. Keeps the counters given (so reindex can restore them).
  virtual Result<void> Insert(const VideoRecord& v) = 0;
  // kNotFound if missing.
  virtual Result<VideoRecord> Get(std::string_view video_id) = 0;
  // Replaces every field except the counters (views, likes) and what Edit owns (title,
  // description, owner_id, visibility, media_generation), so a long job's write cannot undo an
  // owner's edit made meanwhile. kNotFound if missing.
  virtual Result<void> Update(const VideoRecord& v) = 0;
  // Applies an owner's edit atomically and returns the row after it. kNotFound if missing;
  // kInvalidArgument for an unknown visibility.
  virtual Result<VideoRecord> Edit(std::string_view video_id, const VideoEdit& e) = 0;
  // Removes the row, its counters and its outbox entries, and leaves a tombstone (WasDeleted),
  // all in one transaction. kNotFound if missing.
  virtual Result<void> Delete(std::string_view video_id) = 0;
  // Whether the video was deleted (its tombstone): reindex and the reconciler never bring back
  // a deleted video from leftovers in the store.
  virtual Result<bool> WasDeleted(std::string_view video_id) = 0;

  // Insert plus an outbox entry holding `job`, in one transaction; the relay may publish the
  // entry once `publish_after` has passed (the caller publishes it at once itself, normally).
  // Returns the entry's id. kAlreadyExists as Insert.
  virtual Result<int64_t> InsertWithJob(const VideoRecord& v, std::string_view job,
                                        std::chrono::seconds publish_after) = 0;
  // An outbox entry for an existing video (the reconciler re-queueing a stuck one). kNotFound.
  virtual Result<int64_t> AddJob(std::string_view video_id, std::string_view job) = 0;
  // Claims up to `limit` entries due for publishing, oldest first: each is hidden from other
  // claims for `lease` and its attempts counted, so relays in several processes rarely publish
  // one entry twice (and a duplicate job is harmless: jobs are idempotent).
  virtual Result<std::vector<OutboxEntry>> ClaimDueJobs(int limit, std::chrono::seconds lease) = 0;
  // The queue has the entry's job: the entry is removed. Missing entries are fine.
  virtual Result<void> JobPublished(int64_t id) = 0;
  // Publishing failed: retry after `delay`, remembering why.
  virtual Result<void> JobDeferred(int64_t id, std::chrono::seconds delay,
                                   std::string_view error) = 0;
  // Whether an outbox entry for the video still waits to be published.
  virtual Result<bool> HasPendingJob(std::string_view video_id) = 0;

  // kInvalidArgument for a malformed cursor or limit out of range.
  virtual Result<ListPage> List(const ListQuery& q) = 0;
  // A token that differs whenever a committed write, by any connection or process, may have
  // changed what List returns: read it before a List, and while it still reads the same the
  // page still holds (a cache of pages). Empty: the backend cannot tell, keep no page.
  virtual std::string ListVersion() { return {}; }
  // kAll is served from the trigger-kept aggregates; kPublic and kOwner are computed from the
  // rows in scope (views_per_day and likes_per_day from the per-video daily counts).
  virtual Result<CatalogStats> Stats(const StatsScope& scope) = 0;
  Result<CatalogStats> Stats() { return Stats(StatsScope{}); }
  // Atomically adds one and returns the new value; exact under any concurrency and durable
  // when it returns (survives kill -9). Also counts toward today's views/likes. kNotFound.
  virtual Result<int64_t> IncrementViews(std::string_view video_id) = 0;
  virtual Result<int64_t> IncrementLikes(std::string_view video_id) = 0;
  // One like per user and video: Like is idempotent (likes only grow the first time), Unlike
  // takes it back. Both count toward today's likes like IncrementLikes. kNotFound.
  virtual Result<LikeResult> Like(std::string_view video_id, std::string_view user_id) = 0;
  virtual Result<LikeResult> Unlike(std::string_view video_id, std::string_view user_id) = 0;
  virtual Result<bool> Likes(std::string_view video_id, std::string_view user_id) = 0;
  // For quotas; `since` in unix millis.
  virtual Result<OwnerUsage> Usage(std::string_view owner_id, int64_t since) = 0;
  // Gives every video without an owner (made before accounts existed) to `owner_id`; returns
  // how many.
  virtual Result<int64_t> AdoptUnowned(std::string_view owner_id) = 0;

  // Resumable uploads (uploads.h, docs/uploads.md). Both backends implement them; the
  // defaults serve test doubles that do not.
  // kAlreadyExists when the upload_id is taken; kInvalidArgument for an empty upload_id, a
  // negative length or an offset outside [0, length].
  virtual Result<void> InsertUpload(const UploadRow& /*u*/) { return NoUploads(); }
  // kNotFound when there is no such row.
  virtual Result<UploadRow> GetUpload(std::string_view /*upload_id*/) { return NoUploads(); }
  // Records durable progress, only if the row's offset is still `expected_offset` and it is not
  // complete: kAlreadyExists (the caller answers 409) when another request moved it first;
  // kNotFound when the row is gone (terminated or swept); kInvalidArgument when new_offset is
  // below expected_offset or past the row's length (nothing is recorded).
  virtual Result<void> AdvanceUpload(std::string_view /*upload_id*/, int64_t /*expected_offset*/,
                                     int64_t /*new_offset*/, std::string_view /*store_state*/,
                                     int64_t /*expires_at*/) {
    return NoUploads();
  }
  // Marks it complete (its video exists); expires_at as given (the row stays until then).
  virtual Result<void> CompleteUpload(std::string_view /*upload_id*/, int64_t /*expires_at*/) {
    return NoUploads();
  }
  // Deleting a missing row succeeds.
  virtual Result<void> DeleteUpload(std::string_view /*upload_id*/) { return NoUploads(); }
  // Rows with expires_at <= now_ms, oldest first (ties by upload_id), at most `limit` (none for a
  // limit below 1).
  virtual Result<std::vector<UploadRow>> ExpiredUploads(int64_t /*now_ms*/, int /*limit*/) {
    return NoUploads();
  }
  // Sum of `length` over the owner's rows that are not complete and not expired at now_ms
  // (bytes promised to unfinished uploads, which count against the quota).
  virtual Result<int64_t> PendingUploadBytes(std::string_view /*owner_id*/, int64_t /*now_ms*/) {
    return NoUploads();
  }

  virtual Result<void> Ping() = 0;
  virtual std::string Describe() const = 0;

 private:
  static Error NoUploads() {
    return MakeError(ErrorCode::kUnsupported, "this catalog keeps no resumable uploads");
  }
};

// How a process uses its catalog.
struct CatalogOptions {
  // The most calls the process makes at once (its HTTP threads plus background work): the
  // PostgreSQL connection pool's size, so no call waits for a connection. 0: sized from the
  // machine as the HTTP threads are by default (max(4, 2 × cores)), plus 4 for background work.
  // SQLite needs none (its readers are pooled per thread).
  int connections = 0;
};

// sqlite:///abs/path/catalog.db or postgresql://… (postgres_catalog.h). Unknown schemes ->
// kInvalidArgument.
Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view url, const CatalogOptions& options);
Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view url);

}  // namespace kinora::catalog
