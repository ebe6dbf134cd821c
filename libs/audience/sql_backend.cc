#include <boost/url.hpp>
#include <charconv>
#include <mutex>

#include "kinora/audience/schema.h"
#include "kinora/audience/sql.h"
#include "kinora/pg/pg.h"
#include "kinora/sqlite/checkpointer.h"
#include "kinora/sqlite/pool.h"

namespace kinora::audience {
namespace {

// $N -> ?N: SQLite numbers its parameters the same way.
std::string ToSqlite(std::string_view sql) {
  std::string out(sql);
  for (char& c : out)
    if (c == '$') c = '?';
  return out;
}

void Bind(sqlite::Stmt& s, const SqlParams& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    const int pos = static_cast<int>(i + 1);
    if (const int64_t* v = std::get_if<int64_t>(&params[i])) {
      s.Bind(pos, *v);
    } else {
      s.Bind(pos, std::string_view(std::get<std::string>(params[i])));
    }
  }
}

Result<SqlRows> QueryOn(sqlite::Conn& c, std::string_view sql, const SqlParams& params,
                        int columns) {
  KINORA_TRY(auto s, c.Use(ToSqlite(sql)));
  Bind(*s, params);
  SqlRows out;
  while (true) {
    KINORA_TRY(bool row, s->Step());
    if (!row) break;
    auto& r = out.rows.emplace_back();
    r.reserve(columns);
    for (int i = 0; i < columns; ++i) r.push_back(s->Text(i));
  }
  return out;
}

class SqliteTx final : public SqlTx {
 public:
  explicit SqliteTx(sqlite::Conn& c) : c_(c) {}
  Result<SqlRows> Query(std::string_view sql, const SqlParams& params, int columns) override {
    return QueryOn(c_, sql, params, columns);
  }
  Result<int64_t> Exec(std::string_view sql, const SqlParams& params) override {
    KINORA_TRY(auto s, c_.Use(ToSqlite(sql)));
    Bind(*s, params);
    KINORA_TRY_VOID(s->Run());
    return c_.db().Changes();
  }

 private:
  sqlite::Conn& c_;
};

class SqliteBackend final : public SqlBackend {
 public:
  // Ingest writes more WAL than anything else in the file: its commits wake a background
  // checkpointer of their own instead of copying pages inline (kinora/sqlite/checkpointer.h).
  SqliteBackend(std::filesystem::path file, std::unique_ptr<sqlite::Checkpointer> checkpointer,
                std::unique_ptr<sqlite::Conn> writer)
      : file_(file),
        checkpointer_(std::move(checkpointer)),
        writer_(std::move(writer)),
        readers_(std::move(file), 4) {
    checkpointer_->Attach(*writer_);
  }
  bool postgres() const override { return false; }
  Result<void> Transact(const std::function<Result<void>(SqlTx&)>& body) override {
    std::lock_guard lock(mu_);
    KINORA_TRY(auto tx, sqlite::Transaction::Begin(writer_->db()));
    SqliteTx t(*writer_);
    KINORA_TRY_VOID(body(t));
    return tx.Commit();
  }
  Result<SqlRows> Read(std::string_view sql, const SqlParams& params, int columns) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    return QueryOn(*conn, sql, params, columns);
  }
  std::string Describe() const override { return "sqlite " + file_.string(); }

 private:
  const std::filesystem::path file_;
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;  // outlives writer_, whose WAL hook it is
  std::mutex mu_;
  std::unique_ptr<sqlite::Conn> writer_;  // guarded by mu_
  sqlite::ReadPool readers_;
};

std::vector<pg::Param> PgParams(const SqlParams& params) {
  std::vector<pg::Param> out;
  out.reserve(params.size());
  for (const auto& p : params) {
    if (const int64_t* v = std::get_if<int64_t>(&p)) {
      out.emplace_back(std::to_string(*v));
    } else {
      out.emplace_back(std::get<std::string>(p));
    }
  }
  return out;
}

Result<SqlRows> QueryOn(pg::PgConn& c, std::string_view sql, const SqlParams& params, int columns) {
  KINORA_TRY(pg::PgResult r, c.Exec(sql, PgParams(params)));
  SqlRows out;
  out.rows.resize(r.rows());
  for (int i = 0; i < r.rows(); ++i) {
    auto& row = out.rows[i];
    row.reserve(columns);
    for (int col = 0; col < columns; ++col) row.emplace_back(r.Text(i, col));
  }
  return out;
}

class PgTx final : public SqlTx {
 public:
  explicit PgTx(pg::PgConn& c) : c_(c) {}
  Result<SqlRows> Query(std::string_view sql, const SqlParams& params, int columns) override {
    return QueryOn(c_, sql, params, columns);
  }
  Result<int64_t> Exec(std::string_view sql, const SqlParams& params) override {
    KINORA_TRY(pg::PgResult r, c_.Exec(sql, PgParams(params)));
    return r.affected();
  }

 private:
  pg::PgConn& c_;
};

class PostgresBackend final : public SqlBackend {
 public:
  PostgresBackend(const pg::Target& t) : describe_(t.describe), pool_(t.conninfo, t.schema, 8) {}
  bool postgres() const override { return true; }
  Result<void> Transact(const std::function<Result<void>(SqlTx&)>& body) override {
    KINORA_TRY(auto conn, pool_.Acquire());
    KINORA_TRY(auto tx, pg::Tx::Begin(*conn));
    PgTx t(*conn);
    KINORA_TRY_VOID(body(t));
    return tx.Commit();
  }
  Result<SqlRows> Read(std::string_view sql, const SqlParams& params, int columns) override {
    KINORA_TRY(auto conn, pool_.Acquire());
    return QueryOn(*conn, sql, params, columns);
  }
  std::string Describe() const override { return "postgresql " + describe_; }
  pg::PgPool& pool() { return pool_; }

 private:
  const std::string describe_;
  pg::PgPool pool_;
};

}  // namespace

int64_t SqlRows::Int(size_t row, size_t col) const {
  const std::string& s = rows[row][col];
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Result<std::unique_ptr<SqlBackend>> OpenSqlBackend(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return InvalidArgument("audience database URL is not a URL");
  const std::string scheme = parsed->scheme();
  if (scheme == "sqlite") {
    const std::string path = parsed->path();
    if (!parsed->host().empty() || path.empty() || path.front() != '/')
      return InvalidArgument("sqlite audience URL needs an absolute path: " + std::string(url));
    KINORA_TRY(auto writer, sqlite::Conn::Open(path, /*read_only=*/false));
    auto migrated = sqlite::MigrateComponent(writer->db(), kMigrationComponent, SqliteMigrations());
    if (!migrated) return Annotate(migrated.error(), "migrate the audience tables in " + path);
    KINORA_TRY(auto checkpointer, sqlite::Checkpointer::Start(path));
    return std::unique_ptr<SqlBackend>(
        std::make_unique<SqliteBackend>(path, std::move(checkpointer), std::move(writer)));
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    auto target = pg::ParseUrl(url);
    if (!target) return Annotate(target.error(), "audience database URL");
    auto backend = std::make_unique<PostgresBackend>(*target);
    {
      KINORA_TRY(auto conn, backend->pool().Acquire());
      auto migrated = pg::MigrateComponent(*conn, kMigrationComponent, PostgresMigrations());
      if (!migrated)
        return Annotate(migrated.error(), "migrate the audience tables in " + target->describe);
    }
    return std::unique_ptr<SqlBackend>(std::move(backend));
  }
  return InvalidArgument("unknown audience database URL scheme '" + scheme + "'");
}

}  // namespace kinora::audience
