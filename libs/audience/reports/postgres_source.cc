// SqlSource over the catalog's PostgreSQL database: a small connection pool; the audience
// migrations are applied once on open.
#include <string>

#include "kinora/audience/schema.h"
#include "kinora/pg/pg.h"
#include "sql_source.h"

namespace kinora::audience::reports::internal {
namespace {

std::vector<pg::Param> Params(const std::vector<Arg>& args) {
  std::vector<pg::Param> out;
  out.reserve(args.size());
  for (const Arg& a : args) {
    if (const auto* n = std::get_if<int64_t>(&a)) {
      out.emplace_back(std::to_string(*n));
    } else {
      out.emplace_back(std::get<std::string>(a));
    }
  }
  return out;
}

class PostgresSource final : public SqlSource {
 public:
  PostgresSource(std::string conninfo, std::string schema)
      : pool_(std::move(conninfo), std::move(schema), 8) {}

  pg::PgPool& pool() { return pool_; }

  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Arg>& args,
                                 int cols) override {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto res, conn->Exec(sql, Params(args)));
    std::vector<Row> rows;
    rows.reserve(static_cast<size_t>(res.rows()));
    for (int r = 0; r < res.rows(); ++r) {
      Row row(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) row[static_cast<size_t>(c)] = std::string(res.Text(r, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<std::vector<std::string>> Plan(const std::string& sql,
                                        const std::vector<Arg>& args) override {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto res, conn->Exec("EXPLAIN " + sql, Params(args)));
    std::vector<std::string> lines;
    for (int r = 0; r < res.rows(); ++r) lines.emplace_back(res.Text(r, 0));
    return lines;
  }

 private:
  pg::PgPool pool_;
};

}  // namespace

Result<std::unique_ptr<SqlSource>> OpenPostgresSource(std::string_view url) {
  auto target = pg::ParseUrl(url);
  if (!target) return Annotate(target.error(), "audience reports URL");
  auto source = std::make_unique<PostgresSource>(target->conninfo, target->schema);
  {
    KINORA_TRY(auto conn, source->pool().Acquire());
    auto migrated = pg::MigrateComponent(*conn, kMigrationComponent, PostgresMigrations());
    if (!migrated) {
      return Annotate(migrated.error(), "migrate the audience tables in " + target->describe);
    }
  }
  return std::unique_ptr<SqlSource>(std::move(source));
}

}  // namespace kinora::audience::reports::internal
