#include "kinora/catalog/postgres_catalog.h"

#include <algorithm>
#include <thread>

#include "../backend_common.h"
#include "../columns.h"
#include "kinora/core/log.h"
#include "kinora/pg/shared_query.h"
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
// Taking a like back never drives a counter below zero (a restored count may be lower than the
// likes rows).
constexpr std::string_view kDecrementLikesSql =
    "UPDATE videos SET likes = GREATEST(likes - 1, 0), "
    "engagement = GREATEST(likes - 1, 0)::float8 / GREATEST(views, 1) WHERE video_id = $1 "
    "RETURNING likes";
constexpr std::string_view kDailyUnlikeSql =
    "UPDATE daily_counts SET likes = likes - 1 WHERE video_id = $1 AND day = $2 AND likes > 0";
constexpr std::string_view kAddLikeSql =
    "INSERT INTO video_likes (video_id, user_id, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (video_id, user_id) DO NOTHING";
constexpr std::string_view kRemoveLikeSql =
    "DELETE FROM video_likes WHERE video_id = $1 AND user_id = $2";

Error NotFound(std::string_view id) { return internal::VideoNotFound(id); }
Result<void> Validate(const VideoRecord& v) { return internal::ValidateRecord(v); }

// Runs a transaction body again after a serialization failure or a lost connection
// (kUnavailable), a few times, backing off.
template <class F>
auto Retrying(F&& attempt) -> decltype(attempt()) {
  Error last = MakeError(ErrorCode::kUnavailable, "no attempt");
  for (int i = 0; i < 3; ++i) {
    auto r = attempt();
    if (r || r.error().code != ErrorCode::kUnavailable) return r;
    last = r.error();
    std::this_thread::sleep_for(std::chrono::milliseconds(20 << i));
  }
  return last;
}

// CatalogOptions::connections, resolved: the default follows the HTTP threads' default.
size_t PoolSize(const CatalogOptions& options) {
  if (options.connections > 0) return static_cast<size_t>(options.connections);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(4, 2 * size_t{cores}) + 4;
}

// Two equal snapshots see the same committed transactions, so the same rows: a page read after
// this one was taken is what a page read now would be. (Read before the List, a commit in between
// only makes the kept page's version older than it needs to be.)
constexpr std::string_view kListVersionSql = "SELECT pg_current_snapshot()::text";

}  // namespace

std::unique_ptr<pg::SharedQuery> NewPostgresListVersions(std::string_view url) {
  auto target = pg::ParseUrl(url);
  if (!target) return nullptr;
  return std::make_unique<pg::SharedQuery>(target->conninfo, target->schema,
                                           std::string(kListVersionSql));
}

Result<std::unique_ptr<Catalog>> NewPostgresCatalog(std::string_view url,
                                                    const CatalogOptions& options) {
  auto target = pg::ParseUrl(url);
  if (!target) return Annotate(target.error(), "catalog URL");
  auto [conninfo, schema, describe] = std::move(*target);
  auto catalog = std::make_unique<PostgresCatalog>(conninfo, schema, describe, PoolSize(options));
  {
    KINORA_TRY(auto conn, catalog->pool().Acquire());
    auto migrated = pgschema::Migrate(*conn);
    if (!migrated) return Annotate(migrated.error(), "migrate catalog " + describe);
    KINORA_TRY(pg::PgResult index,
               conn->Exec("SELECT to_regclass('videos_title_trgm') IS NOT NULL"));
    if (index.rows() == 1 && index.Text(0, 0) != "t") {
      log::Warn(
          "title search scans the videos: pg_trgm was not available when the catalog was "
          "migrated (CREATE EXTENSION pg_trgm; CREATE INDEX videos_title_trgm ON videos USING "
          "gin (title_folded gin_trgm_ops))",
          {{"catalog", describe}});
    }
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
  KINORA_TRY(pg::PgResult r, conn->ExecPrepared(kSql, {std::string(video_id)}));
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

// One statement: SET expressions see the old row, so the generation moves only when the new
// visibility differs from the stored one.
Result<VideoRecord> PostgresCatalog::Edit(std::string_view video_id, const VideoEdit& e) {
  if (e.visibility) KINORA_TRY_VOID(internal::CheckVisibility(*e.visibility));
  static const std::string kSql =
      "UPDATE videos SET title = COALESCE($2, title), description = COALESCE($3, description), "
      "media_generation = media_generation + "
      "(CASE WHEN $4::text IS NOT NULL AND $4::text <> visibility THEN 1 ELSE 0 END), "
      "visibility = COALESCE($4::text, visibility) WHERE video_id = $1 RETURNING " +
      internal::SelectList();
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec(kSql, {std::string(video_id), e.title, e.description, e.visibility}));
  if (r.rows() == 0) return NotFound(video_id);
  return pgschema::ReadVideo(r, 0);
}

Result<void> PostgresCatalog::Delete(std::string_view video_id) {
  const std::string id(video_id);
  return Retrying([&]() -> Result<void> {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
    KINORA_TRY(pg::PgResult r, conn->Exec("DELETE FROM videos WHERE video_id = $1", {id}));
    if (r.affected() == 0) return NotFound(video_id);
    KINORA_TRY_VOID(conn->Exec("DELETE FROM outbox WHERE video_id = $1", {id}));
    KINORA_TRY_VOID(
        conn->Exec("INSERT INTO tombstones (video_id, deleted_at) VALUES ($1, $2) "
                   "ON CONFLICT (video_id) DO NOTHING",
                   {id, std::to_string(UnixMillis(std::chrono::system_clock::now()))}));
    return tx.Commit();
  });
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
  return Retrying([&]() -> Result<int64_t> {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
    KINORA_TRY(pg::PgResult u, conn->ExecPrepared(views ? kIncrementViewsSql : kIncrementLikesSql,
                                                  {std::string(video_id)}));
    if (u.rows() == 0) return NotFound(video_id);
    const int64_t n = u.Int(0, 0);
    KINORA_TRY_VOID(
        conn->ExecPrepared(views ? kDailyViewSql : kDailyLikeSql, {std::string(video_id), day}));
    KINORA_TRY_VOID(tx.Commit());
    return n;
  });
}

Result<LikeResult> PostgresCatalog::Like(std::string_view video_id, std::string_view user_id) {
  return SetLike(video_id, user_id, /*add=*/true);
}

Result<LikeResult> PostgresCatalog::Unlike(std::string_view video_id, std::string_view user_id) {
  return SetLike(video_id, user_id, /*add=*/false);
}

// The like row, the video's counter and today's count change together, and only when the like
// row did. The video's row is locked first (as Increment's UPDATE does), so likes of one video
// serialise, a concurrent Delete waits (or wins, and the like finds no video), and the locks are
// taken in Increment's order.
Result<LikeResult> PostgresCatalog::SetLike(std::string_view video_id, std::string_view user_id,
                                            bool add) {
  const SysTime now = std::chrono::system_clock::now();
  const std::string id(video_id), user(user_id), day = FormatDay(now);
  return Retrying([&]() -> Result<LikeResult> {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
    KINORA_TRY(pg::PgResult v,
               conn->ExecPrepared("SELECT likes FROM videos WHERE video_id = $1 FOR UPDATE", {id}));
    if (v.rows() == 0) return NotFound(video_id);
    LikeResult out{v.Int(0, 0), add};
    KINORA_TRY(pg::PgResult changed,
               add ? conn->ExecPrepared(kAddLikeSql, {id, user, std::to_string(UnixMillis(now))})
                   : conn->ExecPrepared(kRemoveLikeSql, {id, user}));
    if (changed.affected() == 0) return out;  // already so: nothing else changes
    KINORA_TRY(pg::PgResult n,
               conn->ExecPrepared(add ? kIncrementLikesSql : kDecrementLikesSql, {id}));
    if (n.rows() == 1) out.likes = n.Int(0, 0);
    KINORA_TRY_VOID(conn->ExecPrepared(add ? kDailyLikeSql : kDailyUnlikeSql, {id, day}));
    KINORA_TRY_VOID(tx.Commit());
    return out;
  });
}

Result<bool> PostgresCatalog::Likes(std::string_view video_id, std::string_view user_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->ExecPrepared("SELECT EXISTS (SELECT 1 FROM video_likes WHERE video_id = $1 AND "
                                "user_id = $2) FROM videos WHERE video_id = $1",
                                {std::string(video_id), std::string(user_id)}));
  if (r.rows() == 0) return NotFound(video_id);
  return r.Text(0, 0) == "t";
}

Result<OwnerUsage> PostgresCatalog::Usage(std::string_view owner_id, int64_t since) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec("SELECT COALESCE(SUM(size), 0)::bigint, COALESCE(SUM(size) FILTER "
                        "(WHERE uploaded_at >= $2), 0)::bigint FROM videos WHERE owner_id = $1",
                        {std::string(owner_id), std::to_string(since)}));
  OwnerUsage u;
  if (r.rows() == 1) {
    u.total_bytes = r.Int(0, 0);
    u.bytes_since = r.Int(0, 1);
  }
  return u;
}

Result<int64_t> PostgresCatalog::AdoptUnowned(std::string_view owner_id) {
  if (owner_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "owner_id is empty");
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec("UPDATE videos SET owner_id = $1 WHERE owner_id = ''",
                                        {std::string(owner_id)}));
  return r.affected();
}

std::string PostgresCatalog::ListVersion() {
  auto conn = pool_.Acquire();
  if (!conn) return {};
  auto r = (*conn)->ExecPrepared(kListVersionSql);
  if (!r || r->rows() != 1 || r->IsNull(0, 0)) return {};
  return std::string(r->Text(0, 0));
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
