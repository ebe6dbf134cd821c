#include "access_wiring.h"

#include "kinora/core/log.h"
#include "kinora/identity/bootstrap.h"

namespace kinora::app {

Result<access::GuardOptions> GuardOptionsFrom(const Config& c, bool edge,
                                              const storage::ObjectStore* store) {
  const AccessConfig& a = c.access;
  access::GuardOptions o;
  o.sessions.idle = std::chrono::hours(a.session_idle_hours);
  o.sessions.max_age = std::chrono::hours(24 * a.session_max_days);
  o.limits.enabled = edge && a.rate_limit;
  // Bursts: a page load fans out into a few dozen requests; sign-ins get a handful.
  o.limits.api = {.per_minute = a.rate_api, .burst = std::max(20.0, a.rate_api / 4)};
  o.limits.login = {.per_minute = a.rate_login, .burst = std::max(3.0, a.rate_login)};
  o.limits.upload = {.per_minute = a.rate_upload, .burst = std::max(3.0, a.rate_upload / 3)};
  o.limits.view = {.per_minute = a.rate_view, .burst = std::max(5.0, a.rate_view / 2)};
  KINORA_TRY(o.trusted_proxies, http::TrustedProxies::Parse(a.trusted_proxies));
  o.public_origin = a.public_url;
  std::string origins;
  for (const auto& origin : a.cors_origins) origins += (origins.empty() ? "" : ",") + origin;
  KINORA_TRY(o.cors, http::CorsPolicy::Parse(origins));
  o.headers.https = a.public_url.starts_with("https://");
  o.headers.embed_ancestors = a.embed_origins;
  if (store) {
    if (auto origin = store->PresignedOrigin()) o.headers.media_origins.push_back(*origin);
  }
  return o;
}

accounts::AccountsOptions AccountsOptionsFrom(const Config& c, const access::Guard& guard) {
  const AccessConfig& a = c.access;
  accounts::AccountsOptions o;
  o.signup = a.signup == "open"       ? accounts::Signup::kOpen
             : a.signup == "approval" ? accounts::Signup::kApproval
                                      : accounts::Signup::kClosed;
  o.sessions = guard.options().sessions;
  o.default_quota_bytes = a.default_quota_bytes;
  o.default_daily_quota_bytes = a.default_daily_quota_bytes;
  o.https = [&guard](const http::Request& req) { return guard.Https(req); };
  return o;
}

Result<void> BootstrapAccounts(identity::IdentityStore& store, catalog::Catalog* catalog,
                               const AccessConfig& c) {
  KINORA_TRY(std::string admin_id,
             identity::EnsureFirstAdmin(store, c.admin_user, c.admin_password,
                                        [](std::string_view message) { log::Warn(message); }));
  if (catalog) {
    KINORA_TRY(int64_t adopted, catalog->AdoptUnowned(admin_id));
    if (adopted > 0) {
      log::Info("videos from before accounts now belong to the first admin",
                {{"videos", std::to_string(adopted)}});
    }
  }
  return {};
}

}  // namespace kinora::app
