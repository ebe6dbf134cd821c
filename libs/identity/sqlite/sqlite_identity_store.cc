#include "sqlite/sqlite_identity_store.h"

#include <initializer_list>
#include <mutex>
#include <string>

#include "kinora/sqlite/pool.h"
#include "store_common.h"

namespace kinora::identity {
namespace {

using internal::kSessionColumnCount;
using internal::kTokenColumnCount;

// Version 1: accounts, sign-in sessions and personal API tokens. Usernames are unique in any
// case (NOCASE folds ASCII, and usernames are ASCII); secrets are kept only as their digests.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE users (
  user_id              TEXT PRIMARY KEY,
  username             TEXT NOT NULL COLLATE NOCASE UNIQUE,
  password_hash        TEXT NOT NULL,
  role                 TEXT NOT NULL,
  disabled             INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  approved             INTEGER NOT NULL DEFAULT 1,
  quota_bytes          INTEGER NOT NULL DEFAULT 0,
  daily_quota_bytes    INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  failed_logins        INTEGER NOT NULL DEFAULT 0,
  locked_until         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE api_tokens (
  token_id     TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  hint         TEXT NOT NULL,
  scopes       TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL DEFAULT 0,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  revoked      INTEGER NOT NULL DEFAULT 0
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

// The statements, built once from the shared column lists.
struct Statements {
  const std::string insert_user =
      "INSERT INTO users (user_id, username, password_hash, role, disabled, "
      "must_change_password, approved, quota_bytes, daily_quota_bytes, created_at, failed_logins, "
      "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  const std::string get_user =
      Sql({"SELECT ", internal::kUserColumns, " FROM users u WHERE u.user_id = ?1"});
  // username has the NOCASE collation: = and ORDER BY compare case-insensitively.
  const std::string find_user =
      Sql({"SELECT ", internal::kUserColumns, " FROM users u WHERE u.username = ?1"});
  const std::string list_users =
      Sql({"SELECT ", internal::kUserColumns, " FROM users u ORDER BY u.username"});
  const std::string update_user =
      "UPDATE users SET password_hash = ?2, role = ?3, disabled = ?4, must_change_password = ?5, "
      "approved = ?6, quota_bytes = ?7, daily_quota_bytes = ?8, failed_logins = ?9, "
      "locked_until = ?10 WHERE user_id = ?1";
  const std::string count_users = "SELECT COUNT(*) FROM users";
  // INSERT … SELECT: no row when the user does not exist, which reads as kNotFound.
  const std::string insert_session =
      "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) "
      "SELECT ?1, user_id, ?3, ?4, ?5, ?6 FROM users WHERE user_id = ?2";
  const std::string find_session =
      Sql({"SELECT ", internal::kSessionColumns, ", ", internal::kUserColumns,
           " FROM sessions s JOIN users u ON u.user_id = s.user_id WHERE s.id_hash = ?1"});
  const std::string touch_session =
      "UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?2) WHERE id_hash = ?1";
  const std::string delete_session = "DELETE FROM sessions WHERE id_hash = ?1";
  const std::string delete_user_sessions =
      "DELETE FROM sessions WHERE user_id = ?1 AND id_hash <> ?2";
  const std::string insert_token =
      "INSERT INTO api_tokens (token_id, user_id, name, hash, hint, scopes, created_at, "
      "expires_at, last_used_at, revoked) "
      "SELECT ?1, user_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM users WHERE user_id = ?2";
  const std::string find_token =
      Sql({"SELECT ", internal::kTokenColumns, ", ", internal::kUserColumns,
           " FROM api_tokens t JOIN users u ON u.user_id = t.user_id WHERE t.hash = ?1"});
  const std::string list_tokens =
      Sql({"SELECT ", internal::kTokenColumns,
           " FROM api_tokens t WHERE t.user_id = ?1 ORDER BY t.created_at DESC, t.token_id DESC"});
  const std::string revoke_token =
      "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?1 AND token_id = ?2";
  const std::string touch_token =
      "UPDATE api_tokens SET last_used_at = MAX(last_used_at, ?2) WHERE hash = ?1";
  const std::string ping = "SELECT COUNT(*) FROM users";
};

const Statements& Q() {
  static const Statements kStatements;
  return kStatements;
}

int Bit(bool b) { return b ? 1 : 0; }

User ReadUser(const sqlite::Stmt& s, int c) {
  User u;
  u.user_id = s.Text(c);
  u.username = s.Text(c + 1);
  u.password_hash = s.Text(c + 2);
  u.role = internal::RoleFromText(s.Text(c + 3));
  u.disabled = s.Int(c + 4) != 0;
  u.must_change_password = s.Int(c + 5) != 0;
  u.approved = s.Int(c + 6) != 0;
  u.quota_bytes = s.Int(c + 7);
  u.daily_quota_bytes = s.Int(c + 8);
  u.created_at = s.Int(c + 9);
  u.failed_logins = s.Int(c + 10);
  u.locked_until = s.Int(c + 11);
  return u;
}

Session ReadSession(const sqlite::Stmt& s, int c) {
  Session out;
  out.id_hash = s.Text(c);
  out.user_id = s.Text(c + 1);
  out.created_at = s.Int(c + 2);
  out.last_seen_at = s.Int(c + 3);
  out.expires_at = s.Int(c + 4);
  out.user_agent = s.Text(c + 5);
  return out;
}

ApiToken ReadToken(const sqlite::Stmt& s, int c) {
  ApiToken t;
  t.token_id = s.Text(c);
  t.user_id = s.Text(c + 1);
  t.name = s.Text(c + 2);
  t.hash = s.Text(c + 3);
  t.hint = s.Text(c + 4);
  t.scopes = internal::ScopesFromText(s.Text(c + 5));
  t.created_at = s.Int(c + 6);
  t.expires_at = s.Int(c + 7);
  t.last_used_at = s.Int(c + 8);
  t.revoked = s.Int(c + 9) != 0;
  return t;
}

class SqliteIdentityStore final : public IdentityStore {
 public:
  static constexpr size_t kMaxReaders = 4;
  // The catalog's checkpointer keeps the shared WAL short; this connection checkpoints only
  // past the catalog's own hard limit, so a sign-in never pays for a checkpoint.
  static constexpr int kWalAutoCheckpointPages = 8192;

  SqliteIdentityStore(const std::filesystem::path& file, std::unique_ptr<sqlite::Conn> writer)
      : writer_(std::move(writer)), readers_(file, kMaxReaders) {}

  Result<User> CreateUser(User u) override {
    KINORA_TRY(u, internal::PrepareNewUser(std::move(u)));
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().insert_user));
    s->Bind(1, u.user_id).Bind(2, u.username).Bind(3, u.password_hash).Bind(4, ToString(u.role));
    s->Bind(5, Bit(u.disabled)).Bind(6, Bit(u.must_change_password)).Bind(7, Bit(u.approved));
    s->Bind(8, u.quota_bytes).Bind(9, u.daily_quota_bytes).Bind(10, u.created_at);
    s->Bind(11, u.failed_logins).Bind(12, u.locked_until);
    auto r = s->Run();
    if (!r && r.error().code == ErrorCode::kAlreadyExists)
      return internal::UsernameTaken(u.username);
    if (!r) return r.error();
    return u;
  }

  Result<User> GetUser(std::string_view user_id) override {
    return ReadOneUser(Q().get_user, user_id, "with id " + std::string(user_id));
  }

  Result<User> FindUser(std::string_view username) override {
    return ReadOneUser(Q().find_user, username, "named '" + std::string(username) + "'");
  }

  Result<std::vector<User>> ListUsers() override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().list_users));
    std::vector<User> out;
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) return out;
      out.push_back(ReadUser(*s, 0));
    }
  }

  Result<void> UpdateUser(const User& u) override {
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().update_user));
    s->Bind(1, u.user_id).Bind(2, u.password_hash).Bind(3, ToString(u.role));
    s->Bind(4, Bit(u.disabled)).Bind(5, Bit(u.must_change_password)).Bind(6, Bit(u.approved));
    s->Bind(7, u.quota_bytes).Bind(8, u.daily_quota_bytes).Bind(9, u.failed_logins);
    s->Bind(10, u.locked_until);
    KINORA_TRY_VOID(s->Run());
    if (writer_->db().Changes() == 0) return internal::NoUser("with id " + u.user_id);
    return {};
  }

  Result<int64_t> CountUsers() override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().count_users));
    KINORA_TRY(bool row, s->Step());
    return row ? s->Int(0) : 0;
  }

  Result<void> CreateSession(const Session& session) override {
    KINORA_TRY_VOID(internal::CheckNewSession(session));
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().insert_session));
    s->Bind(1, session.id_hash).Bind(2, session.user_id).Bind(3, session.created_at);
    s->Bind(4, session.last_seen_at).Bind(5, session.expires_at);
    s->Bind(6, internal::StoredUserAgent(session.user_agent));
    KINORA_TRY_VOID(s->Run());
    if (writer_->db().Changes() == 0) return internal::NoUser("with id " + session.user_id);
    return {};
  }

  Result<SessionAndUser> FindSession(std::string_view id_hash) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().find_session));
    s->Bind(1, id_hash);
    KINORA_TRY(bool row, s->Step());
    if (!row) return internal::NoSession();
    return SessionAndUser{ReadSession(*s, 0), ReadUser(*s, kSessionColumnCount)};
  }

  Result<void> TouchSession(std::string_view id_hash, int64_t now) override {
    KINORA_TRY(int64_t n, Write(Q().touch_session, id_hash, now));
    if (n == 0) return internal::NoSession();
    return {};
  }

  Result<void> DeleteSession(std::string_view id_hash) override {
    KINORA_TRY(int64_t n, Write(Q().delete_session, id_hash));
    if (n == 0) return internal::NoSession();
    return {};
  }

  Result<int64_t> DeleteUserSessions(std::string_view user_id,
                                     std::string_view keep_hash) override {
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().delete_user_sessions));
    s->Bind(1, user_id).Bind(2, keep_hash);
    KINORA_TRY_VOID(s->Run());
    return writer_->db().Changes();
  }

  Result<void> CreateToken(const ApiToken& t) override {
    KINORA_TRY_VOID(internal::CheckNewToken(t));
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().insert_token));
    s->Bind(1, t.token_id).Bind(2, t.user_id).Bind(3, t.name).Bind(4, t.hash).Bind(5, t.hint);
    s->Bind(6, internal::ScopesToText(t.scopes)).Bind(7, t.created_at).Bind(8, t.expires_at);
    s->Bind(9, t.last_used_at).Bind(10, Bit(t.revoked));
    auto r = s->Run();
    if (!r && r.error().code == ErrorCode::kAlreadyExists) {
      return AlreadyExists("a token with this id or hash exists");
    }
    if (!r) return r.error();
    if (writer_->db().Changes() == 0) return internal::NoUser("with id " + t.user_id);
    return {};
  }

  Result<TokenAndUser> FindToken(std::string_view hash) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().find_token));
    s->Bind(1, hash);
    KINORA_TRY(bool row, s->Step());
    if (!row) return internal::NoToken();
    return TokenAndUser{ReadToken(*s, 0), ReadUser(*s, kTokenColumnCount)};
  }

  Result<std::vector<ApiToken>> ListTokens(std::string_view user_id) override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().list_tokens));
    s->Bind(1, user_id);
    std::vector<ApiToken> out;
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) return out;
      out.push_back(ReadToken(*s, 0));
    }
  }

  Result<void> RevokeToken(std::string_view user_id, std::string_view token_id) override {
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(Q().revoke_token));
    s->Bind(1, user_id).Bind(2, token_id);
    KINORA_TRY_VOID(s->Run());
    // SQLite counts a matched row even when it was revoked already: revoking is idempotent.
    if (writer_->db().Changes() == 0) return internal::NoToken();
    return {};
  }

  Result<void> TouchToken(std::string_view hash, int64_t now) override {
    KINORA_TRY(int64_t n, Write(Q().touch_token, hash, now));
    if (n == 0) return internal::NoToken();
    return {};
  }

  Result<void> Ping() override {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(Q().ping));
    KINORA_TRY_VOID(s->Run());
    return {};
  }

 private:
  Result<User> ReadOneUser(const std::string& sql, std::string_view key, std::string what) {
    KINORA_TRY(auto conn, readers_.Acquire());
    KINORA_TRY(auto s, conn->Use(sql));
    s->Bind(1, key);
    KINORA_TRY(bool row, s->Step());
    if (!row) return internal::NoUser(what);
    return ReadUser(*s, 0);
  }

  // Runs a one-key write (?1 the key, ?2 a time when given); returns the rows it changed.
  Result<int64_t> Write(const std::string& sql, std::string_view key,
                        std::optional<int64_t> time = std::nullopt) {
    std::lock_guard lock(write_mu_);
    KINORA_TRY(auto s, writer_->Use(sql));
    s->Bind(1, key);
    if (time) s->Bind(2, *time);
    KINORA_TRY_VOID(s->Run());
    return writer_->db().Changes();
  }

  std::mutex write_mu_;
  std::unique_ptr<sqlite::Conn> writer_;  // guarded by write_mu_
  sqlite::ReadPool readers_;
};

}  // namespace

Result<std::unique_ptr<IdentityStore>> NewSqliteIdentityStore(const std::filesystem::path& file) {
  KINORA_TRY(auto writer, sqlite::Conn::Open(file, /*read_only=*/false));
  KINORA_TRY_VOID(writer->db().Exec("PRAGMA wal_autocheckpoint=" +
                                    std::to_string(SqliteIdentityStore::kWalAutoCheckpointPages)));
  auto migrated = sqlite::MigrateComponent(writer->db(), "identity", Migrations());
  if (!migrated)
    return Annotate(migrated.error(), "migrate the identity tables in " + file.string());
  return std::unique_ptr<IdentityStore>(
      std::make_unique<SqliteIdentityStore>(file, std::move(writer)));
}

}  // namespace kinora::identity
