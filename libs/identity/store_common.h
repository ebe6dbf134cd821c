// What the IdentityStore backends share: the checks their writes make before touching the
// database, the text form a token's scopes are stored in, and the errors both return, so the
// two backends answer alike (identity_contract.h holds them to it).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/identity/store.h"

namespace kinora::identity::internal {

// Checks the username and fills user_id and created_at when empty.
Result<User> PrepareNewUser(User u);
// kInvalidArgument for a session or token missing its key fields.
Result<void> CheckNewSession(const Session& s);
Result<void> CheckNewToken(const ApiToken& t);

// "videos:read videos:write": scope names separated by spaces. Reading drops names this version
// does not know (a newer version's scopes grant nothing here).
std::string ScopesToText(const std::vector<Scope>& scopes);
std::vector<Scope> ScopesFromText(std::string_view text);
// The stored role name; an unknown name reads as the least privileged role.
Role RoleFromText(std::string_view text);

// What is kept of a user agent: at most 256 bytes, printable ASCII (anything else becomes '?',
// so no backend ever meets a broken UTF-8 sequence).
std::string StoredUserAgent(std::string_view user_agent);

// The columns both backends select, in the order their row readers read them; the tables are
// aliased u (users), s (sessions) and t (api_tokens).
inline constexpr std::string_view kUserColumns =
    "u.user_id, u.username, u.password_hash, u.role, u.disabled, u.must_change_password, "
    "u.approved, u.quota_bytes, u.daily_quota_bytes, u.created_at, u.failed_logins, "
    "u.locked_until";
inline constexpr int kUserColumnCount = 12;
inline constexpr std::string_view kSessionColumns =
    "s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent";
inline constexpr int kSessionColumnCount = 6;
inline constexpr std::string_view kTokenColumns =
    "t.token_id, t.user_id, t.name, t.hash, t.hint, t.scopes, t.created_at, t.expires_at, "
    "t.last_used_at, t.revoked";
inline constexpr int kTokenColumnCount = 10;

Error UsernameTaken(std::string_view username);
Error NoUser(std::string_view what);
Error NoSession();
Error NoToken();

int64_t NowMillis();

}  // namespace kinora::identity::internal
