#include "kinora/access/session_cookie.h"

namespace kinora::access {

std::optional<std::string_view> SessionCookieValue(std::string_view header) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != kSessionCookie) continue;
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (!value.empty()) return value;
  }
  return std::nullopt;
}

std::string SetSessionCookie(std::string_view value, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

std::string ClearSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

}  // namespace kinora::access
