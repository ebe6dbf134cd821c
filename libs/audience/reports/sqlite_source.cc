// SqlSource over the catalog's SQLite file: read-only pooled connections (WAL readers never
// wait for the writer); the audience migrations are applied once on open.
#include <string>

#include "kinora/audience/schema.h"
#include "kinora/sqlite/pool.h"
#include "sql_source.h"

namespace kinora::audience::reports::internal {
namespace {

// "$3" → "?3": SQLite numbers ?NNN parameters as written.
std::string ToSqlite(const std::string& sql) {
  std::string out = sql;
  for (char& c : out) {
    if (c == '$') c = '?';
  }
  return out;
}

class SqliteSource final : public SqlSource {
 public:
  explicit SqliteSource(const std::string& file) : readers_(file, 8) {}

  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Arg>& args,
                                 int cols) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto stmt, conn->Use(ToSqlite(sql)));
    Bind(*stmt, args);
    std::vector<Row> rows;
    for (;;) {
      KINORA_TRY(bool more, stmt->Step());
      if (!more) break;
      Row r(static_cast<size_t>(cols));
      for (int i = 0; i < cols; ++i) r[static_cast<size_t>(i)] = stmt->Text(i);
      rows.push_back(std::move(r));
    }
    return rows;
  }

  Result<std::vector<std::string>> Plan(const std::string& sql,
                                        const std::vector<Arg>& args) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto stmt, conn->db().Prepare("EXPLAIN QUERY PLAN " + ToSqlite(sql)));
    Bind(stmt, args);
    std::vector<std::string> lines;
    for (;;) {
      KINORA_TRY(bool more, stmt.Step());
      if (!more) break;
      lines.push_back(stmt.Text(3));
    }
    return lines;
  }

 private:
  static void Bind(sqlite::Stmt& stmt, const std::vector<Arg>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
      const int pos = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<int64_t>(&args[i])) {
        stmt.Bind(pos, *n);
      } else {
        stmt.Bind(pos, std::string_view(std::get<std::string>(args[i])));
      }
    }
  }

  sqlite::ReadPool readers_;
};

}  // namespace

Result<std::unique_ptr<SqlSource>> OpenSqliteSource(const std::string& file) {
  {
    KINORA_TRY(auto writer, sqlite::Conn::Open(file, /*read_only=*/false));
    auto migrated = sqlite::MigrateComponent(writer->db(), kMigrationComponent, SqliteMigrations());
    if (!migrated) return Annotate(migrated.error(), "migrate the audience tables in " + file);
  }
  return std::unique_ptr<SqlSource>(std::make_unique<SqliteSource>(file));
}

}  // namespace kinora::audience::reports::internal
