// Thin RAII layer over SQLite shared by the queue and catalog backends: a connection, prepared
// statements, transactions, and the single place SQLite result codes become kinora::Error.
// Thread safety: a Db and its Stmts are used by one thread at a time (callers lock or pool).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::sqlite {

// Maps a SQLite result code (and the connection's message) to an Error.
// BUSY/LOCKED -> kUnavailable, CONSTRAINT -> kAlreadyExists, CANTOPEN/IOERR/FULL -> kUnavailable.
Error MapError(int rc, sqlite3* db, std::string_view context);

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&&) noexcept;
  Stmt& operator=(Stmt&&) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binders take 1-based positions, like SQLite. Text is copied (SQLITE_TRANSIENT).
  Stmt& Bind(int pos, int64_t v);
  Stmt& Bind(int pos, int v) { return Bind(pos, static_cast<int64_t>(v)); }
  Stmt& Bind(int pos, double v);
  Stmt& Bind(int pos, std::string_view v);
  Stmt& Bind(int pos, const char* v) { return Bind(pos, std::string_view(v)); }
  Stmt& BindNull(int pos);
  template <class T>
  Stmt& Bind(int pos, const std::optional<T>& v) {
    return v ? Bind(pos, *v) : BindNull(pos);
  }

  // true: a row is available; false: done. Errors map through MapError.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Result<void> Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Double(int col) const { return sqlite3_column_double(s_, col); }
  std::string Text(int col) const;
  // The text in SQLite's buffer: valid until the next Step, Reset or another read of `col`.
  std::string_view TextView(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class Db {
 public:
  // Opens (creating) the file in WAL mode with a busy timeout, foreign keys on and
  // synchronous=NORMAL: a commit survives a process kill (it is in the WAL in the OS cache);
  // set `full_sync` to also survive power loss.
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& file,
                                          bool full_sync = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Result<void> Exec(std::string_view sql);  // one or more statements, no results
  Result<Stmt> Prepare(std::string_view sql);
  int64_t Changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

// Applies migrations[i] for every i >= the stored PRAGMA user_version, each in its own
// transaction, bumping user_version after each. Idempotent.
Result<void> Migrate(Db& db, const std::vector<std::string_view>& migrations);

// For a component whose tables share a file with another's (the identity store beside the
// catalog, which owns user_version): applies migrations[i] for every i >= the component's row in
// kinora_migrations(component, version), all in one BEGIN IMMEDIATE transaction, so processes
// opening the file together migrate once. kUnsupported when the file is newer than `migrations`.
Result<void> MigrateComponent(Db& db, std::string_view component,
                              const std::vector<std::string_view>& migrations);

}  // namespace kinora::sqlite
