// Cross-origin access for browsers on other sites (KINORA_CORS_ORIGINS): off unless origins are
// listed; then only a listed origin gets CORS headers, echoed exactly (never "*", since requests
// carry credentials), and every answer says Vary: Origin so caches keep the variants apart.
// The origin lists' parser lives here too: ParseOrigins() is also how media origins for the
// Content-Security-Policy (security_headers.h) are read.
// Thread safety: CorsPolicy is immutable after Parse() and safe to share; functions are pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::http {

// "https://a.example, http://localhost:5173" -> origins as browsers serialize them: lower case,
// no default port, no trailing slash. Blanks and empty entries are ignored. kInvalidArgument
// names an entry that is not scheme://host[:port] with scheme http or https (a path, "*",
// credentials, a bad port).
Result<std::vector<std::string>> ParseOrigins(std::string_view list);

// True for a string ParseOrigins() would return unchanged.
bool IsSerializedOrigin(std::string_view origin);

// OPTIONS with Access-Control-Request-Method: the browser asking before a cross-origin request.
bool IsPreflight(Verb method, std::string_view access_control_request_method);

class CorsPolicy {
 public:
  CorsPolicy() = default;  // no origins: CORS off

  // KINORA_CORS_ORIGINS; see ParseOrigins().
  static Result<CorsPolicy> Parse(std::string_view list);

  bool empty() const { return origins_.empty(); }
  bool Allows(std::string_view origin) const;

  // The headers for an answer to `origin`, nullopt unless it is listed (compared exactly, as the
  // browser sends it): Access-Control-Allow-Origin (the origin), Allow-Credentials, Vary: Origin;
  // for an actual request Expose-Headers, for a preflight Allow-Methods, Allow-Headers, Max-Age.
  std::optional<bhttp::fields> CorsHeadersFor(std::string_view origin, bool preflight) const;

  // Adds CorsHeadersFor()'s headers to r (keeping any r already has), and, whenever CORS is on,
  // Origin to r's Vary (an answer to a listed origin differs from one to anyone else).
  void Apply(Response& r, std::string_view origin, bool preflight) const;

 private:
  std::vector<std::string> origins_;
};

}  // namespace kinora::http
