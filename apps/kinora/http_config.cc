// Validation of the HTTP edge settings (timeouts, allowed hosts, upload caps), part of
// config.h's Validate.
#include <charconv>

#include "config.h"

namespace kinora::app {
namespace {

bool Int(const std::string& s, int lo, int hi, int* out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  *out = v;
  return true;
}

}  // namespace

void ValidateHttp(const RawSettings& raw, HttpConfig& c, std::vector<std::string>& problems) {
  if (raw.idle_timeout_seconds &&
      !Int(*raw.idle_timeout_seconds, 1, 3600, &c.idle_timeout_seconds)) {
    problems.push_back("KINORA_IDLE_TIMEOUT_SECONDS: '" + *raw.idle_timeout_seconds +
                       "' is not a number of seconds from 1 to 3600");
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
