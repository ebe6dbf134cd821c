#include "store_common.h"

#include <chrono>

#include "kinora/core/ids.h"
#include "kinora/core/time.h"

namespace kinora::identity {

bool IsValidUsername(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace internal {

Result<User> PrepareNewUser(User u) {
  if (!IsValidUsername(u.username)) {
    return InvalidArgument("a username is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
  }
  if (u.user_id.empty()) u.user_id = NewUuid();
  if (u.created_at == 0) u.created_at = NowMillis();
  return u;
}

Result<void> CheckNewSession(const Session& s) {
  if (s.id_hash.empty() || s.user_id.empty()) {
    return InvalidArgument("a session needs its id hash and its user");
  }
  return {};
}

Result<void> CheckNewToken(const ApiToken& t) {
  if (t.token_id.empty() || t.hash.empty() || t.user_id.empty()) {
    return InvalidArgument("a token needs its id, its hash and its user");
  }
  return {};
}

std::string ScopesToText(const std::vector<Scope>& scopes) {
  std::string out;
  for (Scope s : scopes) {
    if (!out.empty()) out += ' ';
    out += ToString(s);
  }
  return out;
}

std::vector<Scope> ScopesFromText(std::string_view text) {
  std::vector<Scope> out;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const std::string_view name = text.substr(0, space);
    if (auto s = ParseScope(name)) out.push_back(*s);
    text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
  }
  return out;
}

Role RoleFromText(std::string_view text) { return ParseRole(text).value_or(Role::kUser); }

std::string StoredUserAgent(std::string_view user_agent) {
  std::string out(user_agent.substr(0, 256));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return out;
}

Error UsernameTaken(std::string_view username) {
  return AlreadyExists("the username '" + std::string(username) + "' is taken");
}
Error NoUser(std::string_view what) { return NotFound("no user " + std::string(what)); }
Error NoSession() { return NotFound("no such session"); }
Error NoToken() { return NotFound("no such token"); }

int64_t NowMillis() { return UnixMillis(std::chrono::system_clock::now()); }

}  // namespace internal
}  // namespace kinora::identity
