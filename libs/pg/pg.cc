#include "kinora/pg/pg.h"

#include <boost/url.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace kinora::pg {

namespace {

// The advisory lock every migration of the shared schema takes (key: "kinora").
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7021983650)";

bool ValidSchemaName(std::string_view s) {
  if (s.empty() || s.size() > 63 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<Target> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || (parsed->scheme() != "postgresql" && parsed->scheme() != "postgres")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "PostgreSQL URL must look like postgresql://user@host:port/db");
  }
  boost::urls::url u = *parsed;
  Target t;
  // The query is read, never edited in place: Boost.URL 1.81 reads out of bounds walking the
  // parameters of a query it has just edited, or an empty one before a fragment ("postgres:?#…",
  // "postgresql:4?&schema=s#…"; found by fuzz/settings_url_fuzz.cc). The parameters other than
  // `schema` are written back as a new query; empty ones ("&&") are dropped.
  std::string kept, shown_query;
  if (u.has_query() && !u.encoded_query().empty()) {
    for (auto param : parsed->encoded_params()) {
      if (param.key.empty() && !param.has_value) continue;
      if (param.key == "schema") {
        t.schema = param.value.decode();
        continue;
      }
      const std::string key(param.key);
      const std::string value = param.has_value ? "=" + std::string(param.value) : "";
      kept += (kept.empty() ? "" : "&") + key + value;
      // libpq also takes the password as a parameter (?password=…, however percent-encoded).
      const bool secret = param.key.decode() == "password";
      shown_query += (shown_query.empty() ? "" : "&") + key + (secret ? "=***" : value);
    }
  }
  if (!t.schema.empty() && !ValidSchemaName(t.schema)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "schema '" + t.schema + "' must be [a-z_][a-z0-9_]*, ≤ 63 bytes");
  }
  if (kept.empty()) {
    u.remove_query();
  } else {
    u.set_encoded_query(kept);
  }
  t.conninfo = std::string(u.buffer());
  boost::urls::url shown = u;
  if (shown.has_password()) shown.set_password("***");
  if (!shown_query.empty()) shown.set_encoded_query(shown_query);
  t.describe = std::string(shown.buffer()) + (t.schema.empty() ? "" : " schema " + t.schema);
  return t;
}

int64_t PgResult::Int(int row, int col) const {
  std::string_view t = Text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

double PgResult::Double(int row, int col) const {
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Error Classify(const PGresult* r, PGconn* c, std::string_view what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = r ? PQresultErrorMessage(r) : "";
  if (msg.empty() && c) msg = PQerrorMessage(c);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string text = std::string(what) + ": " + msg;
  const std::string_view s = state ? state : "";
  if (s == "23505") return MakeError(ErrorCode::kAlreadyExists, text);
  if (s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "40001" ||
      s == "40P01" || s == "53300" || (c && PQstatus(c) != CONNECTION_OK)) {
    return MakeError(ErrorCode::kUnavailable, text);
  }
  if (s.starts_with("22") || s.starts_with("23"))
    return MakeError(ErrorCode::kInvalidArgument, text);
  return MakeError(ErrorCode::kInternal, text);
}

Result<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& conninfo,
                                                const std::string& search_path) {
  PGconn* raw = PQconnectdb(conninfo.c_str());
  std::unique_ptr<PgConn> c(new PgConn(raw));
  if (!raw || PQstatus(raw) != CONNECTION_OK) {
    std::string msg = raw ? PQerrorMessage(raw) : "out of memory";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return MakeError(ErrorCode::kUnavailable, "connect to PostgreSQL: " + msg);
  }
  // Server notices ("schema … already exists, skipping") are not errors: keep them off stderr.
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);
  KINORA_TRY_VOID(c->ExecScript("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'"));
  if (!search_path.empty()) {
    // The name was checked to be [a-z0-9_] by the caller.
    // Under a lock: concurrent CREATE SCHEMA IF NOT EXISTS can still collide.
    KINORA_TRY_VOID(
        c->ExecScript("BEGIN; SELECT pg_advisory_xact_lock(7021983651); "
                      "CREATE SCHEMA IF NOT EXISTS " +
                      search_path + "; COMMIT; SET search_path TO " + search_path));
  }
  return c;
}

Result<PgResult> PgConn::Exec(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  PGresult* raw = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  const auto st = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Error e = Classify(raw, conn_.get(), "PostgreSQL");
    PQclear(raw);
    return e;
  }
  return PgResult(raw);
}

Result<const std::string*> PgConn::Prepare(const std::string& sql, int n_params) {
  std::string name = "kinora_" + std::to_string(next_name_++);
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQprepare(conn_.get(), name.c_str(), sql.c_str(), n_params, nullptr), &PQclear);
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return Classify(r.get(), conn_.get(), "PostgreSQL prepare");
  }
  return &prepared_.insert_or_assign(sql, std::move(name)).first->second;
}

Result<PgResult> PgConn::ExecPrepared(std::string_view sql, const std::vector<Param>& params) {
  std::string text(sql);
  auto found = prepared_.find(text);
  if (found == prepared_.end() && prepared_.size() >= kMaxPrepared) return Exec(sql, params);
  const int n = static_cast<int>(params.size());
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string* name = found == prepared_.end() ? nullptr : &found->second;
  for (int attempt = 0;; ++attempt) {
    if (!name) {
      KINORA_TRY(name, Prepare(text, n));
    }
    PGresult* raw =
        PQexecPrepared(conn_.get(), name->c_str(), n, values.data(), nullptr, nullptr, 0);
    const auto st = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(raw);
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view s = state ? state : "";
    // 26000: the server no longer knows the name; 0A000: "cached plan must not change result
    // type" after a schema change. Both are cured by preparing the text again; inside a
    // transaction, which the failure aborted, only the next call can, so this one fails.
    const bool stale =
        (s == "26000" || s == "0A000") && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
    if (!stale || attempt > 0) {
      Error e = Classify(raw, conn_.get(), "PostgreSQL");
      PQclear(raw);
      if (s == "26000" || s == "0A000") prepared_.erase(text);
      return e;
    }
    PQclear(raw);
    const std::string deallocate = "DEALLOCATE " + *name;
    PQclear(PQexec(conn_.get(), deallocate.c_str()));  // may fail: the name may be gone
    prepared_.erase(text);
    name = nullptr;
  }
}

Result<void> PgConn::ExecScript(std::string_view sql) {
  const std::string text(sql);
  PGresult* raw = PQexec(conn_.get(), text.c_str());
  std::unique_ptr<PGresult, decltype(&PQclear)> r(raw, &PQclear);
  const auto st = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Classify(raw, conn_.get(), "PostgreSQL");
  }
  return {};
}

Tx::~Tx() {
  if (c_) (void)c_->ExecScript("ROLLBACK");
}

Result<Tx> Tx::Begin(PgConn& c, std::string_view begin_sql) {
  KINORA_TRY_VOID(c.ExecScript(begin_sql));
  return Tx(&c);
}

Result<void> Tx::Commit() {
  PgConn* c = c_;
  c_ = nullptr;
  return c->ExecScript("COMMIT");
}

Result<void> MigrateComponent(PgConn& c, std::string_view component,
                              const std::vector<std::string_view>& migrations) {
  KINORA_TRY(auto tx, Tx::Begin(c));
  KINORA_TRY_VOID(c.ExecScript(std::string(kMigrationLock) +
                               "; CREATE TABLE IF NOT EXISTS kinora_migrations ("
                               "component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  const std::string name(component);
  KINORA_TRY(PgResult v,
             c.Exec("SELECT version FROM kinora_migrations WHERE component = $1", {name}));
  const int64_t have = v.rows() > 0 ? v.Int(0, 0) : 0;
  if (have > static_cast<int64_t>(migrations.size())) {
    return MakeError(ErrorCode::kUnsupported, "the " + name + " schema (version " +
                                                  std::to_string(have) +
                                                  ") is newer than this program knows");
  }
  for (size_t i = static_cast<size_t>(have); i < migrations.size(); ++i) {
    auto done = c.ExecScript(migrations[i]);
    if (!done) return Annotate(done.error(), name + " migration " + std::to_string(i + 1));
  }
  KINORA_TRY_VOID(
      c.Exec("INSERT INTO kinora_migrations (component, version) VALUES ($1, $2) "
             "ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
             {name, std::to_string(migrations.size())}));
  return tx.Commit();
}

Result<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    if (c->healthy()) return Lease(this, std::move(c));
    --open_;  // broken: replace it below
  }
  ++open_;
  lock.unlock();
  auto c = PgConn::Connect(conninfo_, search_path_);
  if (!c) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return c.error();
  }
  return Lease(this, std::move(*c));
}

void PgPool::Release(std::unique_ptr<PgConn> c) {
  std::lock_guard lock(mu_);
  if (c->healthy()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;
  }
  cv_.notify_one();
}

}  // namespace kinora::pg
