// The guard every request of every role passes before its handler runs (ServerOptions::guard):
// it finds the client's address, draws from the rate limits, authenticates the credentials
// (a bearer token or the session cookie, both checked against the identity store), refuses
// cross-site writes made with the cookie, and applies the route's rule from the authorization
// table. On the way out it adds the security headers (and CORS for configured origins).
// Thread safety: Admit and Finish may run concurrently on every I/O thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kinora/access/access_table.h"
#include "kinora/http/client_address.h"
#include "kinora/http/cors.h"
#include "kinora/http/rate_limiter.h"
#include "kinora/http/router.h"
#include "kinora/http/security_headers.h"
#include "kinora/identity/store.h"

namespace kinora::access {

struct SessionPolicy {
  std::chrono::seconds idle{std::chrono::hours(72)};      // unused this long: ended
  std::chrono::seconds max_age{std::chrono::hours(720)};  // after sign-in: ended
};

struct RateLimits {
  bool enabled = true;
  http::RateLimitOptions api{.per_minute = 1200, .burst = 300};
  http::RateLimitOptions login{.per_minute = 10, .burst = 10};
  http::RateLimitOptions upload{.per_minute = 30, .burst = 10};
  http::RateLimitOptions view{.per_minute = 120, .burst = 60};
};

struct GuardOptions {
  SessionPolicy sessions;
  RateLimits limits;
  http::TrustedProxies trusted_proxies;
  std::string public_origin;  // "https://video.example.org" (KINORA_PUBLIC_URL), may be empty
  http::CorsPolicy cors;      // KINORA_CORS_ORIGINS; empty: no CORS headers
  http::SecurityHeaderOptions headers;
};

class Guard {
 public:
  // `store` may be null for a role without accounts: every caller is then anonymous.
  Guard(identity::IdentityStore* store, GuardOptions options);
  ~Guard();

  std::optional<http::Response> Admit(http::Request& req, const http::Route& route);
  void Finish(const http::Request& req, http::Response& res) const;

  // Who the request's credentials say it is: anonymous without any, a user with valid ones;
  // kUnauthenticated-style errors (401) for a bearer token that is malformed, unknown, revoked,
  // expired or whose user is disabled. A stale or unknown session cookie is simply anonymous.
  Result<identity::Principal> Authenticate(const http::Request& req);
  // Whether the request reached us over HTTPS (public URL, or a trusted proxy's word).
  bool Https(const http::Request& req) const;
  const GuardOptions& options() const { return options_; }

 private:
  std::optional<http::Response> Limit(const http::Request& req, const AccessRule& rule);

  identity::IdentityStore* store_;
  GuardOptions options_;
  std::unique_ptr<http::RateLimiter> api_, login_, upload_, view_;
};

}  // namespace kinora::access
