// A thin RAII layer over libpq for the PostgreSQL backends (catalog, identity): their one URL
// form, connections, parameterised queries in text format (plain or prepared per connection),
// results, transactions, a bounded connection pool, migrations, and PostgreSQL's errors mapped
// to Kinora errors in one function (Classify).
// Thread safety: a PgConn is used by one thread at a time; PgPool may be shared.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::pg {

// Where a postgresql:// URL points: the catalog and the identity store read the same URL and
// so keep their tables in the same schema.
struct Target {
  std::string conninfo;  // the URL without Kinora's own parameters, for libpq
  std::string schema;    // [a-z_][a-z0-9_]*, at most 63 bytes; empty: the server's search_path
  std::string describe;  // for logs: the URL with its password masked, and the schema
};
// postgresql://user[:password]@host[:port]/db[?…libpq parameters…][&schema=name] (also
// postgres://). kInvalidArgument for another scheme or a bad schema name.
Result<Target> ParseUrl(std::string_view url);

// A query parameter in text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;

class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view Text(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  int64_t Int(int row, int col) const;
  double Double(int row, int col) const;
  // Rows changed by an UPDATE/DELETE/INSERT.
  int64_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

class PgConn {
 public:
  // `conninfo` is a libpq connection URI or key=value string; `search_path` (may be empty)
  // is set on the new session.
  static Result<std::unique_ptr<PgConn>> Connect(const std::string& conninfo,
                                                 const std::string& search_path);

  // Runs one statement with $1.. parameters.
  Result<PgResult> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs one statement with $1.. parameters as a prepared statement of this connection: the
  // first call with a given `sql` on this connection parses and names it (PQprepare), later
  // ones only bind and execute it, so the server skips parsing and, once it has settled on a
  // generic plan, planning. Prepared statements belong to one server session: a connection the
  // pool opens anew starts with none, and one the server no longer knows (DEALLOCATE, a schema
  // change that alters its result) is prepared again, once. For statements a process runs
  // again and again with few distinct texts; past kMaxPrepared texts on one connection, the
  // others run unprepared (Exec).
  Result<PgResult> ExecPrepared(std::string_view sql, const std::vector<Param>& params = {});
  // Runs statements without parameters (several, separated by ';').
  Result<void> ExecScript(std::string_view sql);
  bool healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  // libpq's connection, for what this class does not wrap (SharedQuery's asynchronous calls).
  PGconn* raw() { return conn_.get(); }
  // How many statements this connection has prepared.
  size_t prepared_count() const { return prepared_.size(); }

  static constexpr size_t kMaxPrepared = 256;

 private:
  explicit PgConn(PGconn* c) : conn_(c, &PQfinish) {}
  // Prepares `sql` under a new name, remembered in prepared_.
  Result<const std::string*> Prepare(const std::string& sql, int n_params);
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  uint64_t next_name_ = 0;
};

// Maps a failed result (or a dead connection) to a Kinora error: unique violation →
// kAlreadyExists, connection failures and admin shutdown → kUnavailable, serialization
// failures and deadlocks → kUnavailable (retryable), bad input → kInvalidArgument.
Error Classify(const PGresult* r, PGconn* c, std::string_view what);

// BEGIN … COMMIT, rolled back on destruction unless committed.
class Tx {
 public:
  static Result<Tx> Begin(PgConn& c, std::string_view begin_sql = "BEGIN");
  Tx(Tx&& o) noexcept : c_(o.c_) { o.c_ = nullptr; }
  ~Tx();
  Result<void> Commit();

 private:
  explicit Tx(PgConn* c) : c_(c) {}
  PgConn* c_;
};

// For a component whose tables share a schema with others' (the identity store beside the
// catalog): applies migrations[i] for every i >= the component's row in
// kinora_migrations(component, version), in one transaction under the advisory lock the
// catalog's migrations take, so processes starting together migrate once. kUnsupported when the
// schema is newer than `migrations`.
Result<void> MigrateComponent(PgConn& c, std::string_view component,
                              const std::vector<std::string_view>& migrations);

// A fixed-size pool; Acquire waits for a free connection (or opens one, up to max_size),
// and connections that broke are replaced.
class PgPool {
 public:
  PgPool(std::string conninfo, std::string search_path, size_t max_size)
      : conninfo_(std::move(conninfo)), search_path_(std::move(search_path)), max_(max_size) {}

  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConn> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (c_) pool_->Release(std::move(c_));
    }
    PgConn* operator->() { return c_.get(); }
    PgConn& operator*() { return *c_; }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConn> c_;
  };

  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<PgConn> c);

  const std::string conninfo_;
  const std::string search_path_;
  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  size_t open_ = 0;
};

}  // namespace kinora::pg
