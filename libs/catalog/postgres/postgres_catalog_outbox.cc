// The PostgreSQL catalog's transactional outbox (jobs written with their video's row) and its
// tombstones (videos deleted, so nothing brings them back).
#include "../backend_common.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {

namespace {

int64_t NowMillis() { return UnixMillis(std::chrono::system_clock::now()); }

std::string MillisFromNow(std::chrono::seconds s) {
  return std::to_string(NowMillis() + static_cast<int64_t>(s.count()) * 1000);
}

constexpr std::string_view kAddJobSql =
    "INSERT INTO outbox (video_id, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4) "
    "RETURNING id";

}  // namespace

Result<bool> PostgresCatalog::WasDeleted(std::string_view video_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec("SELECT 1 FROM tombstones WHERE video_id = $1", {std::string(video_id)}));
  return r.rows() > 0;
}

Result<int64_t> PostgresCatalog::InsertWithJob(const VideoRecord& v, std::string_view job,
                                               std::chrono::seconds publish_after) {
  KINORA_TRY_VOID(internal::ValidateRecord(v));
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
  auto inserted = conn->Exec(pgschema::InsertSql(), pgschema::InsertParams(v));
  if (!inserted && inserted.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, "video already exists: " + v.video_id);
  }
  if (!inserted) return inserted.error();
  KINORA_TRY(pg::PgResult r,
             conn->Exec(kAddJobSql, {v.video_id, std::string(job), std::to_string(NowMillis()),
                                     MillisFromNow(publish_after)}));
  KINORA_TRY_VOID(tx.Commit());
  return r.Int(0, 0);
}

// The row is locked while the entry is added, so a concurrent Delete either comes first (and
// this finds no row) or waits and then removes the entry with the row.
Result<int64_t> PostgresCatalog::AddJob(std::string_view video_id, std::string_view job) {
  const std::string id(video_id);
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
  KINORA_TRY(pg::PgResult v,
             conn->Exec("SELECT 1 FROM videos WHERE video_id = $1 FOR UPDATE", {id}));
  if (v.rows() == 0) return internal::VideoNotFound(video_id);
  KINORA_TRY(pg::PgResult r,
             conn->Exec(kAddJobSql, {id, std::string(job), std::to_string(NowMillis()),
                                     std::to_string(NowMillis())}));
  KINORA_TRY_VOID(tx.Commit());
  return r.Int(0, 0);
}

Result<std::vector<OutboxEntry>> PostgresCatalog::ClaimDueJobs(int limit,
                                                               std::chrono::seconds lease) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(
      pg::PgResult r,
      conn->Exec("UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1 "
                 "WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= $1 "
                 "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                 "RETURNING id, video_id, body, attempts - 1",
                 {std::to_string(NowMillis()), MillisFromNow(lease), std::to_string(limit)}));
  std::vector<OutboxEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({r.Int(i, 0), std::string(r.Text(i, 1)), std::string(r.Text(i, 2)),
                   static_cast<int>(r.Int(i, 3))});
  }
  return out;
}

Result<void> PostgresCatalog::JobPublished(int64_t id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY_VOID(conn->Exec("DELETE FROM outbox WHERE id = $1", {std::to_string(id)}));
  return {};
}

Result<void> PostgresCatalog::JobDeferred(int64_t id, std::chrono::seconds delay,
                                          std::string_view error) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY_VOID(
      conn->Exec("UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1",
                 {std::to_string(id), MillisFromNow(delay), std::string(error.substr(0, 500))}));
  return {};
}

Result<bool> PostgresCatalog::HasPendingJob(std::string_view video_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec("SELECT 1 FROM outbox WHERE video_id = $1 LIMIT 1",
                                        {std::string(video_id)}));
  return r.rows() > 0;
}

}  // namespace kinora::catalog
