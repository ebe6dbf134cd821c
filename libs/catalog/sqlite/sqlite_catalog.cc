#include "kinora/catalog/sqlite_catalog.h"

#include "../backend_common.h"
#include "../columns.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

using internal::ReadVideo;

namespace {

// SET expressions see the old row, hence the "+ 1" inside the engagement formulas.
constexpr std::string_view kIncrementViewsSql =
    "UPDATE videos SET views = views + 1, "
    "engagement = CAST(likes AS REAL) / MAX(views + 1, 1) WHERE video_id = ?1 RETURNING views";
constexpr std::string_view kIncrementLikesSql =
    "UPDATE videos SET likes = likes + 1, "
    "engagement = CAST(likes + 1 AS REAL) / MAX(views, 1) WHERE video_id = ?1 RETURNING likes";
constexpr std::string_view kDailyViewSql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES (?1, ?2, 1, 0) "
    "ON CONFLICT (video_id, day) DO UPDATE SET views = views + 1";
constexpr std::string_view kDailyLikeSql =
    "INSERT INTO daily_counts (video_id, day, views, likes) VALUES (?1, ?2, 0, 1) "
    "ON CONFLICT (video_id, day) DO UPDATE SET likes = likes + 1";
// Taking a like back never drives a counter below zero (a restored count may be lower than the
// likes rows).
constexpr std::string_view kDecrementLikesSql =
    "UPDATE videos SET likes = MAX(likes - 1, 0), "
    "engagement = CAST(MAX(likes - 1, 0) AS REAL) / MAX(views, 1) WHERE video_id = ?1 "
    "RETURNING likes";
constexpr std::string_view kDailyUnlikeSql =
    "UPDATE daily_counts SET likes = likes - 1 WHERE video_id = ?1 AND day = ?2 AND likes > 0";
constexpr std::string_view kAddLikeSql =
    "INSERT INTO video_likes (video_id, user_id, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (video_id, user_id) DO NOTHING";
constexpr std::string_view kRemoveLikeSql =
    "DELETE FROM video_likes WHERE video_id = ?1 AND user_id = ?2";

Error NotFound(std::string_view id) { return internal::VideoNotFound(id); }
Result<void> Validate(const VideoRecord& v) { return internal::ValidateRecord(v); }

}  // namespace

Result<std::unique_ptr<Catalog>> NewSqliteCatalog(const std::filesystem::path& file) {
  return SqliteCatalog::Open(file);
}

Result<std::unique_ptr<Catalog>> SqliteCatalog::Open(const std::filesystem::path& file) {
  KINORA_TRY(auto writer, Conn::Open(file, /*read_only=*/false));
  auto migrated = sqlite::Migrate(writer->db(), internal::SqliteMigrations());
  if (!migrated) return Annotate(migrated.error(), "migrate catalog " + file.string());
  KINORA_TRY(auto checkpointer, Checkpointer::Start(file));
  return std::unique_ptr<Catalog>(
      std::make_unique<SqliteCatalog>(file, std::move(checkpointer), std::move(writer)));
}

Result<void> SqliteCatalog::Insert(const VideoRecord& v) {
  KINORA_TRY_VOID(Validate(v));
  std::lock_guard lock(write_mu_);
  return InsertLocked(v);
}

Result<void> SqliteCatalog::InsertLocked(const VideoRecord& v) {
  KINORA_TRY(auto s, writer_->Use(internal::InsertVideoSql()));
  internal::BindInsert(*s, v);
  auto r = s->Run();
  if (!r && r.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, "video already exists: " + v.video_id);
  }
  return r;
}

Result<VideoRecord> SqliteCatalog::Get(std::string_view video_id) {
  KINORA_TRY(auto conn, readers_.Acquire());
  static const std::string kSql =
      "SELECT " + internal::SelectList() + " FROM videos WHERE video_id = ?1";
  KINORA_TRY(auto s, conn->Use(kSql));
  s->Bind(1, video_id);
  KINORA_TRY(bool found, s->Step());
  if (!found) return NotFound(video_id);
  return ReadVideo(*s);
}

Result<void> SqliteCatalog::Update(const VideoRecord& v) {
  KINORA_TRY_VOID(Validate(v));
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use(internal::UpdateVideoSql()));
  internal::BindUpdate(*s, v);
  KINORA_TRY_VOID(s->Run());
  if (writer_->db().Changes() == 0) return NotFound(v.video_id);
  return {};
}

// One statement, so one transaction: SET expressions see the old row, so the generation moves
// only when the new visibility differs from the stored one.
Result<VideoRecord> SqliteCatalog::Edit(std::string_view video_id, const VideoEdit& e) {
  if (e.visibility) KINORA_TRY_VOID(internal::CheckVisibility(*e.visibility));
  static const std::string kSql =
      "UPDATE videos SET title = COALESCE(?2, title), description = COALESCE(?3, description), "
      "media_generation = media_generation + "
      "(CASE WHEN ?4 IS NOT NULL AND ?4 <> visibility THEN 1 ELSE 0 END), "
      "visibility = COALESCE(?4, visibility) WHERE video_id = ?1 RETURNING " +
      internal::SelectList();
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use(kSql));
  s->Bind(1, video_id).Bind(2, e.title).Bind(3, e.description).Bind(4, e.visibility);
  KINORA_TRY(bool found, s->Step());
  if (!found) return NotFound(video_id);
  VideoRecord v = ReadVideo(*s);
  KINORA_TRY_VOID(s->Run());
  return v;
}

Result<void> SqliteCatalog::Delete(std::string_view video_id) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
  {
    KINORA_TRY(auto s, writer_->Use("DELETE FROM videos WHERE video_id = ?1"));
    s->Bind(1, video_id);
    KINORA_TRY_VOID(s->Run());
    if (writer_->db().Changes() == 0) return NotFound(video_id);
  }
  {
    KINORA_TRY(auto s, writer_->Use("DELETE FROM outbox WHERE video_id = ?1"));
    s->Bind(1, video_id);
    KINORA_TRY_VOID(s->Run());
  }
  {
    KINORA_TRY(auto s, writer_->Use("INSERT INTO tombstones (video_id, deleted_at) VALUES (?1, ?2) "
                                    "ON CONFLICT (video_id) DO NOTHING"));
    s->Bind(1, video_id).Bind(2, UnixMillis(std::chrono::system_clock::now()));
    KINORA_TRY_VOID(s->Run());
  }
  return tx.Commit();
}

Result<int64_t> SqliteCatalog::IncrementViews(std::string_view video_id) {
  return counters_.Submit(video_id, /*views=*/true);
}

Result<int64_t> SqliteCatalog::IncrementLikes(std::string_view video_id) {
  return counters_.Submit(video_id, /*views=*/false);
}

void SqliteCatalog::ApplyCounters(const std::vector<CounterOp*>& ops) {
  auto r = ApplyCountersTx(ops);
  if (!r) {
    for (CounterOp* op : ops) op->result = r.error();  // rolled back: nobody was counted
  }
}

Result<void> SqliteCatalog::ApplyCountersTx(const std::vector<CounterOp*>& ops) {
  const std::string day = FormatDay(std::chrono::system_clock::now());
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
  for (CounterOp* op : ops) {
    {
      KINORA_TRY(auto s, writer_->Use(op->views ? kIncrementViewsSql : kIncrementLikesSql));
      s->Bind(1, op->video_id);
      KINORA_TRY(bool found, s->Step());
      if (!found) {
        op->result = NotFound(op->video_id);
        continue;
      }
      op->result = s->Int(0);
      KINORA_TRY_VOID(s->Run());
    }
    KINORA_TRY(auto s, writer_->Use(op->views ? kDailyViewSql : kDailyLikeSql));
    s->Bind(1, op->video_id).Bind(2, day);
    KINORA_TRY_VOID(s->Run());
  }
  return tx.Commit();
}

Result<LikeResult> SqliteCatalog::Like(std::string_view video_id, std::string_view user_id) {
  std::lock_guard lock(write_mu_);
  return SetLikeLocked(video_id, user_id, /*add=*/true);
}

Result<LikeResult> SqliteCatalog::Unlike(std::string_view video_id, std::string_view user_id) {
  std::lock_guard lock(write_mu_);
  return SetLikeLocked(video_id, user_id, /*add=*/false);
}

// The like row, the video's counter and today's count change together, and only when the like
// row did: the single writer makes the check and the change one step.
Result<LikeResult> SqliteCatalog::SetLikeLocked(std::string_view video_id, std::string_view user_id,
                                                bool add) {
  const SysTime now = std::chrono::system_clock::now();
  KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
  LikeResult out;
  {
    KINORA_TRY(auto s, writer_->Use("SELECT likes FROM videos WHERE video_id = ?1"));
    s->Bind(1, video_id);
    KINORA_TRY(bool found, s->Step());
    if (!found) return NotFound(video_id);  // before the insert: no like row for a missing video
    out.likes = s->Int(0);
  }
  {
    KINORA_TRY(auto s, writer_->Use(add ? kAddLikeSql : kRemoveLikeSql));
    s->Bind(1, video_id).Bind(2, user_id);
    if (add) s->Bind(3, UnixMillis(now));
    KINORA_TRY_VOID(s->Run());
  }
  out.liked = add;
  if (writer_->db().Changes() == 0) return out;  // already so: nothing else changes
  {
    KINORA_TRY(auto s, writer_->Use(add ? kIncrementLikesSql : kDecrementLikesSql));
    s->Bind(1, video_id);
    KINORA_TRY(bool row, s->Step());
    if (row) out.likes = s->Int(0);
    KINORA_TRY_VOID(s->Run());
  }
  {
    KINORA_TRY(auto s, writer_->Use(add ? kDailyLikeSql : kDailyUnlikeSql));
    s->Bind(1, video_id).Bind(2, FormatDay(now));
    KINORA_TRY_VOID(s->Run());
  }
  KINORA_TRY_VOID(tx.Commit());
  return out;
}

Result<bool> SqliteCatalog::Likes(std::string_view video_id, std::string_view user_id) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT EXISTS (SELECT 1 FROM video_likes WHERE video_id = ?1 AND "
                               "user_id = ?2) FROM videos WHERE video_id = ?1"));
  s->Bind(1, video_id).Bind(2, user_id);
  KINORA_TRY(bool found, s->Step());
  if (!found) return NotFound(video_id);
  return s->Int(0) != 0;
}

Result<OwnerUsage> SqliteCatalog::Usage(std::string_view owner_id, int64_t since) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT COALESCE(SUM(size), 0), COALESCE(SUM(CASE WHEN "
                               "uploaded_at >= ?2 THEN size ELSE 0 END), 0) FROM videos "
                               "WHERE owner_id = ?1"));
  s->Bind(1, owner_id).Bind(2, since);
  KINORA_TRY(bool row, s->Step());
  OwnerUsage u;
  if (row) {
    u.total_bytes = s->Int(0);
    u.bytes_since = s->Int(1);
  }
  return u;
}

Result<int64_t> SqliteCatalog::AdoptUnowned(std::string_view owner_id) {
  if (owner_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "owner_id is empty");
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use("UPDATE videos SET owner_id = ?1 WHERE owner_id = ''"));
  s->Bind(1, owner_id);
  KINORA_TRY_VOID(s->Run());
  return writer_->db().Changes();
}

Result<void> SqliteCatalog::Ping() {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT COUNT(*) FROM status_counts"));
  KINORA_TRY(bool row, s->Step());
  if (!row || s->Int(0) != 4) return MakeError(ErrorCode::kInternal, "catalog schema missing");
  return {};
}

std::string SqliteCatalog::ListVersion() {
  std::lock_guard lock(version_mu_);
  if (!version_conn_) {
    auto opened = Conn::Open(file_, /*read_only=*/true);
    if (!opened) return {};
    version_conn_ = std::move(*opened);
  }
  auto s = version_conn_->Use("PRAGMA data_version");
  if (!s) return {};
  auto row = (*s)->Step();
  if (!row || !*row) return {};
  return std::to_string((*s)->Int(0));
}

std::string SqliteCatalog::Describe() const { return "sqlite://" + file_.string(); }

}  // namespace kinora::catalog
