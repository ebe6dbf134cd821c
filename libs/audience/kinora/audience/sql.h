// The audience tables' one way to the database: statements written once in PostgreSQL's
// placeholder form ($1, $2, …) run on SQLite or PostgreSQL, in a transaction or as a read, with
// every value read back as text. The tables are the same on both (schema.h), so the store (and
// the reports) keep one copy of each statement. Opening migrates the audience tables.
// Thread safety: a SqlBackend may be used from many threads; a SqlTx belongs to the callback it
// is passed to.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::audience {

using SqlValue = std::variant<int64_t, std::string>;
using SqlParams = std::vector<SqlValue>;

// Result rows, each value as text (integers in decimal, NULL as "").
struct SqlRows {
  std::vector<std::vector<std::string>> rows;
  size_t size() const { return rows.size(); }
  bool empty() const { return rows.empty(); }
  const std::string& Text(size_t row, size_t col) const { return rows[row][col]; }
  int64_t Int(size_t row, size_t col) const;  // 0 for "" or non-numbers
};

class SqlTx {
 public:
  virtual ~SqlTx() = default;
  // A SELECT of `columns` columns.
  virtual Result<SqlRows> Query(std::string_view sql, const SqlParams& params, int columns) = 0;
  // Returns the rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const SqlParams& params = {}) = 0;
};

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;
  // True on PostgreSQL: statements may add row locks (FOR UPDATE), which SQLite has no need of
  // (its write transactions are exclusive).
  virtual bool postgres() const = 0;
  // Runs `body` in one write transaction, committed when it returns success and rolled back
  // otherwise. kUnavailable (busy, deadlock, serialization failure) may be retried.
  virtual Result<void> Transact(const std::function<Result<void>(SqlTx&)>& body) = 0;
  // A SELECT of `columns` columns outside any write transaction (pooled read connections).
  virtual Result<SqlRows> Read(std::string_view sql, const SqlParams& params, int columns) = 0;
  virtual std::string Describe() const = 0;
};

// sqlite:///abs/catalog.db or postgresql://… (the catalog's URL); migrates the audience tables.
Result<std::unique_ptr<SqlBackend>> OpenSqlBackend(std::string_view url);

}  // namespace kinora::audience
