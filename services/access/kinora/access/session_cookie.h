// The session cookie's one home: its name, how it is read from a Cookie header, and the
// Set-Cookie lines that start and end it (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS).
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kinora::access {

inline constexpr std::string_view kSessionCookie = "kinora_session";

// The session cookie's value in a Cookie request header, if present.
std::optional<std::string_view> SessionCookieValue(std::string_view cookie_header);
std::string SetSessionCookie(std::string_view value, std::chrono::seconds max_age, bool secure);
std::string ClearSessionCookie(bool secure);

}  // namespace kinora::access
