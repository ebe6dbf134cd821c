#include "kinora/accounts/accounts.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "kinora/access/session_cookie.h"
#include "kinora/accounts/json_body.h"
#include "kinora/core/time.h"
#include "kinora/http/problem.h"
#include "kinora/identity/secrets.h"

namespace kinora::accounts {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
using http::Status;

int64_t NowMs() { return UnixMillis(std::chrono::system_clock::now()); }

Error WrongCredentials() { return Unauthenticated("wrong username or password"); }

Response NoContent() {
  Response r;
  r.status = Status::no_content;
  return r;
}

std::string TruncatedUserAgent(const http::Request& req) {
  std::string ua(req.Header(http::bhttp::field::user_agent));
  if (ua.size() > 256) ua.resize(256);
  return ua;
}

}  // namespace

Accounts::Accounts(identity::IdentityStore& store, catalog::Catalog* catalog,
                   AccountsOptions options)
    : store_(store), catalog_(catalog), options_(std::move(options)), hasher_(2), pool_(2) {
  if (auto h = identity::HashPassword(identity::GeneratePassword())) dummy_hash_ = *h;
}

Accounts::~Accounts() { pool_.join(); }

void Accounts::Register(http::Router& router) {
  using http::Verb;
  const http::RouteOptions small{.body_limit = 16 * 1024};
  auto stream = [this](auto method) {
    return [this, method](http::Request& r, http::BodyReader& b) { return (this->*method)(r, b); };
  };
  auto plain = [this](auto method) {
    return [this, method](http::Request& r) { return (this->*method)(r); };
  };
  router.AddStreaming(Verb::post, "/api/auth/login", stream(&Accounts::Login), small);
  router.AddStreaming(Verb::post, "/api/auth/signup", stream(&Accounts::SignUp), small);
  router.Add(Verb::post, "/api/auth/logout", plain(&Accounts::Logout));
  router.Add(Verb::post, "/api/auth/logout-all", plain(&Accounts::LogoutAll));
  router.Add(Verb::get, "/api/auth/me", plain(&Accounts::Me));
  router.AddStreaming(Verb::post, "/api/auth/password", stream(&Accounts::ChangePassword), small);
  router.Add(Verb::get, "/api/auth/tokens", plain(&Accounts::ListTokens));
  router.Add(Verb::post, "/api/auth/tokens", plain(&Accounts::CreateToken), small);
  router.Add(Verb::delete_, "/api/auth/tokens/{id}", plain(&Accounts::RevokeToken));
  router.Add(Verb::get, "/api/admin/users", plain(&Accounts::ListUsers));
  router.AddStreaming(Verb::post, "/api/admin/users", stream(&Accounts::CreateUser), small);
  router.Add(Verb::patch, "/api/admin/users/{id}", plain(&Accounts::UpdateUser), small);
  router.AddStreaming(Verb::post, "/api/admin/users/{id}/reset-password",
                      stream(&Accounts::ResetPassword), small);
}

json::object Accounts::UserJson(const identity::User& u) {
  int64_t used = 0;
  if (catalog_) {
    if (auto usage = catalog_->Usage(u.user_id, 0)) used = usage->total_bytes;
  }
  json::array rights;
  for (identity::Right r : identity::RightsOf(u.role)) rights.push_back(json::string(ToString(r)));
  return json::object{
      {"user_id", u.user_id},
      {"username", u.username},
      {"role", identity::ToString(u.role)},
      {"disabled", u.disabled},
      {"approved", u.approved},
      {"must_change_password", u.must_change_password},
      {"quota_bytes", u.quota_bytes},
      {"daily_quota_bytes", u.daily_quota_bytes},
      {"used_bytes", used},
      {"created_at", u.created_at / 1000},
      {"rights", std::move(rights)},
  };
}

int64_t Accounts::BackoffUntil(int64_t failures, int64_t now) const {
  if (failures < options_.free_failures) return 0;
  const int64_t steps = std::min<int64_t>(failures - options_.free_failures, 12);
  const int64_t ms =
      std::min<int64_t>((int64_t{1} << steps) * 2000, options_.max_backoff.count() * 1000);
  return now + ms;
}

int64_t Accounts::UnknownLockedUntil(const std::string& name, int64_t now) {
  std::lock_guard lock(unknown_mu_);
  auto it = unknown_.find(name);
  if (it == unknown_.end()) return 0;
  if (it->second.second != 0 && it->second.second <= now && now - it->second.second > 3'600'000) {
    unknown_.erase(it);  // an hour after the lock ended, forget the name
    return 0;
  }
  return it->second.second;
}

void Accounts::UnknownFailed(const std::string& name, int64_t now) {
  std::lock_guard lock(unknown_mu_);
  if (unknown_.size() > 100'000) unknown_.clear();  // bounded: a flood of names forgets
  auto& [failures, until] = unknown_[name];
  ++failures;
  until = BackoffUntil(failures, now);
}

Response Accounts::StartSession(const http::Request& req, const identity::User& u) {
  const int64_t now = NowMs();
  const std::string secret = identity::NewSessionSecret();
  identity::Session s;
  s.id_hash = identity::HashSecret(secret);
  s.user_id = u.user_id;
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + options_.sessions.max_age.count() * 1000;
  s.user_agent = TruncatedUserAgent(req);
  if (auto made = store_.CreateSession(s); !made) return http::ProblemFrom(made.error());
  Response r = http::Json(json::object{{"user", UserJson(u)}});
  const bool secure = options_.https && options_.https(req);
  r.headers.insert(http::bhttp::field::set_cookie,
                   access::SetSessionCookie(secret, options_.sessions.max_age, secure));
  r.Set(http::bhttp::field::cache_control, "no-store");
  return r;
}

asio::awaitable<Response> Accounts::Login(http::Request& req, http::BodyReader& body) {
  auto in = co_await ReadJsonBody(body, 16 * 1024);
  if (!in) co_return http::ProblemFrom(in.error());
  auto username = StringField(*in, "username", 1, 64);
  auto password = StringField(*in, "password", 1, 1024);
  if (!username || !password) {
    co_return http::ProblemFrom(!username ? username.error() : password.error());
  }
  const int64_t now = NowMs();
  auto locked = [&](int64_t until) {
    const int64_t secs = std::max<int64_t>(1, (until - now + 999) / 1000);
    return http::TooManyRequests(
        static_cast<int>(secs),
        "too many failed sign-ins for this account; try again in " + std::to_string(secs) + " s");
  };
  auto user = store_.FindUser(*username);
  if (!user) {
    if (user.error().code != ErrorCode::kNotFound) co_return http::ProblemFrom(user.error());
    std::string key = *username;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (int64_t until = UnknownLockedUntil(key, now); until > now) co_return locked(until);
    const std::string pw = *password;
    co_await OffThread([&] { return hasher_.Verify(dummy_hash_, pw); });
    UnknownFailed(key, now);
    co_return http::ProblemFrom(WrongCredentials());
  }
  if (user->locked_until > now) co_return locked(user->locked_until);
  const std::string stored = user->password_hash, pw = *password;
  const bool ok = co_await OffThread([&] { return hasher_.Verify(stored, pw); });
  if (!ok) {
    user->failed_logins += 1;
    user->locked_until = BackoffUntil(user->failed_logins, now);
    (void)store_.UpdateUser(*user);
    co_return http::ProblemFrom(WrongCredentials());
  }
  if (user->disabled) co_return http::ProblemFrom(PermissionDenied("this account is disabled"));
  if (!user->approved) {
    co_return http::ProblemFrom(
        PermissionDenied("this account awaits an administrator's approval"));
  }
  bool changed = user->failed_logins != 0 || user->locked_until != 0;
  user->failed_logins = 0;
  user->locked_until = 0;
  if (identity::NeedsRehash(user->password_hash)) {
    auto rehashed = co_await OffThread([&] { return hasher_.Hash(pw); });
    if (rehashed) {
      user->password_hash = *rehashed;
      changed = true;
    }
  }
  if (changed) {
    if (auto saved = store_.UpdateUser(*user); !saved) co_return http::ProblemFrom(saved.error());
  }
  co_return StartSession(req, *user);
}

Response Accounts::Logout(http::Request& req) {
  const auto& p = req.principal;
  if (p.via == identity::Principal::Via::kSession) (void)store_.DeleteSession(p.session_hash);
  Response r = NoContent();
  r.headers.insert(http::bhttp::field::set_cookie,
                   access::ClearSessionCookie(options_.https && options_.https(req)));
  return r;
}

Response Accounts::LogoutAll(http::Request& req) {
  auto ended = store_.DeleteUserSessions(req.principal.caller.user_id, "");
  if (!ended) return http::ProblemFrom(ended.error());
  Response r = NoContent();
  r.headers.insert(http::bhttp::field::set_cookie,
                   access::ClearSessionCookie(options_.https && options_.https(req)));
  return r;
}

Response Accounts::Me(http::Request& req) {
  const auto& p = req.principal;
  auto user = store_.GetUser(p.caller.user_id);
  if (!user) return http::ProblemFrom(user.error());
  json::array scopes;
  if (p.via == identity::Principal::Via::kToken) {
    for (auto s : p.scopes) scopes.push_back(json::string(ToString(s)));
  }
  Response r = http::Json(json::object{
      {"user", UserJson(*user)},
      {"via", p.via == identity::Principal::Via::kToken ? "token" : "session"},
      {"scopes", std::move(scopes)},
  });
  r.Set(http::bhttp::field::cache_control, "no-store");
  return r;
}

asio::awaitable<Response> Accounts::ChangePassword(http::Request& req, http::BodyReader& body) {
  auto in = co_await ReadJsonBody(body, 16 * 1024);
  if (!in) co_return http::ProblemFrom(in.error());
  auto current = StringField(*in, "current_password", 1, 1024);
  auto next = StringField(*in, "new_password", 1, 1024);
  if (!current || !next) co_return http::ProblemFrom(!current ? current.error() : next.error());
  if (auto weak = identity::CheckNewPassword(*next); !weak) {
    co_return http::ProblemFrom(weak.error());
  }
  auto user = store_.GetUser(req.principal.caller.user_id);
  if (!user) co_return http::ProblemFrom(user.error());
  const std::string stored = user->password_hash, cur = *current, nxt = *next;
  if (!co_await OffThread([&] { return hasher_.Verify(stored, cur); })) {
    co_return http::ProblemFrom(PermissionDenied("the current password is wrong"));
  }
  if (cur == nxt) {
    co_return http::ProblemFrom(InvalidArgument("the new password must differ from the old one"));
  }
  auto hashed = co_await OffThread([&] { return hasher_.Hash(nxt); });
  if (!hashed) co_return http::ProblemFrom(hashed.error());
  user->password_hash = *hashed;
  user->must_change_password = false;
  if (auto saved = store_.UpdateUser(*user); !saved) co_return http::ProblemFrom(saved.error());
  // Every other session ends at once; this one stays.
  (void)store_.DeleteUserSessions(user->user_id, req.principal.session_hash);
  co_return NoContent();
}

asio::awaitable<Response> Accounts::SignUp(http::Request& req, http::BodyReader& body) {
  (void)req;
  if (options_.signup == Signup::kClosed) {
    co_return http::ProblemFrom(
        PermissionDenied("sign-up is closed on this site; an administrator creates accounts"));
  }
  auto in = co_await ReadJsonBody(body, 16 * 1024);
  if (!in) co_return http::ProblemFrom(in.error());
  auto username = Username(*in);
  auto password = StringField(*in, "password", 1, 1024);
  if (!username || !password) {
    co_return http::ProblemFrom(!username ? username.error() : password.error());
  }
  if (auto weak = identity::CheckNewPassword(*password); !weak) {
    co_return http::ProblemFrom(weak.error());
  }
  const std::string pw = *password;
  auto hashed = co_await OffThread([&] { return hasher_.Hash(pw); });
  if (!hashed) co_return http::ProblemFrom(hashed.error());
  identity::User u;
  u.username = *username;
  u.password_hash = *hashed;
  u.role = identity::Role::kUser;
  u.approved = options_.signup == Signup::kOpen;
  u.quota_bytes = options_.default_quota_bytes;
  u.daily_quota_bytes = options_.default_daily_quota_bytes;
  auto made = store_.CreateUser(u);
  if (!made) co_return http::ProblemFrom(made.error());
  co_return http::Json(Status::created, json::object{{"user", UserJson(*made)}});
}

Response Accounts::ListTokens(http::Request& req) {
  auto tokens = store_.ListTokens(req.principal.caller.user_id);
  if (!tokens) return http::ProblemFrom(tokens.error());
  json::array out;
  for (const auto& t : *tokens) out.push_back(TokenJson(t));
  return http::Json(json::object{{"tokens", std::move(out)}});
}

Response Accounts::CreateToken(http::Request& req) {
  auto in = ParseJsonObject(req.body);
  if (!in) return http::ProblemFrom(in.error());
  auto name = StringField(*in, "name", 1, 100);
  if (!name) return http::ProblemFrom(name.error());
  auto scopes = Scopes(*in);
  if (!scopes) return http::ProblemFrom(scopes.error());
  int64_t days = 0;
  if (const json::value* d = in->if_contains("expires_in_days"); d && !d->is_null()) {
    if (!d->is_int64() || d->as_int64() < 1 || d->as_int64() > 365) {
      return http::ProblemFrom(InvalidArgument("'expires_in_days' must be 1–365 or null"));
    }
    days = d->as_int64();
  }
  // A token never carries more than its user's role allows: 'admin' needs an admin.
  for (auto s : *scopes) {
    if (s == identity::Scope::kAdmin && !req.principal.Has(identity::Right::kManageUsers)) {
      return http::ProblemFrom(PermissionDenied("only administrators can create 'admin' tokens"));
    }
  }
  const int64_t now = NowMs();
  const std::string secret = identity::NewApiToken();
  identity::ApiToken t;
  t.token_id = NewTokenId();
  t.user_id = req.principal.caller.user_id;
  t.name = *name;
  t.hash = identity::HashSecret(secret);
  t.hint = identity::TokenHint(secret);
  t.scopes = *scopes;
  t.created_at = now;
  t.expires_at = days ? now + days * 86'400'000 : 0;
  if (auto made = store_.CreateToken(t); !made) return http::ProblemFrom(made.error());
  json::object out = TokenJson(t);
  out["token"] = secret;
  Response r = http::Json(Status::created, out);
  r.Set(http::bhttp::field::cache_control, "no-store");
  return r;
}

Response Accounts::RevokeToken(http::Request& req) {
  auto revoked = store_.RevokeToken(req.principal.caller.user_id, req.path_params["id"]);
  if (!revoked) return http::ProblemFrom(revoked.error());
  return NoContent();
}

}  // namespace kinora::accounts
