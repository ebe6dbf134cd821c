// User management for admins: list, create, change role/status/quotas, reset passwords.
#include <boost/json.hpp>

#include "kinora/accounts/accounts.h"
#include "kinora/accounts/json_body.h"
#include "kinora/http/problem.h"
#include "kinora/identity/secrets.h"

namespace kinora::accounts {
namespace {

namespace json = boost::json;
using http::Response;
using http::Status;

// A password for an admin to hand over once; the user must change it at first sign-in.
std::string GeneratedPassword() { return identity::GeneratePassword(); }

Result<int64_t> Bytes(const json::object& o, std::string_view name, int64_t current) {
  const json::value* v = o.if_contains(name);
  if (!v || v->is_null()) return current;
  if (!v->is_int64() || v->as_int64() < 0) {
    return InvalidArgument("'" + std::string(name) + "' must be a number of bytes (0 = no limit)");
  }
  return v->as_int64();
}

}  // namespace

Response Accounts::ListUsers(http::Request&) {
  auto users = store_.ListUsers();
  if (!users) return http::ProblemFrom(users.error());
  json::array out;
  for (const auto& u : *users) out.push_back(UserJson(u));
  return http::Json(json::object{{"users", std::move(out)}});
}

boost::asio::awaitable<Response> Accounts::CreateUser(http::Request&, http::BodyReader& body) {
  auto in = co_await ReadJsonBody(body, 16 * 1024);
  if (!in) co_return http::ProblemFrom(in.error());
  auto username = Username(*in);
  if (!username) co_return http::ProblemFrom(username.error());
  identity::User u;
  u.username = *username;
  u.role = identity::Role::kUser;
  if (const json::value* r = in->if_contains("role"); r && !r->is_null()) {
    auto role = r->is_string() ? identity::ParseRole(r->as_string()) : std::nullopt;
    if (!role)
      co_return http::ProblemFrom(InvalidArgument("'role' must be user, moderator or admin"));
    u.role = *role;
  }
  auto quota = Bytes(*in, "quota_bytes", options_.default_quota_bytes);
  auto daily = Bytes(*in, "daily_quota_bytes", options_.default_daily_quota_bytes);
  if (!quota || !daily) co_return http::ProblemFrom(!quota ? quota.error() : daily.error());
  u.quota_bytes = *quota;
  u.daily_quota_bytes = *daily;
  std::string password;
  bool generated = false;
  if (const json::value* p = in->if_contains("password"); p && !p->is_null()) {
    auto given = StringField(*in, "password", 1, 1024);
    if (!given) co_return http::ProblemFrom(given.error());
    if (auto weak = identity::CheckNewPassword(*given); !weak) {
      co_return http::ProblemFrom(weak.error());
    }
    password = *given;
  } else {
    password = GeneratedPassword();
    generated = true;
    u.must_change_password = true;
  }
  auto hashed = co_await OffThread([&] { return hasher_.Hash(password); });
  if (!hashed) co_return http::ProblemFrom(hashed.error());
  u.password_hash = *hashed;
  auto made = store_.CreateUser(u);
  if (!made) co_return http::ProblemFrom(made.error());
  json::object out{{"user", UserJson(*made)}};
  if (generated) out["password"] = password;
  Response r = http::Json(Status::created, out);
  r.Set(http::bhttp::field::cache_control, "no-store");
  co_return r;
}

Response Accounts::UpdateUser(http::Request& req) {
  auto in = ParseJsonObject(req.body);
  if (!in) return http::ProblemFrom(in.error());
  auto user = store_.GetUser(req.path_params["id"]);
  if (!user) return http::ProblemFrom(user.error());
  bool end_sessions = false;
  if (const json::value* r = in->if_contains("role"); r && !r->is_null()) {
    auto role = r->is_string() ? identity::ParseRole(r->as_string()) : std::nullopt;
    if (!role) return http::ProblemFrom(InvalidArgument("'role' must be user, moderator or admin"));
    if (user->user_id == req.principal.caller.user_id && *role != identity::Role::kAdmin) {
      return http::ProblemFrom(InvalidArgument("admins cannot take away their own admin role"));
    }
    user->role = *role;
  }
  for (auto [name, field] : {std::pair{"disabled", &identity::User::disabled},
                             std::pair{"approved", &identity::User::approved}}) {
    if (const json::value* b = in->if_contains(name); b && !b->is_null()) {
      if (!b->is_bool())
        return http::ProblemFrom(
            InvalidArgument(std::string("'") + name + "' must be true or false"));
      (*user).*field = b->as_bool();
    }
  }
  if (user->disabled && user->user_id == req.principal.caller.user_id) {
    return http::ProblemFrom(InvalidArgument("admins cannot disable themselves"));
  }
  end_sessions = user->disabled || !user->approved;
  auto quota = Bytes(*in, "quota_bytes", user->quota_bytes);
  auto daily = Bytes(*in, "daily_quota_bytes", user->daily_quota_bytes);
  if (!quota || !daily) return http::ProblemFrom(!quota ? quota.error() : daily.error());
  user->quota_bytes = *quota;
  user->daily_quota_bytes = *daily;
  if (auto saved = store_.UpdateUser(*user); !saved) return http::ProblemFrom(saved.error());
  // A disabled account's sessions end now (its tokens stop at the next request: the guard
  // checks the user on every one).
  if (end_sessions) (void)store_.DeleteUserSessions(user->user_id, "");
  return http::Json(json::object{{"user", UserJson(*user)}});
}

boost::asio::awaitable<Response> Accounts::ResetPassword(http::Request& req,
                                                         http::BodyReader& body) {
  (void)co_await ReadJsonBody(body, 16 * 1024);  // no fields; an empty body is fine
  auto user = store_.GetUser(req.path_params["id"]);
  if (!user) co_return http::ProblemFrom(user.error());
  const std::string password = GeneratedPassword();
  auto hashed = co_await OffThread([&] { return hasher_.Hash(password); });
  if (!hashed) co_return http::ProblemFrom(hashed.error());
  user->password_hash = *hashed;
  user->must_change_password = true;
  user->failed_logins = 0;
  user->locked_until = 0;
  if (auto saved = store_.UpdateUser(*user); !saved) co_return http::ProblemFrom(saved.error());
  (void)store_.DeleteUserSessions(user->user_id, "");
  Response r = http::Json(json::object{{"password", password}});
  r.Set(http::bhttp::field::cache_control, "no-store");
  co_return r;
}

}  // namespace kinora::accounts
