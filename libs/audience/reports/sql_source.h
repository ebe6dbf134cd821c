// The little a report query needs from a database: run one SELECT with numbered parameters and
// get its rows as text. The SQL is written once with $1…$N placeholders (PostgreSQL's); the
// SQLite source rewrites them to ?1…?N. Internal to the reports library.
// Thread safety: Query may be called from any thread (implementations pool connections).
#pragma once

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::audience::reports::internal {

using Arg = std::variant<int64_t, std::string>;
using Row = std::vector<std::string>;  // NULL reads as ""

inline int64_t Int(const Row& r, size_t col) {
  int64_t v = 0;
  const std::string& s = r.at(col);
  // PostgreSQL's SUM(bigint) is numeric: "12" (never a fraction for sums of integers).
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

class SqlSource {
 public:
  virtual ~SqlSource() = default;
  // Rows of `columns` text cells each.
  virtual Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Arg>& args,
                                         int columns) = 0;
  // The plan of a query, one line per step (tests only): SQLite's EXPLAIN QUERY PLAN details,
  // PostgreSQL's EXPLAIN lines.
  virtual Result<std::vector<std::string>> Plan(const std::string& sql,
                                                const std::vector<Arg>& args) = 0;
};

Result<std::unique_ptr<SqlSource>> OpenSqliteSource(const std::string& file);
Result<std::unique_ptr<SqlSource>> OpenPostgresSource(std::string_view url);

}  // namespace kinora::audience::reports::internal

namespace kinora::audience::reports {
class ReportStore;
namespace internal {
// The report store over a source (tests give it one to read plans from).
std::unique_ptr<ReportStore> NewSqlReportStore(std::unique_ptr<SqlSource> db);
}  // namespace internal
}  // namespace kinora::audience::reports
