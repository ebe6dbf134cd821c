#include "kinora/sqlite/db.h"

#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kinora::sqlite {

namespace {
constexpr int kBusyTimeoutMs = 10000;
constexpr int kOpenRetryMs = 5;
}  // namespace

Error MapError(int rc, sqlite3* db, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int sys_errno = db ? sqlite3_system_errno(db) : 0;
  if ((rc & 0xff) == SQLITE_FULL ||
      ((rc & 0xff) == SQLITE_IOERR && (sys_errno == ENOSPC || sys_errno == EDQUOT))) {
    return MakeError(ErrorCode::kInsufficientStorage, msg);
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
      return MakeError(ErrorCode::kUnavailable, msg);
    case SQLITE_CONSTRAINT:
      return MakeError(ErrorCode::kAlreadyExists, msg);
    case SQLITE_TOOBIG:
      return MakeError(ErrorCode::kTooLarge, msg);
    default:
      return MakeError(ErrorCode::kInternal, msg);
  }
}

Stmt::Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}
Stmt::~Stmt() { sqlite3_finalize(s_); }

Stmt& Stmt::Bind(int pos, int64_t v) {
  sqlite3_bind_int64(s_, pos, v);
  return *this;
}
Stmt& Stmt::Bind(int pos, double v) {
  sqlite3_bind_double(s_, pos, v);
  return *this;
}
Stmt& Stmt::Bind(int pos, std::string_view v) {
  sqlite3_bind_text64(s_, pos, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::BindNull(int pos) {
  sqlite3_bind_null(s_, pos);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return MapError(rc, db_, "step");
}

Result<void> Stmt::Run() {
  for (;;) {
    auto r = Step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string_view Stmt::TextView(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col))};
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

namespace {
// Process-wide settings, before SQLite initialises itself. Memory statistics off: with them on,
// every allocation of every connection takes one global mutex, which report queries (many small
// values, aggregates) contend on from all server threads at once. Connections are never shared
// between threads without a lock of ours (SQLITE_OPEN_NOMUTEX below).
void ConfigureOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialised
    (void)sqlite3_initialize();
  });
}
}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& file, bool full_sync) {
  ConfigureOnce();
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Db> db(new Db(raw));  // takes ownership even on failure (close below)
  if (rc != SQLITE_OK) return MapError(rc, raw, "open " + file.string());
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=";
  pragmas += full_sync ? "FULL;" : "NORMAL;";
  // Switching a new file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
  // without its busy handler, when two connections open the same new file together (a reader
  // holding SHARED cannot wait for a writer that waits for it). Wait that out like any other lock.
  for (int waited_ms = 0;; waited_ms += kOpenRetryMs) {
    int pragma_rc = sqlite3_exec(raw, pragmas.c_str(), nullptr, nullptr, nullptr);
    if (pragma_rc == SQLITE_OK) break;
    const bool busy = (pragma_rc & 0xff) == SQLITE_BUSY || (pragma_rc & 0xff) == SQLITE_LOCKED;
    if (!busy || waited_ms >= kBusyTimeoutMs) return MapError(pragma_rc, raw, "exec");
    std::this_thread::sleep_for(std::chrono::milliseconds(kOpenRetryMs));
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Result<void> Db::Exec(std::string_view sql) {
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return MapError(rc, db_, "exec");
  return {};
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  auto prepare = [&] {
    return sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  };
  int rc = prepare();
  // SQLite 3.40 compiles a statement against the schema it loaded last. When another connection
  // has changed the schema since (the audience tables share the catalog's file), compiling the
  // FTS5 title index's triggers fails with SQLITE_SCHEMA ("no such table: videos"); the failed
  // attempt reloaded the schema, so the next one succeeds.
  for (int attempt = 0; rc == SQLITE_SCHEMA && attempt < 3; ++attempt) rc = prepare();
  if (rc != SQLITE_OK) return MapError(rc, db_, "prepare");
  return Stmt(db_, s);
}

Result<Transaction> Transaction::Begin(Db& db) {
  KINORA_TRY_VOID(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->Exec("ROLLBACK");
}

Result<void> Transaction::Commit() {
  Db* db = db_;
  db_ = nullptr;
  auto r = db->Exec("COMMIT");
  if (!r) (void)db->Exec("ROLLBACK");
  return r;
}

Result<void> Migrate(Db& db, const std::vector<std::string_view>& migrations) {
  KINORA_TRY(auto get, db.Prepare("PRAGMA user_version"));
  KINORA_TRY(bool has, get.Step());
  int64_t version = has ? get.Int(0) : 0;
  for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
    KINORA_TRY(auto tx, Transaction::Begin(db));
    KINORA_TRY_VOID(db.Exec(migrations[i]));
    KINORA_TRY_VOID(db.Exec("PRAGMA user_version=" + std::to_string(i + 1)));
    KINORA_TRY_VOID(tx.Commit());
  }
  return {};
}

Result<void> MigrateComponent(Db& db, std::string_view component,
                              const std::vector<std::string_view>& migrations) {
  KINORA_TRY(auto tx, Transaction::Begin(db));
  KINORA_TRY_VOID(
      db.Exec("CREATE TABLE IF NOT EXISTS kinora_migrations ("
              "component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  KINORA_TRY(auto get, db.Prepare("SELECT version FROM kinora_migrations WHERE component = ?1"));
  get.Bind(1, component);
  KINORA_TRY(bool has, get.Step());
  const int64_t version = has ? get.Int(0) : 0;
  get.Reset();
  if (version > static_cast<int64_t>(migrations.size())) {
    return MakeError(ErrorCode::kUnsupported, "the " + std::string(component) +
                                                  " schema (version " + std::to_string(version) +
                                                  ") is newer than this program knows");
  }
  if (version == static_cast<int64_t>(migrations.size())) return {};  // rolls back: no change
  for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
    auto applied = db.Exec(migrations[i]);
    if (!applied) {
      return Annotate(applied.error(),
                      std::string(component) + " migration " + std::to_string(i + 1));
    }
  }
  KINORA_TRY(auto set,
             db.Prepare("INSERT INTO kinora_migrations (component, version) VALUES (?1, ?2) "
                        "ON CONFLICT (component) DO UPDATE SET version = excluded.version"));
  set.Bind(1, component).Bind(2, static_cast<int64_t>(migrations.size()));
  KINORA_TRY_VOID(set.Run());
  return tx.Commit();
}

}  // namespace kinora::sqlite
