// The SQLite catalog's resumable uploads (uploads.h): one row per tus upload, written by the
// single writer, read from the pool.
#include "../backend_common.h"
#include "../upload_columns.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

namespace {

std::string ByNumber(size_t i) { return "?" + std::to_string(i + 1); }

// The parameters of the INSERT, numbered in kUploadColumns order as BindUpload hands them over.
struct Params {
  sqlite::Stmt& s;
  int n = 1;
  void Int(int64_t x) { s.Bind(n++, x); }
  void Text(std::string_view x) { s.Bind(n++, x); }
  void Bool(bool x) { s.Bind(n++, x ? 1 : 0); }
};

// One value of the current row, as ReadUpload asks for it.
struct Cell {
  const sqlite::Stmt& s;
  int i;
  int64_t Int() const { return s.Int(i); }
  std::string Text() const { return s.Text(i); }
  bool Bool() const { return s.Int(i) != 0; }
};

UploadRow Read(const sqlite::Stmt& s) {
  return internal::ReadUpload([&](int i) { return Cell{s, i}; });
}

const std::string& SelectByIdSql() {
  static const std::string kSql =
      "SELECT " + internal::UploadSelectList() + " FROM uploads WHERE upload_id = ?1";
  return kSql;
}

// The row, or nullopt when there is none, through `conn`.
Result<std::optional<UploadRow>> Find(Conn& conn, std::string_view upload_id) {
  KINORA_TRY(auto s, conn.Use(SelectByIdSql()));
  s->Bind(1, upload_id);
  KINORA_TRY(bool found, s->Step());
  if (!found) return std::optional<UploadRow>();
  return std::optional<UploadRow>(Read(*s));
}

}  // namespace

Result<void> SqliteCatalog::InsertUpload(const UploadRow& u) {
  KINORA_TRY_VOID(internal::ValidateUpload(u));
  static const std::string kSql = internal::InsertUploadSql(ByNumber);
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use(kSql));
  Params p{*s};
  internal::BindUpload(u, p);
  auto r = s->Run();
  if (!r && r.error().code == ErrorCode::kAlreadyExists) {
    return MakeError(ErrorCode::kAlreadyExists, "upload already exists: " + u.upload_id);
  }
  return r;
}

Result<UploadRow> SqliteCatalog::GetUpload(std::string_view upload_id) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto row, Find(*conn, upload_id));
  if (!row) return internal::UploadNotFound(upload_id);
  return std::move(*row);
}

// One UPDATE is the compare-and-set; only when it changes nothing is the row read, under the same
// lock, to say why.
Result<void> SqliteCatalog::AdvanceUpload(std::string_view upload_id, int64_t expected_offset,
                                          int64_t new_offset, std::string_view store_state,
                                          int64_t expires_at) {
  KINORA_TRY_VOID(internal::CheckAdvance(expected_offset, new_offset));
  std::lock_guard lock(write_mu_);
  {
    KINORA_TRY(auto s, writer_->Use("UPDATE uploads SET offset_bytes = ?3, store_state = ?4, "
                                    "expires_at = ?5 WHERE upload_id = ?1 AND offset_bytes = ?2 "
                                    "AND NOT complete AND ?3 <= length"));
    s->Bind(1, upload_id).Bind(2, expected_offset).Bind(3, new_offset).Bind(4, store_state);
    s->Bind(5, expires_at);
    KINORA_TRY_VOID(s->Run());
  }
  if (writer_->db().Changes() > 0) return {};
  KINORA_TRY(auto row, Find(*writer_, upload_id));
  return internal::AdvanceRefused(upload_id, row, expected_offset, new_offset);
}

Result<void> SqliteCatalog::CompleteUpload(std::string_view upload_id, int64_t expires_at) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s,
             writer_->Use("UPDATE uploads SET complete = 1, expires_at = ?2 WHERE upload_id = ?1"));
  s->Bind(1, upload_id).Bind(2, expires_at);
  KINORA_TRY_VOID(s->Run());
  if (writer_->db().Changes() == 0) return internal::UploadNotFound(upload_id);
  return {};
}

Result<void> SqliteCatalog::DeleteUpload(std::string_view upload_id) {
  std::lock_guard lock(write_mu_);
  KINORA_TRY(auto s, writer_->Use("DELETE FROM uploads WHERE upload_id = ?1"));
  s->Bind(1, upload_id);
  return s->Run();
}

Result<std::vector<UploadRow>> SqliteCatalog::ExpiredUploads(int64_t now_ms, int limit) {
  std::vector<UploadRow> out;
  if (limit <= 0) return out;
  static const std::string kSql = "SELECT " + internal::UploadSelectList() +
                                  " FROM uploads WHERE expires_at <= ?1 "
                                  "ORDER BY expires_at, upload_id LIMIT ?2";
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use(kSql));
  s->Bind(1, now_ms).Bind(2, limit);
  for (;;) {
    KINORA_TRY(bool row, s->Step());
    if (!row) break;
    out.push_back(Read(*s));
  }
  return out;
}

Result<int64_t> SqliteCatalog::PendingUploadBytes(std::string_view owner_id, int64_t now_ms) {
  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto s, conn->Use("SELECT COALESCE(SUM(length), 0) FROM uploads "
                               "WHERE owner_id = ?1 AND NOT complete AND expires_at > ?2"));
  s->Bind(1, owner_id).Bind(2, now_ms);
  KINORA_TRY(bool row, s->Step());
  if (!row) return MakeError(ErrorCode::kInternal, "SUM returned no row");
  return s->Int(0);
}

}  // namespace kinora::catalog
