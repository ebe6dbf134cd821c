#include "kinora/audience/store.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <numeric>
#include <vector>

#include "kinora/audience/session_rules.h"
#include "kinora/audience/viewer.h"
#include "rollups.h"
#include "session_row.h"

namespace kinora::audience {
namespace {

using internal::Rollups;

constexpr int kAttempts = 4;          // a group that hit a deadlock or busy database is re-run
constexpr int64_t kSweepChunk = 500;  // rows per sweeper transaction

struct Job {
  const IngestBatch* batch;
  int64_t now_ms;
  Result<IngestResult> result = IngestResult{};
  bool done = false;  // guarded by the store's mutex
};

// A session loaded (or created) in the current transaction.
struct Loaded {
  ViewSession s;
  bool is_new = false;
};

class Store final : public AudienceStore {
 public:
  explicit Store(std::unique_ptr<SqlBackend> sql) : sql_(std::move(sql)) {}

  Result<IngestResult> Ingest(const IngestBatch& batch, int64_t now_ms) override {
    Job job{&batch, now_ms};
    std::unique_lock lock(mu_);
    pending_.push_back(&job);
    while (!job.done) {
      if (leader_) {
        cv_.wait(lock);
        continue;
      }
      leader_ = true;
      std::vector<Job*> group;
      group.swap(pending_);
      lock.unlock();
      RunGroup(group);
      lock.lock();
      for (Job* j : group) j->done = true;
      leader_ = false;
      cv_.notify_all();
    }
    return job.result;
  }

  Result<std::string> SaltFor(int64_t day_start) override {
    {
      std::lock_guard lock(salt_mu_);
      if (auto it = salts_.find(day_start); it != salts_.end()) return it->second;
    }
    const std::string fresh = NewSalt();
    std::string salt;
    auto written = sql_->Transact([&](SqlTx& tx) -> Result<void> {
      KINORA_TRY_VOID(
          tx.Exec("INSERT INTO audience_salts (day_start, salt, created_at) VALUES ($1, $2, $3) "
                  "ON CONFLICT (day_start) DO NOTHING",
                  {day_start, fresh, day_start * 1000}));
      KINORA_TRY(SqlRows r,
                 tx.Query("SELECT salt FROM audience_salts WHERE day_start = $1", {day_start}, 1));
      if (r.empty()) return Internal("audience salt vanished");
      salt = r.Text(0, 0);
      return {};
    });
    if (!written) return written.error();
    std::lock_guard lock(salt_mu_);
    // Keep the cache to the days still in use.
    while (salts_.size() > 3) salts_.erase(salts_.begin());
    salts_[day_start] = salt;
    return salt;
  }

  Result<bool> ClaimDedupe(std::string_view key, int64_t hour_start) override {
    bool fresh = false;
    auto written = sql_->Transact([&](SqlTx& tx) -> Result<void> {
      KINORA_TRY(int64_t n, tx.Exec("INSERT INTO audience_dedupe (dedupe_key, hour_start) VALUES "
                                    "($1, $2) ON CONFLICT (dedupe_key) DO NOTHING",
                                    {std::string(key), hour_start}));
      fresh = n > 0;
      return {};
    });
    if (!written) return written.error();
    return fresh;
  }

  Result<SweepReport> Sweep(int64_t now_ms, const SweepPolicy& p) override {
    SweepReport report;
    // Finalise idle views, a chunk per transaction.
    while (true) {
      KINORA_TRY(SqlRows idle,
                 sql_->Read("SELECT view_id FROM view_sessions WHERE finalised_at = 0 AND "
                            "last_seen_at < $1 ORDER BY last_seen_at LIMIT $2",
                            {now_ms - p.idle_ms, kSweepChunk}, 1));
      if (idle.empty()) break;
      std::vector<std::string> ids;
      for (const auto& row : idle.rows) ids.push_back(row[0]);
      std::sort(ids.begin(), ids.end());
      int64_t done = 0;
      auto written = sql_->Transact([&](SqlTx& tx) -> Result<void> {
        done = 0;
        Rollups rollups;
        for (const std::string& id : ids) {
          KINORA_TRY(SqlRows r, tx.Query(internal::SelectSessionSql(sql_->postgres()), {id},
                                         internal::SessionColumnCount()));
          if (r.empty()) continue;
          ViewSession s = internal::SessionFromRow(r, 0);
          if (s.finalised_at != 0 || s.last_seen_at >= now_ms - p.idle_ms) continue;
          rollups.Add(s, Finalise(s, now_ms));
          KINORA_TRY_VOID(tx.Exec(internal::UpdateSessionSql(), internal::SessionParams(s)));
          ++done;
        }
        return rollups.Write(tx);
      });
      if (!written) return written.error();
      report.finalised += done;
      if (static_cast<int64_t>(ids.size()) < kSweepChunk) break;
    }
    KINORA_TRY(report.sessions_deleted,
               DeleteInChunks("DELETE FROM view_sessions WHERE view_id IN (SELECT view_id FROM "
                              "view_sessions WHERE started_at < $1 LIMIT $2)",
                              now_ms - p.retention_ms));
    KINORA_TRY(report.salts_deleted,
               DeleteInChunks("DELETE FROM audience_salts WHERE day_start IN (SELECT day_start "
                              "FROM audience_salts WHERE day_start < $1 LIMIT $2)",
                              (now_ms - p.salt_ttl_ms) / 1000));
    // A day's keys are only needed while its salt can still produce them; the day's count stays
    // in audience_daily_unique.
    KINORA_TRY(report.viewer_keys_deleted,
               DeleteInChunks("DELETE FROM audience_daily_viewers WHERE (video_id, day_start, "
                              "viewer_key) IN (SELECT video_id, day_start, viewer_key FROM "
                              "audience_daily_viewers WHERE day_start < $1 LIMIT $2)",
                              (now_ms - p.salt_ttl_ms) / 1000));
    KINORA_TRY(report.dedupe_deleted,
               DeleteInChunks("DELETE FROM audience_dedupe WHERE dedupe_key IN (SELECT "
                              "dedupe_key FROM audience_dedupe WHERE hour_start < $1 LIMIT $2)",
                              RollupHour(now_ms)));
    if (report.salts_deleted > 0) {
      std::lock_guard lock(salt_mu_);
      std::erase_if(salts_,
                    [&](const auto& kv) { return kv.first < (now_ms - p.salt_ttl_ms) / 1000; });
    }
    return report;
  }

  Result<std::optional<ViewSession>> GetSession(std::string_view view_id) override {
    KINORA_TRY(SqlRows r, sql_->Read(internal::SelectSessionSql(false), {std::string(view_id)},
                                     internal::SessionColumnCount()));
    if (r.empty()) return std::optional<ViewSession>();
    return std::optional<ViewSession>(internal::SessionFromRow(r, 0));
  }

  SqlBackend& sql() override { return *sql_; }

 private:
  Result<int64_t> DeleteInChunks(const std::string& sql, int64_t before) {
    int64_t total = 0;
    while (true) {
      int64_t n = 0;
      auto written = sql_->Transact([&](SqlTx& tx) -> Result<void> {
        KINORA_TRY(n, tx.Exec(sql, {before, kSweepChunk}));
        return {};
      });
      if (!written) return written.error();
      total += n;
      if (n < kSweepChunk) return total;
    }
  }

  // Applies a group of batches in one transaction; sessions in view_id order, so two replicas
  // lock them in the same order.
  void RunGroup(const std::vector<Job*>& group) {
    std::vector<Job*> order(group);
    std::stable_sort(order.begin(), order.end(), [](const Job* a, const Job* b) {
      return a->batch->beacon.view_id < b->batch->beacon.view_id;
    });
    Result<void> r = Internal("not run");
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      r = sql_->Transact([&](SqlTx& tx) { return ApplyGroup(tx, order); });
      if (r || r.error().code != ErrorCode::kUnavailable) break;
    }
    if (!r) {
      for (Job* j : group) j->result = r.error();
    }
  }

  Result<void> ApplyGroup(SqlTx& tx, const std::vector<Job*>& jobs) {
    std::map<std::string, Loaded> sessions;
    Rollups rollups;
    for (Job* j : jobs) {
      const IngestBatch& b = *j->batch;
      auto it = sessions.find(b.beacon.view_id);
      if (it == sessions.end()) {
        KINORA_TRY(SqlRows r, tx.Query(internal::SelectSessionSql(sql_->postgres()),
                                       {b.beacon.view_id}, internal::SessionColumnCount()));
        Loaded l;
        if (r.empty()) {
          l.s = NewSession(b.beacon, b.viewer, j->now_ms, b.catalog_duration_ms);
          l.is_new = true;
          rollups.AddViewer(l.s);
        } else {
          l.s = internal::SessionFromRow(r, 0);
        }
        it = sessions.emplace(b.beacon.view_id, std::move(l)).first;
      }
      ViewSession& s = it->second.s;
      if (s.video_id != b.beacon.video_id) {
        j->result = InvalidArgument("beacon: view_id " + s.view_id + " belongs to another video");
        continue;
      }
      BatchOutcome o = ApplyBatch(s, b.beacon, j->now_ms);
      IngestResult res;
      res.accepted = o.accepted;
      res.replay = o.replay;
      if (o.add.qualified_now && !s.counted) {
        KINORA_TRY(int64_t fresh,
                   tx.Exec("INSERT INTO audience_dedupe (dedupe_key, hour_start) VALUES ($1, $2) "
                           "ON CONFLICT (dedupe_key) DO NOTHING",
                           {b.dedupe_key, b.dedupe_hour}));
        if (fresh > 0 || b.dedupe_key.empty()) {
          s.counted = true;
          res.counted = true;
          rollups.AddView(s);
        }
      }
      rollups.Add(s, o.add);
      j->result = res;
    }
    for (auto& [id, l] : sessions) {
      if (l.is_new) {
        KINORA_TRY(int64_t n, tx.Exec(internal::InsertSessionSql(), internal::SessionParams(l.s)));
        if (n == 0) return Unavailable("another replica created view " + id + " at once");
      } else {
        KINORA_TRY_VOID(tx.Exec(internal::UpdateSessionSql(), internal::SessionParams(l.s)));
      }
    }
    return rollups.Write(tx);
  }

  std::unique_ptr<SqlBackend> sql_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Job*> pending_;  // guarded by mu_
  bool leader_ = false;        // guarded by mu_
  std::mutex salt_mu_;
  std::map<int64_t, std::string> salts_;  // guarded by salt_mu_
};

}  // namespace

std::unique_ptr<AudienceStore> NewAudienceStore(std::unique_ptr<SqlBackend> sql) {
  return std::make_unique<Store>(std::move(sql));
}

Result<std::unique_ptr<AudienceStore>> OpenAudienceStore(std::string_view url) {
  KINORA_TRY(auto sql, OpenSqlBackend(url));
  return NewAudienceStore(std::move(sql));
}

}  // namespace kinora::audience
