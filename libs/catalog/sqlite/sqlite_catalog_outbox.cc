// The SQLite catalog's transactional outbox (jobs written with their video's row) and its
// tombstones (videos deleted, so nothing brings them back).
#include "../backend_common.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

namespace {

int64_t NowMillis() { return UnixMillis(std::chrono::system_clock::now()); }

int64_t Millis(std::chrono::seconds s) { return static_cast<int64_t>(s.count()) * 1000; }

}  // namespace

Result<bool> SqliteCatalog::WasDeleted(std::string_view video_id) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT 1 FROM tombstones WHERE video_id = ?1"));
  s->Bind(1, video_id);
  return s->Step();
}

Result<int64_t> SqliteCatalog::AddJobLocked(std::string_view video_id, std::string_view job,
                                            int64_t due) {
  KINORA_TRY(auto s, writer_->Use("INSERT INTO outbox (video_id, body, created_at, "
                                  "next_attempt_at) VALUES (?1, ?2, ?3, ?4) RETURNING id"));
  s->Bind(1, video_id).Bind(2, job).Bind(3, NowMillis()).Bind(4, due);
  KINORA_TRY(bool row, s->Step());
  if (!row) return MakeError(ErrorCode::kInternal, "outbox insert returned no id");
  const int64_t id = s->Int(0);
  KINORA_TRY_VOID(s->Run());
  return id;
}

Result<int64_t> SqliteCatalog::InsertWithJob(const VideoRecord& v, std::string_view job,
                                             std::chrono::seconds publish_after) {
  KINORA_TRY_VOID(internal::ValidateRecord(v));
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
  KINORA_TRY_VOID(InsertLocked(v));
  KINORA_TRY(int64_t id, AddJobLocked(v.video_id, job, NowMillis() + Millis(publish_after)));
  KINORA_TRY_VOID(tx.Commit());
  return id;
}

Result<int64_t> SqliteCatalog::AddJob(std::string_view video_id, std::string_view job) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
  {
    KINORA_TRY(auto s, writer_->Use("SELECT 1 FROM videos WHERE video_id = ?1"));
    s->Bind(1, video_id);
    KINORA_TRY(bool found, s->Step());
    if (!found) return internal::VideoNotFound(video_id);
  }
  KINORA_TRY(int64_t id, AddJobLocked(video_id, job, NowMillis()));
  KINORA_TRY_VOID(tx.Commit());
  return id;
}

Result<std::vector<OutboxEntry>> SqliteCatalog::ClaimDueJobs(int limit,
                                                             std::chrono::seconds lease) {
  const int64_t now = NowMillis();
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use("UPDATE outbox SET next_attempt_at = ?2, attempts = attempts + 1 "
                                  "WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= ?1 "
                                  "ORDER BY next_attempt_at, id LIMIT ?3) "
                                  "RETURNING id, video_id, body, attempts - 1"));
  s->Bind(1, now).Bind(2, now + Millis(lease)).Bind(3, static_cast<int64_t>(limit));
  std::vector<OutboxEntry> out;
  for (;;) {
    KINORA_TRY(bool row, s->Step());
    if (!row) break;
    out.push_back({s->Int(0), s->Text(1), s->Text(2), static_cast<int>(s->Int(3))});
  }
  return out;
}

Result<void> SqliteCatalog::JobPublished(int64_t id) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use("DELETE FROM outbox WHERE id = ?1"));
  s->Bind(1, id);
  return s->Run();
}

Result<void> SqliteCatalog::JobDeferred(int64_t id, std::chrono::seconds delay,
                                        std::string_view error) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s,
             writer_->Use("UPDATE outbox SET next_attempt_at = ?2, last_error = ?3 WHERE id = ?1"));
  s->Bind(1, id).Bind(2, NowMillis() + Millis(delay)).Bind(3, error.substr(0, 500));
  return s->Run();
}

Result<bool> SqliteCatalog::HasPendingJob(std::string_view video_id) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT 1 FROM outbox WHERE video_id = ?1 LIMIT 1"));
  s->Bind(1, video_id);
  return s->Step();
}

}  // namespace kinora::catalog
