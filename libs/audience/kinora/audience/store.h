// AudienceStore: applies accepted beacon batches to the audience tables (schema.h) in the
// catalog's database — the view session row and every rollup it feeds, in one transaction —
// and keeps the daily salts, the hourly dedupe keys and the sweeper's clean-up. Session state is
// only in the database, so the batches of one view may reach different replicas (PostgreSQL:
// the session row is locked FOR UPDATE). Concurrent Ingest calls are group-committed: one
// transaction applies every batch waiting, so a burst costs one commit.
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/audience/beacon.h"
#include "kinora/audience/session.h"
#include "kinora/audience/sql.h"
#include "kinora/core/error.h"

namespace kinora::audience {

struct IngestBatch {
  Beacon beacon;
  ViewerFacts viewer;               // used when the batch creates the session
  int64_t catalog_duration_ms = 0;  // 0: unknown, the player's is used
  // DedupeKey() of this viewer, video and hour: a view that qualifies is counted only if this
  // key is new (it is kept until the hour is over).
  std::string dedupe_key;
  int64_t dedupe_hour = 0;  // its hour_start
};

struct IngestResult {
  int64_t accepted = 0;  // events stored (0 for a replay)
  bool replay = false;
  bool counted = false;  // the view became a counted qualified view: add it to `views`
};

struct SweepPolicy {
  int64_t idle_ms = 30 * 60 * 1000;                // finalise views silent this long
  int64_t retention_ms = 90LL * 24 * 3600 * 1000;  // delete sessions started this long ago
  int64_t salt_ttl_ms = 48LL * 3600 * 1000;        // delete salts of days started this long ago
};

struct SweepReport {
  int64_t finalised = 0;
  int64_t sessions_deleted = 0;
  int64_t salts_deleted = 0;
  int64_t viewer_keys_deleted = 0;  // audience_daily_viewers rows of days whose salt is gone
  int64_t dedupe_deleted = 0;
};

class AudienceStore {
 public:
  virtual ~AudienceStore() = default;

  // Applies one validated batch arriving at now_ms (server time). kInvalidArgument when the
  // view_id belongs to another video; kUnavailable when the database is. Nothing of a failed
  // batch is stored.
  virtual Result<IngestResult> Ingest(const IngestBatch& batch, int64_t now_ms) = 0;

  // The salt of the UTC day starting at day_start (unix s), created (random) on first use.
  virtual Result<std::string> SaltFor(int64_t day_start) = 0;

  // Records `dedupe_key` for the hour; true if it was new (the legacy view counter counts then).
  virtual Result<bool> ClaimDedupe(std::string_view dedupe_key, int64_t hour_start) = 0;

  // Finalises idle views, deletes old sessions, salts and dedupe keys.
  virtual Result<SweepReport> Sweep(int64_t now_ms, const SweepPolicy& policy) = 0;

  // One session, for tests and tools; nullopt when absent.
  virtual Result<std::optional<ViewSession>> GetSession(std::string_view view_id) = 0;

  virtual SqlBackend& sql() = 0;
};

std::unique_ptr<AudienceStore> NewAudienceStore(std::unique_ptr<SqlBackend> sql);

// OpenSqlBackend(url) + NewAudienceStore.
Result<std::unique_ptr<AudienceStore>> OpenAudienceStore(std::string_view url);

}  // namespace kinora::audience
