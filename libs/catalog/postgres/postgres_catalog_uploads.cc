// The PostgreSQL catalog's resumable uploads (uploads.h): one row per tus upload.
#include "../backend_common.h"
#include "../upload_columns.h"
#include "postgres_catalog_impl.h"

namespace kinora::catalog {

namespace {

std::string ByPosition(size_t i) { return "$" + std::to_string(i + 1); }

// The parameters of the INSERT, appended in kUploadColumns order as BindUpload hands them over.
struct Params {
  std::vector<pg::Param> out;
  void Int(int64_t x) { out.emplace_back(std::to_string(x)); }
  void Text(std::string_view x) { out.emplace_back(std::string(x)); }
  void Bool(bool x) { out.emplace_back(x ? "true" : "false"); }
};

// One value of a result row, as ReadUpload asks for it.
struct Cell {
  const pg::PgResult& r;
  int row, i;
  int64_t Int() const { return r.Int(row, i); }
  std::string Text() const { return std::string(r.Text(row, i)); }
  bool Bool() const { return r.Text(row, i) == "t"; }
};

UploadRow Read(const pg::PgResult& r, int row) {
  return internal::ReadUpload([&](int i) { return Cell{r, row, i}; });
}

const std::string& SelectByIdSql() {
  static const std::string kSql =
      "SELECT " + internal::UploadSelectList() + " FROM uploads WHERE upload_id = $1";
  return kSql;
}

}  // namespace

Result<void> PostgresCatalog::InsertUpload(const UploadRow& u) {
  KINORA_TRY_VOID(internal::ValidateUpload(u));
  static const std::string kSql = internal::InsertUploadSql(ByPosition);
  Params p;
  internal::BindUpload(u, p);
  KINORA_TRY(auto conn, pool_.Acquire());
  auto r = conn->Exec(kSql, p.out);
  if (!r && r.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, "upload already exists: " + u.upload_id);
  }
  if (!r) return r.error();
  return {};
}

Result<UploadRow> PostgresCatalog::GetUpload(std::string_view upload_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec(SelectByIdSql(), {std::string(upload_id)}));
  if (r.rows() == 0) return internal::UploadNotFound(upload_id);
  return Read(r, 0);
}

// One UPDATE is the compare-and-set; only when it changes nothing is the row read to say why.
Result<void> PostgresCatalog::AdvanceUpload(std::string_view upload_id, int64_t expected_offset,
                                            int64_t new_offset, std::string_view store_state,
                                            int64_t expires_at) {
  KINORA_TRY_VOID(internal::CheckAdvance(expected_offset, new_offset));
  const std::string id(upload_id);
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec("UPDATE uploads SET offset_bytes = $3, store_state = $4, expires_at = $5 "
                        "WHERE upload_id = $1 AND offset_bytes = $2 AND NOT complete "
                        "AND $3 <= length",
                        {id, std::to_string(expected_offset), std::to_string(new_offset),
                         std::string(store_state), std::to_string(expires_at)}));
  if (r.affected() > 0) return {};
  KINORA_TRY(pg::PgResult found, conn->Exec(SelectByIdSql(), {id}));
  std::optional<UploadRow> row;
  if (found.rows() > 0) row = Read(found, 0);
  return internal::AdvanceRefused(upload_id, row, expected_offset, new_offset);
}

Result<void> PostgresCatalog::CompleteUpload(std::string_view upload_id, int64_t expires_at) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r,
             conn->Exec("UPDATE uploads SET complete = TRUE, expires_at = $2 WHERE upload_id = $1",
                        {std::string(upload_id), std::to_string(expires_at)}));
  if (r.affected() == 0) return internal::UploadNotFound(upload_id);
  return {};
}

Result<void> PostgresCatalog::DeleteUpload(std::string_view upload_id) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY_VOID(conn->Exec("DELETE FROM uploads WHERE upload_id = $1", {std::string(upload_id)}));
  return {};
}

Result<std::vector<UploadRow>> PostgresCatalog::ExpiredUploads(int64_t now_ms, int limit) {
  std::vector<UploadRow> out;
  if (limit <= 0) return out;
  static const std::string kSql = "SELECT " + internal::UploadSelectList() +
                                  " FROM uploads WHERE expires_at <= $1 "
                                  "ORDER BY expires_at, upload_id LIMIT $2";
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec(kSql, {std::to_string(now_ms), std::to_string(limit)}));
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(Read(r, i));
  return out;
}

Result<int64_t> PostgresCatalog::PendingUploadBytes(std::string_view owner_id, int64_t now_ms) {
  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(pg::PgResult r, conn->Exec("SELECT COALESCE(SUM(length), 0) FROM uploads "
                                        "WHERE owner_id = $1 AND NOT complete AND expires_at > $2",
                                        {std::string(owner_id), std::to_string(now_ms)}));
  return r.Int(0, 0);
}

}  // namespace kinora::catalog
