// The SQLite Catalog's class, shared by its translation units (CRUD, edits, counters, likes and
// owners in sqlite_catalog.cc, the outbox and tombstones in sqlite_catalog_outbox.cc, List in
// sqlite_catalog_list.cc, Stats in sqlite_catalog_stats.cc, resumable uploads in
// sqlite_catalog_uploads.cc). Thread safety: as Catalog. Writes serialize on write_mu_ and one
// connection; reads borrow pooled connections and never wait for writes (WAL).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "../group_commit.h"
#include "../title_search.h"
#include "kinora/catalog/catalog.h"
#include "kinora/sqlite/checkpointer.h"
#include "sqlite_pool.h"

namespace kinora::catalog {

// The page query List runs for `q` (exposed so a test can check its query plan).
// Parameters: ?1 status, ?2 title pattern, ?3/?4 cursor (value, video_id), ?5 limit, ?6 offset,
// ?7 viewer_id, ?8 owner_id.
std::string ListPageSql(const ListQuery& q, bool has_cursor,
                        TitlePlan plan = TitlePlan::kIndexLeads);

class SqliteCatalog final : public Catalog {
 public:
  static constexpr size_t kMaxReaders = 8;

  static Result<std::unique_ptr<Catalog>> Open(const std::filesystem::path& file);

  Result<void> Insert(const VideoRecord& v) override;
  Result<VideoRecord> Get(std::string_view video_id) override;
  Result<void> Update(const VideoRecord& v) override;
  Result<VideoRecord> Edit(std::string_view video_id, const VideoEdit& e) override;
  Result<void> Delete(std::string_view video_id) override;
  Result<bool> WasDeleted(std::string_view video_id) override;
  Result<int64_t> InsertWithJob(const VideoRecord& v, std::string_view job,
                                std::chrono::seconds publish_after) override;
  Result<int64_t> AddJob(std::string_view video_id, std::string_view job) override;
  Result<std::vector<OutboxEntry>> ClaimDueJobs(int limit, std::chrono::seconds lease) override;
  Result<void> JobPublished(int64_t id) override;
  Result<void> JobDeferred(int64_t id, std::chrono::seconds delay, std::string_view error) override;
  Result<bool> HasPendingJob(std::string_view video_id) override;
  Result<ListPage> List(const ListQuery& q) override;
  // PRAGMA data_version of a connection of its own: it changes with every commit by any other
  // connection, this catalog's writer or another process's.
  std::string ListVersion() override;
  using Catalog::Stats;
  Result<CatalogStats> Stats(const StatsScope& scope) override;
  Result<int64_t> IncrementViews(std::string_view video_id) override;
  Result<int64_t> IncrementLikes(std::string_view video_id) override;
  Result<LikeResult> Like(std::string_view video_id, std::string_view user_id) override;
  Result<LikeResult> Unlike(std::string_view video_id, std::string_view user_id) override;
  Result<bool> Likes(std::string_view video_id, std::string_view user_id) override;
  Result<OwnerUsage> Usage(std::string_view owner_id, int64_t since) override;
  Result<int64_t> AdoptUnowned(std::string_view owner_id) override;
  Result<void> InsertUpload(const UploadRow& u) override;
  Result<UploadRow> GetUpload(std::string_view upload_id) override;
  Result<void> AdvanceUpload(std::string_view upload_id, int64_t expected_offset,
                             int64_t new_offset, std::string_view store_state,
                             int64_t expires_at) override;
  Result<void> CompleteUpload(std::string_view upload_id, int64_t expires_at) override;
  Result<void> DeleteUpload(std::string_view upload_id) override;
  Result<std::vector<UploadRow>> ExpiredUploads(int64_t now_ms, int limit) override;
  Result<int64_t> PendingUploadBytes(std::string_view owner_id, int64_t now_ms) override;
  Result<void> Ping() override;
  std::string Describe() const override;

  SqliteCatalog(std::filesystem::path file, std::unique_ptr<Checkpointer> checkpointer,
                std::unique_ptr<Conn> writer)
      : file_(std::move(file)),
        checkpointer_(std::move(checkpointer)),
        writer_(std::move(writer)),
        readers_(file_, kMaxReaders),
        counters_([this](const std::vector<CounterOp*>& ops) { ApplyCounters(ops); }) {
    checkpointer_->Attach(*writer_);
  }

 private:
  // Applies a batch of counter increments in one transaction (see group_commit.h).
  void ApplyCounters(const std::vector<CounterOp*>& ops);
  Result<void> ApplyCountersTx(const std::vector<CounterOp*>& ops);
  // Like (add) or Unlike in one write transaction. REQUIRES: write_mu_ held.
  Result<LikeResult> SetLikeLocked(std::string_view video_id, std::string_view user_id, bool add);
  // Stats over the videos of a kPublic or kOwner scope.
  Result<CatalogStats> ScopedStats(const StatsScope& scope);
  // The row's INSERT. REQUIRES: write_mu_ held.
  Result<void> InsertLocked(const VideoRecord& v);
  // An outbox entry due at `due` (unix millis); returns its id. REQUIRES: write_mu_ held.
  Result<int64_t> AddJobLocked(std::string_view video_id, std::string_view job, int64_t due);

  const std::filesystem::path file_;
  std::unique_ptr<Checkpointer> checkpointer_;  // outlives writer_, whose WAL hook points here
  std::mutex write_mu_;
  std::unique_ptr<Conn> writer_;  // guarded by write_mu_
  ReadPool readers_;
  std::mutex version_mu_;
  std::unique_ptr<Conn> version_conn_;  // guarded by version_mu_; opened by ListVersion
  GroupCommit counters_;
};

}  // namespace kinora::catalog
