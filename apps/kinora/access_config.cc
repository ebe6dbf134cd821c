// Validation of the accounts and access settings (docs/auth.md), part of config.h's Validate.
#include <charconv>

#include "config.h"
#include "kinora/http/client_address.h"
#include "kinora/http/cors.h"
#include "kinora/identity/rights.h"

namespace kinora::app {
namespace {

template <class T>
bool Number(const std::string& s, T lo, T hi, T* out) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

std::vector<std::string> CommaList(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string item = s.substr(i, j - i);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
  return out;
}

}  // namespace

void ValidateAccess(const RawSettings& raw, AccessConfig& c, std::vector<std::string>& problems) {
  if (raw.admin_user && !raw.admin_user->empty()) c.admin_user = *raw.admin_user;
  if (raw.admin_password) c.admin_password = *raw.admin_password;
  if (raw.signup) {
    if (*raw.signup != "closed" && *raw.signup != "open" && *raw.signup != "approval") {
      problems.push_back("KINORA_SIGNUP: '" + *raw.signup + "' is not closed, open or approval");
    } else {
      c.signup = *raw.signup;
    }
  }
  if (raw.default_visibility) {
    if (!identity::ParseVisibility(*raw.default_visibility)) {
      problems.push_back("KINORA_DEFAULT_VISIBILITY: '" + *raw.default_visibility +
                         "' is not public, unlisted, private or internal");
    } else {
      c.default_visibility = *raw.default_visibility;
    }
  }
  if (raw.public_url && !raw.public_url->empty()) {
    std::string u = *raw.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    if (!u.starts_with("http://") && !u.starts_with("https://")) {
      problems.push_back("KINORA_PUBLIC_URL: '" + u + "' must start with http:// or https://");
    } else {
      c.public_url = u;
    }
  }
  if (raw.trusted_proxies) {
    if (auto parsed = http::TrustedProxies::Parse(*raw.trusted_proxies); !parsed) {
      problems.push_back("KINORA_TRUSTED_PROXIES: " + parsed.error().message);
    } else {
      c.trusted_proxies = *raw.trusted_proxies;
    }
  }
  if (raw.cors_origins) c.cors_origins = CommaList(*raw.cors_origins);
  if (raw.embed_origins) {
    if (*raw.embed_origins == "*") {
      c.embed_origins = {"*"};
    } else if (*raw.embed_origins == "none" || raw.embed_origins->empty()) {
      c.embed_origins = {};
    } else if (auto origins = http::ParseOrigins(*raw.embed_origins); !origins) {
      problems.push_back("KINORA_EMBED_ORIGINS: " + origins.error().message);
    } else {
      c.embed_origins = *origins;
    }
  }
  if (raw.rate_limit) {
    if (*raw.rate_limit == "off") {
      c.rate_limit = false;
    } else if (*raw.rate_limit != "on") {
      problems.push_back("KINORA_RATE_LIMIT: '" + *raw.rate_limit + "' is not on or off");
    }
  }
  const std::pair<const std::optional<std::string>*, double*> rates[] = {
      {&raw.rate_api, &c.rate_api},
      {&raw.rate_login, &c.rate_login},
      {&raw.rate_upload, &c.rate_upload},
      {&raw.rate_view, &c.rate_view}};
  const char* names[] = {"KINORA_RATE_API", "KINORA_RATE_LOGIN", "KINORA_RATE_UPLOAD",
                         "KINORA_RATE_VIEW"};
  for (size_t i = 0; i < std::size(rates); ++i) {
    const auto& [value, out] = rates[i];
    int n = 0;
    if (*value && !Number<int>(**value, 1, 1'000'000, &n)) {
      problems.push_back(std::string(names[i]) + ": '" + **value +
                         "' is not a number of requests per minute from 1 to 1000000");
    } else if (*value) {
      *out = n;
    }
  }
  if (raw.internal_listen && !raw.internal_listen->empty()) {
    const std::string& l = *raw.internal_listen;
    size_t colon = l.rfind(':');
    uint16_t port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !Number<uint16_t>(l.substr(colon + 1), 0, 65535, &port)) {
      problems.push_back("KINORA_INTERNAL_LISTEN: '" + l + "' is not HOST:PORT");
    } else {
      c.internal_host = l.substr(0, colon);
      if (c.internal_host.size() > 2 && c.internal_host.front() == '[') {
        c.internal_host = c.internal_host.substr(1, c.internal_host.size() - 2);
      }
      c.internal_port = port;
    }
  }
  if (raw.session_idle_hours &&
      !Number<int>(*raw.session_idle_hours, 1, 24 * 365, &c.session_idle_hours)) {
    problems.push_back("KINORA_SESSION_IDLE_HOURS: '" + *raw.session_idle_hours +
                       "' is not a number of hours from 1 to 8760");
  }
  if (raw.session_max_days && !Number<int>(*raw.session_max_days, 1, 365, &c.session_max_days)) {
    problems.push_back("KINORA_SESSION_MAX_DAYS: '" + *raw.session_max_days +
                       "' is not a number of days from 1 to 365");
  }
  if (raw.private_url_ttl_seconds &&
      !Number<int>(*raw.private_url_ttl_seconds, 1, 24 * 3600, &c.private_url_ttl_seconds)) {
    problems.push_back("KINORA_PRIVATE_URL_TTL_SECONDS: '" + *raw.private_url_ttl_seconds +
                       "' is not a number of seconds from 1 to 86400");
  }
  const std::pair<const std::optional<std::string>*, int64_t*> quotas[] = {
      {&raw.default_quota_bytes, &c.default_quota_bytes},
      {&raw.default_daily_quota_bytes, &c.default_daily_quota_bytes}};
  const char* quota_names[] = {"KINORA_DEFAULT_QUOTA_BYTES", "KINORA_DEFAULT_DAILY_QUOTA_BYTES"};
  for (size_t i = 0; i < std::size(quotas); ++i) {
    const auto& [value, out] = quotas[i];
    if (*value && !Number<int64_t>(**value, 0, int64_t{1} << 50, out)) {
      problems.push_back(std::string(quota_names[i]) + ": '" + **value +
                         "' is not a byte count (0 = no limit)");
    }
  }
}

}  // namespace kinora::app
