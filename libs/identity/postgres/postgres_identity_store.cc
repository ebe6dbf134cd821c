#include "postgres/postgres_identity_store.h"

#include <initializer_list>
#include <string>

#include "kinora/pg/pg.h"
#include "store_common.h"

namespace kinora::identity {
namespace {

using internal::kSessionColumnCount;
using internal::kTokenColumnCount;

// Version 1: the SQLite schema (sqlite/sqlite_identity_store.cc) in PostgreSQL's dialect.
// Usernames are unique in any case through an index on lower(username).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE users (
  user_id              TEXT PRIMARY KEY,
  username             TEXT NOT NULL,
  password_hash        TEXT NOT NULL,
  role                 TEXT NOT NULL,
  disabled             BOOLEAN NOT NULL DEFAULT FALSE,
  must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
  approved             BOOLEAN NOT NULL DEFAULT TRUE,
  quota_bytes          BIGINT NOT NULL DEFAULT 0,
  daily_quota_bytes    BIGINT NOT NULL DEFAULT 0,
  created_at           BIGINT NOT NULL,
  failed_logins        BIGINT NOT NULL DEFAULT 0,
  locked_until         BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX users_by_name ON users (lower(username));
CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE api_tokens (
  token_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  hint         TEXT NOT NULL,
  scopes       TEXT NOT NULL DEFAULT '',
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL DEFAULT 0,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);
)sql";

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {kSchemaV1};
  return kMigrations;
}

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

// The statements, built once from the shared column lists. Names compare and sort as
// lower(username) in the "C" collation: byte order, as SQLite's NOCASE, whatever the database's
// collation.
struct Statements {
  const std::string insert_user =
      "INSERT INTO users (user_id, username, password_hash, role, disabled, "
      "must_change_password, approved, quota_bytes, daily_quota_bytes, created_at, failed_logins, "
      "locked_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
  const std::string get_user =
      Sql({"SELECT ", internal::kUserColumns, " FROM users u WHERE u.user_id = $1"});
  const std::string find_user =
      Sql({"SELECT ", internal::kUserColumns, " FROM users u WHERE lower(u.username) = lower($1)"});
  const std::string list_users = Sql({"SELECT ", internal::kUserColumns,
                                      " FROM users u ORDER BY lower(u.username) COLLATE \"C\""});
  const std::string update_user =
      "UPDATE users SET password_hash = $2, role = $3, disabled = $4, must_change_password = $5, "
      "approved = $6, quota_bytes = $7, daily_quota_bytes = $8, failed_logins = $9, "
      "locked_until = $10 WHERE user_id = $1";
  const std::string count_users = "SELECT COUNT(*) FROM users";
  // INSERT … SELECT: no row when the user does not exist, which reads as kNotFound.
  const std::string insert_session =
      "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) "
      "SELECT $1, user_id, $3, $4, $5, $6 FROM users WHERE user_id = $2";
  const std::string find_session =
      Sql({"SELECT ", internal::kSessionColumns, ", ", internal::kUserColumns,
           " FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.id_hash = $1"});
  const std::string touch_session =
      "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1";
  const std::string delete_session = "DELETE FROM sessions WHERE id_hash = $1";
  const std::string delete_user_sessions =
      "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2";
  const std::string insert_token =
      "INSERT INTO api_tokens (token_id, user_id, name, hash, hint, scopes, created_at, "
      "expires_at, last_used_at, revoked) "
      "SELECT $1, user_id, $3, $4, $5, $6, $7, $8, $9, $10 FROM users WHERE user_id = $2";
  const std::string find_token =
      Sql({"SELECT ", internal::kTokenColumns, ", ", internal::kUserColumns,
           " FROM api_tokens t JOIN users u ON u.user_id = t.user_id WHERE t.hash = $1"});
  const std::string list_tokens =
      Sql({"SELECT ", internal::kTokenColumns,
           " FROM api_tokens t WHERE t.user_id = $1 "
           "ORDER BY t.created_at DESC, t.token_id COLLATE \"C\" DESC"});
  const std::string revoke_token =
      "UPDATE api_tokens SET revoked = TRUE WHERE user_id = $1 AND token_id = $2";
  const std::string touch_token =
      "UPDATE api_tokens SET last_used_at = GREATEST(last_used_at, $2) WHERE hash = $1";
  const std::string ping = "SELECT COUNT(*) FROM users";
};

const Statements& Q() {
  static const Statements kStatements;
  return kStatements;
}

pg::Param Str(std::string_view s) { return std::string(s); }
pg::Param Num(int64_t v) { return std::to_string(v); }
pg::Param Bool(bool b) { return std::string(b ? "true" : "false"); }
bool ReadBool(const pg::PgResult& r, int row, int col) { return r.Text(row, col) == "t"; }

User ReadUser(const pg::PgResult& r, int row, int c) {
  User u;
  u.user_id = r.Text(row, c);
  u.username = r.Text(row, c + 1);
  u.password_hash = r.Text(row, c + 2);
  u.role = internal::RoleFromText(r.Text(row, c + 3));
  u.disabled = ReadBool(r, row, c + 4);
  u.must_change_password = ReadBool(r, row, c + 5);
  u.approved = ReadBool(r, row, c + 6);
  u.quota_bytes = r.Int(row, c + 7);
  u.daily_quota_bytes = r.Int(row, c + 8);
  u.created_at = r.Int(row, c + 9);
  u.failed_logins = r.Int(row, c + 10);
  u.locked_until = r.Int(row, c + 11);
  return u;
}

Session ReadSession(const pg::PgResult& r, int row, int c) {
  Session s;
  s.id_hash = r.Text(row, c);
  s.user_id = r.Text(row, c + 1);
  s.created_at = r.Int(row, c + 2);
  s.last_seen_at = r.Int(row, c + 3);
  s.expires_at = r.Int(row, c + 4);
  s.user_agent = r.Text(row, c + 5);
  return s;
}

ApiToken ReadToken(const pg::PgResult& r, int row, int c) {
  ApiToken t;
  t.token_id = r.Text(row, c);
  t.user_id = r.Text(row, c + 1);
  t.name = r.Text(row, c + 2);
  t.hash = r.Text(row, c + 3);
  t.hint = r.Text(row, c + 4);
  t.scopes = internal::ScopesFromText(r.Text(row, c + 5));
  t.created_at = r.Int(row, c + 6);
  t.expires_at = r.Int(row, c + 7);
  t.last_used_at = r.Int(row, c + 8);
  t.revoked = ReadBool(r, row, c + 9);
  return t;
}

class PostgresIdentityStore final : public IdentityStore {
 public:
  static constexpr size_t kMaxConnections = 4;

  PostgresIdentityStore(std::string conninfo, std::string schema)
      : pool_(std::move(conninfo), std::move(schema), kMaxConnections) {}

  pg::PgPool& pool() { return pool_; }

  Result<User> CreateUser(User u) override {
    KINORA_TRY(u, internal::PrepareNewUser(std::move(u)));
    auto r = Exec(
        Q().insert_user,
        {Str(u.user_id), Str(u.username), Str(u.password_hash), Str(ToString(u.role)),
         Bool(u.disabled), Bool(u.must_change_password), Bool(u.approved), Num(u.quota_bytes),
         Num(u.daily_quota_bytes), Num(u.created_at), Num(u.failed_logins), Num(u.locked_until)});
    if (!r && r.error().code == ErrorCode::kAlreadyExists)
      return internal::UsernameTaken(u.username);
    if (!r) return r.error();
    return u;
  }

  Result<User> GetUser(std::string_view user_id) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().get_user, {Str(user_id)}));
    if (r.rows() == 0) return internal::NoUser("with id " + std::string(user_id));
    return ReadUser(r, 0, 0);
  }

  Result<User> FindUser(std::string_view username) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().find_user, {Str(username)}));
    if (r.rows() == 0) return internal::NoUser("named '" + std::string(username) + "'");
    return ReadUser(r, 0, 0);
  }

  Result<std::vector<User>> ListUsers() override {
    KINORA_TRY(pg::PgResult r, Exec(Q().list_users, {}));
    std::vector<User> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadUser(r, i, 0));
    return out;
  }

  Result<void> UpdateUser(const User& u) override {
    KINORA_TRY(pg::PgResult r,
               Exec(Q().update_user,
                    {Str(u.user_id), Str(u.password_hash), Str(ToString(u.role)), Bool(u.disabled),
                     Bool(u.must_change_password), Bool(u.approved), Num(u.quota_bytes),
                     Num(u.daily_quota_bytes), Num(u.failed_logins), Num(u.locked_until)}));
    if (r.affected() == 0) return internal::NoUser("with id " + u.user_id);
    return {};
  }

  Result<int64_t> CountUsers() override {
    KINORA_TRY(pg::PgResult r, Exec(Q().count_users, {}));
    return r.Int(0, 0);
  }

  Result<void> CreateSession(const Session& s) override {
    KINORA_TRY_VOID(internal::CheckNewSession(s));
    KINORA_TRY(pg::PgResult r,
               Exec(Q().insert_session,
                    {Str(s.id_hash), Str(s.user_id), Num(s.created_at), Num(s.last_seen_at),
                     Num(s.expires_at), internal::StoredUserAgent(s.user_agent)}));
    if (r.affected() == 0) return internal::NoUser("with id " + s.user_id);
    return {};
  }

  Result<SessionAndUser> FindSession(std::string_view id_hash) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().find_session, {Str(id_hash)}));
    if (r.rows() == 0) return internal::NoSession();
    return SessionAndUser{ReadSession(r, 0, 0), ReadUser(r, 0, kSessionColumnCount)};
  }

  Result<void> TouchSession(std::string_view id_hash, int64_t now) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().touch_session, {Str(id_hash), Num(now)}));
    if (r.affected() == 0) return internal::NoSession();
    return {};
  }

  Result<void> DeleteSession(std::string_view id_hash) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().delete_session, {Str(id_hash)}));
    if (r.affected() == 0) return internal::NoSession();
    return {};
  }

  Result<int64_t> DeleteUserSessions(std::string_view user_id,
                                     std::string_view keep_hash) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().delete_user_sessions, {Str(user_id), Str(keep_hash)}));
    return r.affected();
  }

  Result<void> CreateToken(const ApiToken& t) override {
    KINORA_TRY_VOID(internal::CheckNewToken(t));
    auto r =
        Exec(Q().insert_token, {Str(t.token_id), Str(t.user_id), Str(t.name), Str(t.hash),
                                Str(t.hint), internal::ScopesToText(t.scopes), Num(t.created_at),
                                Num(t.expires_at), Num(t.last_used_at), Bool(t.revoked)});
    if (!r && r.error().code == ErrorCode::kAlreadyExists) {
      return AlreadyExists("a token with this id or hash exists");
    }
    if (!r) return r.error();
    if (r->affected() == 0) return internal::NoUser("with id " + t.user_id);
    return {};
  }

  Result<TokenAndUser> FindToken(std::string_view hash) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().find_token, {Str(hash)}));
    if (r.rows() == 0) return internal::NoToken();
    return TokenAndUser{ReadToken(r, 0, 0), ReadUser(r, 0, kTokenColumnCount)};
  }

  Result<std::vector<ApiToken>> ListTokens(std::string_view user_id) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().list_tokens, {Str(user_id)}));
    std::vector<ApiToken> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadToken(r, i, 0));
    return out;
  }

  Result<void> RevokeToken(std::string_view user_id, std::string_view token_id) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().revoke_token, {Str(user_id), Str(token_id)}));
    // PostgreSQL counts a matched row even when it was revoked already: revoking is idempotent.
    if (r.affected() == 0) return internal::NoToken();
    return {};
  }

  Result<void> TouchToken(std::string_view hash, int64_t now) override {
    KINORA_TRY(pg::PgResult r, Exec(Q().touch_token, {Str(hash), Num(now)}));
    if (r.affected() == 0) return internal::NoToken();
    return {};
  }

  Result<void> Ping() override {
    KINORA_TRY_VOID(Exec(Q().ping, {}));
    return {};
  }

 private:
  Result<pg::PgResult> Exec(const std::string& sql, const std::vector<pg::Param>& params) {
    KINORA_TRY(auto conn, pool_.Acquire());
    return conn->Exec(sql, params);
  }

  pg::PgPool pool_;
};

}  // namespace

Result<std::unique_ptr<IdentityStore>> NewPostgresIdentityStore(std::string_view url) {
  auto target = pg::ParseUrl(url);
  if (!target) return Annotate(target.error(), "identity store URL");
  auto store = std::make_unique<PostgresIdentityStore>(target->conninfo, target->schema);
  {
    KINORA_TRY(auto conn, store->pool().Acquire());
    auto migrated = pg::MigrateComponent(*conn, "identity", Migrations());
    if (!migrated) {
      return Annotate(migrated.error(), "migrate the identity tables in " + target->describe);
    }
  }
  return std::unique_ptr<IdentityStore>(std::move(store));
}

}  // namespace kinora::identity
