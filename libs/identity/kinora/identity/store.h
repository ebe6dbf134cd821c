// IdentityStore: accounts, sign-in sessions and personal API tokens, kept in the catalog's
// database (same URL as the catalog: sqlite:///…/catalog.db or postgresql://…), so in split mode
// any replica of any role authenticates a request from the same rows. Secrets are never stored:
// sessions and tokens are looked up by HashSecret() of the value the client holds.
// Backends: SQLite and PostgreSQL, chosen by URL through OpenIdentityStore(); both pass
// identity_contract.h.
// Thread safety: an IdentityStore may be used from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/identity/rights.h"

namespace kinora::identity {

// Times are unix milliseconds (UTC) throughout.
struct User {
  std::string user_id;        // UUID, assigned by CreateUser
  std::string username;       // unique, case-insensitively; 1–64 of [A-Za-z0-9._-]
  std::string password_hash;  // PHC string (password.h)
  Role role = Role::kUser;
  bool disabled = false;
  bool must_change_password = false;  // set for generated first-admin and reset passwords
  bool approved = true;               // false while a self-registration awaits an admin
  int64_t quota_bytes = 0;            // total original bytes; 0 = unlimited
  int64_t daily_quota_bytes = 0;      // original bytes per UTC day; 0 = unlimited
  int64_t created_at = 0;
  int64_t failed_logins = 0;  // consecutive failures since the last success
  int64_t locked_until = 0;   // sign-in refused before this time (back-off)
};

struct Session {
  std::string id_hash;  // HashSecret(cookie value)
  std::string user_id;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // absolute expiry; idle expiry is last_seen_at + the idle limit
  // As sent at sign-in, for "your sessions"; the store keeps 256 bytes of printable ASCII
  // (other bytes become '?').
  std::string user_agent;
};

struct ApiToken {
  std::string token_id;  // UUID, public (what revoke takes)
  std::string user_id;
  std::string name;
  std::string hash;  // HashSecret(token)
  std::string hint;  // TokenHint(token): "kin_Ab3d…wxyz"
  std::vector<Scope> scopes;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // 0 = never
  int64_t last_used_at = 0;
  bool revoked = false;
};

// Whether `name` is a valid username: 1–64 characters of [A-Za-z0-9._-].
bool IsValidUsername(std::string_view name);

// A session or token found by its hash, with its user (one query: this is on every request).
struct SessionAndUser {
  Session session;
  User user;
};
struct TokenAndUser {
  ApiToken token;
  User user;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // --- users
  // Fills user_id and created_at when empty. kAlreadyExists if the username is taken (in any
  // case); kInvalidArgument for a username IsValidUsername refuses.
  virtual Result<User> CreateUser(User u) = 0;
  // By id, or by username case-insensitively. kNotFound.
  virtual Result<User> GetUser(std::string_view user_id) = 0;
  virtual Result<User> FindUser(std::string_view username) = 0;
  // Every user, by username case-insensitively (byte order of the lowercased names).
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Replaces every field but user_id, username and created_at. kNotFound.
  virtual Result<void> UpdateUser(const User& u) = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // --- sessions
  // kNotFound if the user does not exist; kAlreadyExists if the hash is taken.
  virtual Result<void> CreateSession(const Session& s) = 0;
  // kNotFound when unknown (expiry is the caller's to judge: it knows the idle limit).
  virtual Result<SessionAndUser> FindSession(std::string_view id_hash) = 0;
  // Sets last_seen_at to `now` unless it is later already. kNotFound when unknown.
  virtual Result<void> TouchSession(std::string_view id_hash, int64_t now) = 0;
  // kNotFound when unknown.
  virtual Result<void> DeleteSession(std::string_view id_hash) = 0;
  // Ends every session of the user except `keep_hash` (may be empty); returns how many ended.
  virtual Result<int64_t> DeleteUserSessions(std::string_view user_id,
                                             std::string_view keep_hash) = 0;

  // --- personal API tokens
  // The caller fills every field (token_id, hash, hint, created_at). kNotFound if the user does
  // not exist; kAlreadyExists if the id or hash is taken.
  virtual Result<void> CreateToken(const ApiToken& t) = 0;
  // kNotFound when unknown; revoked and expired tokens are returned as they are.
  virtual Result<TokenAndUser> FindToken(std::string_view hash) = 0;
  // The user's tokens, newest first (created_at, then token_id), revoked ones included.
  virtual Result<std::vector<ApiToken>> ListTokens(std::string_view user_id) = 0;
  // kNotFound unless the token exists and belongs to the user. Idempotent.
  virtual Result<void> RevokeToken(std::string_view user_id, std::string_view token_id) = 0;
  // Sets last_used_at to `now` unless it is later already. kNotFound when unknown.
  virtual Result<void> TouchToken(std::string_view hash, int64_t now) = 0;

  // Whether the database answers and has the identity tables.
  virtual Result<void> Ping() = 0;
};

// sqlite:///abs/path/catalog.db or postgresql://… (the catalog's URL: the identity tables live
// beside the catalog's, under their own migration history). kInvalidArgument for other schemes.
Result<std::unique_ptr<IdentityStore>> OpenIdentityStore(std::string_view url);

}  // namespace kinora::identity
