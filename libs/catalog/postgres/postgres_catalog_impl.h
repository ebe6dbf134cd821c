// The PostgreSQL Catalog's class, shared by its translation units (CRUD, edits, counters, likes
// and owners in postgres_catalog.cc, the outbox and tombstones in postgres_catalog_outbox.cc, List
// in postgres_catalog_list.cc, Stats in postgres_catalog_stats.cc, resumable uploads in
// postgres_catalog_uploads.cc). Thread safety: as Catalog; every call borrows a pooled
// connection.
#pragma once

#include <optional>
#include <string>

#include "../title_search.h"
#include "kinora/catalog/catalog.h"
#include "kinora/pg/pg.h"

namespace kinora::catalog {

struct CursorPosition;

// The page query List runs for `q` (exposed so a test can check its plan), with its parameters.
struct PgQuery {
  std::string sql;
  std::vector<pg::Param> params;
};
// With a TitlePlan (an indexed title search, its matches counted first), the page is found that
// way; without one, the planner chooses.
PgQuery ListPageQuery(const ListQuery& q, const CursorPosition* after,
                      std::optional<TitlePlan> plan = std::nullopt);
// The statement List runs: the page and its total in one (postgres_catalog_list.cc).
PgQuery ListWithTotalQuery(const ListQuery& q, const CursorPosition* after);

class PostgresCatalog final : public Catalog {
 public:
  // `connections`: the pool's size (CatalogOptions::connections, resolved).
  PostgresCatalog(std::string conninfo, std::string schema, std::string describe,
                  size_t connections)
      : pool_(std::move(conninfo), schema, connections),
        schema_(std::move(schema)),
        describe_(std::move(describe)) {}

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
  // The server's current snapshot (pg_current_snapshot): any commit, by any process, changes
  // it. One round trip; empty when the server cannot be asked.
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
  std::string Describe() const override { return describe_; }

  pg::PgPool& pool() { return pool_; }

 private:
  Result<int64_t> Increment(std::string_view video_id, bool views);
  Result<LikeResult> SetLike(std::string_view video_id, std::string_view user_id, bool add);
  Result<CatalogStats> ScopedStats(const StatsScope& scope);

  pg::PgPool pool_;
  std::string schema_;
  std::string describe_;
};

}  // namespace kinora::catalog
