// Validation of the HTTP edge settings (timeouts, allowed hosts, upload caps), part of
// config.h's Validate.
#include <charconv>

#include "config.h"
#include "kinora/http/host_policy.h"

namespace kinora::app {
namespace {

bool Int(const std::string& s, int lo, int hi, int* out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

std::vector<std::string> CommaList(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace

void ValidateHttp(const RawSettings& raw, HttpConfig& c, std::vector<std::string>& problems) {
  if (raw.idle_timeout_seconds &&
      !Int(*raw.idle_timeout_seconds, 1, 3600, &c.idle_timeout_seconds)) {
    problems.push_back("KINORA_IDLE_TIMEOUT_SECONDS: '" + *raw.idle_timeout_seconds +
                       "' is not a number of seconds from 1 to 3600");
  }
  if (raw.allowed_hosts) {
    c.allowed_hosts = CommaList(*raw.allowed_hosts);
    if (auto p = http::HostPolicy::Make(c.allowed_hosts, "", true); !p) {
      problems.push_back("KINORA_ALLOWED_HOSTS: " + p.error().message);
    }
  }
  if (raw.max_uploads_per_client &&
      !Int(*raw.max_uploads_per_client, 1, 100000, &c.max_uploads_per_client)) {
    problems.push_back("KINORA_MAX_UPLOADS_PER_CLIENT: '" + *raw.max_uploads_per_client +
                       "' is not a number from 1 to 100000");
  }
  if (raw.max_uploads && !Int(*raw.max_uploads, 1, 100000, &c.max_uploads)) {
    problems.push_back("KINORA_MAX_UPLOADS: '" + *raw.max_uploads +
                       "' is not a number from 1 to 100000");
  }
}

}  // namespace kinora::app
