// Pooled SQLite connections for the backends that share a database file (catalog, identity): a
// Conn caches its prepared statements (the hot paths are prepared once per connection), and
// ReadPool lends read-only connections so WAL readers never wait for the writer.
// Thread safety: a Conn is used by one thread at a time; ReadPool is safe from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kinora/sqlite/db.h"

namespace kinora::sqlite {

// A cached statement on loan; resets it (ending any implicit read transaction) when dropped.
class ScopedStmt {
 public:
  explicit ScopedStmt(Stmt* s) : s_(s) {}
  ScopedStmt(ScopedStmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  ScopedStmt& operator=(ScopedStmt&&) = delete;
  ~ScopedStmt() {
    if (s_) s_->Reset();
  }
  Stmt& operator*() const { return *s_; }
  Stmt* operator->() const { return s_; }

 private:
  Stmt* s_;
};

class Conn {
 public:
  // Opens the file; `read_only` connections refuse writes (PRAGMA query_only).
  static Result<std::unique_ptr<Conn>> Open(const std::filesystem::path& file, bool read_only);
  explicit Conn(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Db& db() { return *db_; }
  // The statement for `sql`, prepared on first use and kept for the connection's life.
  Result<ScopedStmt> Use(std::string_view sql);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unique_ptr<Db> db_;
  // Declared after db_ so statements are finalized before the connection closes.
  std::unordered_map<std::string, Stmt, Hash, std::equal_to<>> stmts_;
};

// A deferred read transaction on a Conn, so several statements see one snapshot.
class ReadTxn {
 public:
  static Result<ReadTxn> Begin(Conn& c);
  ReadTxn(ReadTxn&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
  ReadTxn& operator=(ReadTxn&&) = delete;
  ~ReadTxn();

 private:
  explicit ReadTxn(Conn* c) : c_(c) {}
  Conn* c_;
};

class ReadPool {
 public:
  ReadPool(std::filesystem::path file, size_t max_conns)
      : file_(std::move(file)), max_(max_conns) {}

  // Returns the connection to the pool when destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Conn> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->Release(std::move(c_));
    }
    Conn& operator*() const { return *c_; }
    Conn* operator->() const { return c_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Conn> c_;
  };

  // An idle connection, a new one while fewer than max_conns exist, else waits for a return.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Conn> c);

  const std::filesystem::path file_;
  const size_t max_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  size_t open_ = 0;                          // guarded by mu_
};

}  // namespace kinora::sqlite
