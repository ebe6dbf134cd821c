#include "kinora/catalog/postgres_catalog.h"

#include <thread>

#include "../backend_common.h"
#include "../columns.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {

namespace {

constexpr std::string_view kIncrementViewsSql =
    "UPDATE videos SET views = views + 1, "
    "engagement = likes::float8 / GREATEST(views + 1, 1) WHERE video_id = $1 RETURNING views";
constexpr std::string_view kIncrementLikesSql =
    "UPDATE videos SET likes = likes + 1, "
    "engagement = (likes + 1)::float8 / GREATEST(views, 1) WHERE video_id = $1 RETURNING likes";
constexpr std::string_view kDailyViewSql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES ($1, $2, 1, 0) "
    "ON CONFLICT (video_id, day) DO UPDATE SET views = daily_counts.views + 1";
constexpr std::string_view kDailyLikeSql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES ($1, $2, 0, 1) "
    "ON CONFLICT (video_id, day) DO UPDATE SET likes = daily_counts.likes + 1";

Error NotFound(std::string_view id) { return internal::VideoNotFound(id); }
Result<void> Validate(const VideoRecord& v) { return internal::ValidateRecord(v); }

}  // namespace

Result<std::unique_ptr<Catalog>> NewPostgresCatalog(std::string_view url) {
  auto target = pg::ParseUrl(url);
  if (!target) return Annotate(target.error(), "catalog URL");
  auto [conninfo, schema, describe] = std::move(*target);
  auto catalog = std::make_unique<PostgresCatalog>(conninfo, schema, describe);
  {
    KINORA_TRY(auto conn, catalog->pool().Acquire());
    auto migrated = pgschema::Migrate(*conn);
    if (!migrated) return Annotate(migrated.error(), "migrate catalog " + describe);
  }
  return std::unique_ptr<Catalog>(std::move(catalog));
}

Result<void> PostgresCatalog::Insert(const VideoRecord& v) {
  KINORA_TRY_VOID(Validate(v));
  KINORA_TRY(auto conn, pool_.Acquire());
  auto r = conn->Exec(pgschema::InsertSql(), pgschema::InsertParams(v));
  if (!r && r.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, "video already exists: " + v.video_id);
  }
  if (!r) return r.error();
  return {};
}

Result<VideoRecord> PostgresCatalog::Get(std::string_view video_id) {
  static const std::string kSql =
      "SELECT " + internal::SelectList() + " FROM videos WHERE video_id = $1";
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec(kSql, {std::string(video_id)}));
  if (r.rows() == 0) return NotFound(video_id);
  return pgschema::ReadVideo(r, 0);
}

Result<void> PostgresCatalog::Update(const VideoRecord& v) {
  KINORA_TRY_VOID(Validate(v));
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec(pgschema::UpdateSql(), pgschema::UpdateParams(v)));
  if (r.affected() == 0) return NotFound(v.video_id);
  return {};
}

Result<void> PostgresCatalog::Delete(std::string_view video_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec("DELETE FROM videos WHERE video_id = $1", {std::string(video_id)}));
  if (r.affected() == 0) return NotFound(video_id);
  return {};
}

Result<int64_t> PostgresCatalog::IncrementViews(std::string_view video_id) {
  return Increment(video_id, true);
}

Result<int64_t> PostgresCatalog::IncrementLikes(std::string_view video_id) {
  return Increment(video_id, false);
}

// One transaction: the counter and today's per-video row (and, by trigger, the totals).
// Row locks serialise concurrent increments of one video, so every one is counted; the locks
// are always taken in the same order (video, totals, daily rows), so they cannot deadlock.
// A serialization failure or lost connection is retried a few times.
Result<int64_t> PostgresCatalog::Increment(std::string_view video_id, bool views) {
  const std::string day = FormatDay(std::chrono::system_clock::now());
  Error last = MakeError(ErrorCode::kUnavailable, "no attempt");
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = [&]() -> Result<int64_t> {
      KINORA_TRY(auto conn, pool_.Acquire());
      KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
      KINORA_TRY(pg::PgResult u, conn->Exec(views ? kIncrementViewsSql : kIncrementLikesSql,
                                            {std::string(video_id)}));
      if (u.rows() == 0) return NotFound(video_id);
      const int64_t n = u.Int(0, 0);
      KINORA_TRY_VOID(
          conn->Exec(views ? kDailyViewSql : kDailyLikeSql, {std::string(video_id), day}));
      KINORA_TRY_VOID(tx.Commit());
      return n;
    }();
    if (r || r.error().code != ErrorCode::kUnavailable) return r;
    last = r.error();
    std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
  }
  return last;
}

Result<void> PostgresCatalog::Ping() {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec("SELECT COUNT(*) FROM status_counts"));
  if (r.rows() != 1 || r.Int(0, 0) != 4) {
    return MakeError(ErrorCode::kInternal, "catalog schema missing");
  }
  return {};
}

}  // namespace kinora::catalog
