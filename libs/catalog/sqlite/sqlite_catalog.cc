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

Result<void> SqliteCatalog::Delete(std::string_view video_id) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use("DELETE FROM videos WHERE video_id = ?1"));
  s->Bind(1, video_id);
  KINORA_TRY_VOID(s->Run());
  if (writer_->db().Changes() == 0) return NotFound(video_id);
  return {};
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

Result<void> SqliteCatalog::Ping() {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT COUNT(*) FROM status_counts"));
  KINORA_TRY(bool row, s->Step());
  if (!row || s->Int(0) != 4) return MakeError(ErrorCode::kInternal, "catalog schema missing");
  return {};
}

std::string SqliteCatalog::Describe() const { return "sqlite://" + file_.string(); }

}  // namespace kinora::catalog
