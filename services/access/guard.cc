#include "kinora/access/guard.h"

#include "kinora/access/session_cookie.h"
#include "kinora/core/time.h"
#include "kinora/http/csrf.h"
#include "kinora/http/problem.h"
#include "kinora/identity/secrets.h"

namespace kinora::access {
namespace {

using http::Response;
using identity::Principal;

// Last-seen stamps are written at most this often per session or token: a write per request
// would make every authenticated read a database write.
constexpr int64_t kTouchEveryMs = 60'000;

int64_t NowMs() { return UnixMillis(std::chrono::system_clock::now()); }

bool Unsafe(http::Verb m) {
  return m != http::Verb::get && m != http::Verb::head && m != http::Verb::options;
}

Principal FromUser(const identity::User& u, Principal::Via via) {
  Principal p;
  p.caller = identity::Caller{u.user_id, u.role};
  p.via = via;
  p.username = u.username;
  p.must_change_password = u.must_change_password;
  return p;
}

bool Usable(const identity::User& u) { return !u.disabled && u.approved; }

}  // namespace

Guard::Guard(identity::IdentityStore* store, GuardOptions options)
    : store_(store), options_(std::move(options)) {
  api_ = std::make_unique<http::RateLimiter>(options_.limits.api);
  login_ = std::make_unique<http::RateLimiter>(options_.limits.login);
  upload_ = std::make_unique<http::RateLimiter>(options_.limits.upload);
  view_ = std::make_unique<http::RateLimiter>(options_.limits.view);
}

Guard::~Guard() = default;

bool Guard::Https(const http::Request& req) const {
  if (options_.public_origin.starts_with("https://")) return true;
  return http::ForwardedHttps(req.remote, req.headers["X-Forwarded-Proto"],
                              options_.trusted_proxies);
}

Result<Principal> Guard::Authenticate(const http::Request& req) {
  Principal anonymous;
  if (!store_) return anonymous;
  const int64_t now = NowMs();
  std::string_view authz = req.Header(http::bhttp::field::authorization);
  if (!authz.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authz.starts_with(kBearer)) {
      return Unauthenticated("the Authorization header must be 'Bearer <token>'");
    }
    std::string_view token = authz.substr(kBearer.size());
    if (!identity::LooksLikeApiToken(token)) {
      return Unauthenticated("the bearer token is not a Kinora API token");
    }
    const std::string hash = identity::HashSecret(token);
    auto found = store_->FindToken(hash);
    if (!found) {
      if (found.error().code == ErrorCode::kNotFound) {
        return Unauthenticated("the API token is unknown or revoked");
      }
      return found.error();
    }
    const identity::ApiToken& t = found->token;
    if (t.revoked) return Unauthenticated("the API token is unknown or revoked");
    if (t.expires_at != 0 && t.expires_at <= now) return Unauthenticated("the API token expired");
    if (!Usable(found->user)) return Unauthenticated("the token's account is disabled");
    if (now - t.last_used_at >= kTouchEveryMs) (void)store_->TouchToken(hash, now);
    Principal p = FromUser(found->user, Principal::Via::kToken);
    p.scopes = t.scopes;
    p.must_change_password = false;  // a token was made with a changed password, or by the CLI
    return p;
  }
  auto cookie = access::SessionCookieValue(req.Header(http::bhttp::field::cookie));
  if (!cookie) return anonymous;
  const std::string hash = identity::HashSecret(*cookie);
  auto found = store_->FindSession(hash);
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) return anonymous;
    return found.error();
  }
  const identity::Session& s = found->session;
  const int64_t idle_ms = options_.sessions.idle.count() * 1000;
  if (now >= s.expires_at || now - s.last_seen_at >= idle_ms || !Usable(found->user)) {
    (void)store_->DeleteSession(hash);
    return anonymous;
  }
  if (now - s.last_seen_at >= kTouchEveryMs) (void)store_->TouchSession(hash, now);
  Principal p = FromUser(found->user, Principal::Via::kSession);
  p.session_hash = hash;
  return p;
}

std::optional<Response> Guard::Limit(const http::Request& req, const AccessRule& rule) {
  if (!options_.limits.enabled || rule.limit == access::Limit::kNone) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  auto refuse = [](const http::RateLimiter::Decision& d, std::string_view what) {
    return http::TooManyRequests(d.retry_after_seconds,
                                 "too many " + std::string(what) + "; try again in " +
                                     std::to_string(d.retry_after_seconds) + " s");
  };
  if (auto d = api_->Take(req.client, now); !d.allowed) return refuse(d, "requests");
  switch (rule.limit) {
    case access::Limit::kLogin:
      if (auto d = login_->Take(req.client, now); !d.allowed) return refuse(d, "sign-in attempts");
      break;
    case access::Limit::kUpload:
      if (auto d = upload_->Take(req.client, now); !d.allowed) return refuse(d, "uploads");
      break;
    case access::Limit::kView:
      if (auto d = view_->Take(req.client, now); !d.allowed) return refuse(d, "views");
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::optional<Response> Guard::Admit(http::Request& req, const http::Route& route) {
  req.client =
      http::ClientAddress(req.remote, req.headers["X-Forwarded-For"], options_.trusted_proxies);
  const AccessRule* rule = FindRule(route.method, route.pattern);
  if (!rule) return http::ProblemFrom(Internal("this route has no authorization rule"));
  if (auto limited = Limit(req, *rule)) return limited;
  if (rule->need == Need::kUpstream) return std::nullopt;  // the role behind decides

  auto principal = Authenticate(req);
  if (!principal) {
    Response r = http::ProblemFrom(principal.error());
    if (principal.error().code == ErrorCode::kUnauthenticated) {
      r.Set(http::bhttp::field::www_authenticate, "Bearer realm=\"kinora\"");
    }
    return r;
  }
  req.principal = std::move(*principal);
  const Principal& p = req.principal;

  if (p.via == Principal::Via::kSession && Unsafe(req.method)) {
    http::CsrfInput in;
    in.method = req.method;
    in.sec_fetch_site = req.headers["Sec-Fetch-Site"];
    in.origin = req.Header(http::bhttp::field::origin);
    in.host = req.Header(http::bhttp::field::host);
    in.public_origin = options_.public_origin;
    in.content_type = req.Header(http::bhttp::field::content_type);
    in.has_custom_header = !req.headers["X-Kinora-Request"].empty() || rule->same_origin_any_type;
    in.cookie_authenticated = true;
    in.bearer_authenticated = false;
    auto csrf = http::CheckCsrf(in);
    if (!csrf) return http::ProblemFrom(csrf.error());
  }

  switch (rule->need) {
    case Need::kAnyone:
    case Need::kUpstream:
      break;
    case Need::kSignedIn:
      if (!p.signed_in()) return http::ProblemFrom(Unauthenticated("sign in first"));
      break;
    case Need::kRight:
      if (!p.signed_in()) return http::ProblemFrom(Unauthenticated("sign in first"));
      if (!p.Has(rule->right)) {
        return http::ProblemFrom(
            PermissionDenied("your role may not do this (it needs the right '" +
                             std::string(identity::ToString(rule->right)) + "')"));
      }
      break;
  }
  if (p.via == Principal::Via::kToken) {
    if (rule->session_only) {
      return http::ProblemFrom(
          PermissionDenied("this needs a signed-in session; API tokens cannot manage credentials"));
    }
    if (rule->scope && !p.Allows(*rule->scope)) {
      return http::ProblemFrom(PermissionDenied(
          "the API token lacks the scope '" + std::string(identity::ToString(*rule->scope)) + "'"));
    }
  }
  if (p.must_change_password && !rule->while_must_change) {
    return http::ProblemFrom(
        PermissionDenied("change your password first (POST /api/auth/password)"));
  }
  return std::nullopt;
}

void Guard::Finish(const http::Request& req, http::Response& res) const {
  const std::string_view target = req.target;
  http::AddSecurityHeaders(res, options_.headers,
                           http::IsEmbedPath(target.substr(0, target.find('?'))));
  if (!options_.cors.empty()) {
    if (std::string_view origin = req.Header(http::bhttp::field::origin); !origin.empty()) {
      options_.cors.Apply(res, origin, false);
    }
  }
  // Every 401 says how to authenticate (RFC 9110 §11.6.1).
  if (res.status == http::Status::unauthorized &&
      res.headers.find(http::bhttp::field::www_authenticate) == res.headers.end()) {
    res.Set(http::bhttp::field::www_authenticate, "Bearer realm=\"kinora\"");
  }
}

}  // namespace kinora::access
