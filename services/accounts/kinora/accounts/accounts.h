// The accounts API: signing in and out, the signed-in user, password changes, self sign-up,
// personal API tokens (/api/auth/*), and user management for admins (/api/admin/users*).
// Password hashing runs on a small pool of its own, never on the I/O threads, and the
// PasswordHasher bounds how many hashes run at once. Failed sign-ins back off per account
// (in the store, so every replica sees them) with the same answer for an unknown user and a
// wrong password.
// Thread safety: handlers may run concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "kinora/access/guard.h"
#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/identity/password.h"
#include "kinora/identity/store.h"

namespace kinora::accounts {

enum class Signup { kClosed, kOpen, kApproval };

struct AccountsOptions {
  Signup signup = Signup::kClosed;
  access::SessionPolicy sessions;
  int free_failures = 5;                      // failed sign-ins before back-off
  std::chrono::seconds max_backoff{15 * 60};  // the longest lock
  int64_t default_quota_bytes = 0;            // for new users; 0 = unlimited
  int64_t default_daily_quota_bytes = 0;
  std::function<bool(const http::Request&)> https;  // whether to mark cookies Secure
};

class Accounts {
 public:
  // `catalog` gives users' storage use (may be null: reported as 0).
  Accounts(identity::IdentityStore& store, catalog::Catalog* catalog, AccountsOptions options);
  ~Accounts();

  void Register(http::Router& router);

  boost::asio::awaitable<http::Response> Login(http::Request& req, http::BodyReader& body);
  http::Response Logout(http::Request& req);
  http::Response LogoutAll(http::Request& req);
  http::Response Me(http::Request& req);
  boost::asio::awaitable<http::Response> ChangePassword(http::Request& req, http::BodyReader& body);
  boost::asio::awaitable<http::Response> SignUp(http::Request& req, http::BodyReader& body);
  http::Response ListTokens(http::Request& req);
  http::Response CreateToken(http::Request& req);
  http::Response RevokeToken(http::Request& req);

  http::Response ListUsers(http::Request& req);
  boost::asio::awaitable<http::Response> CreateUser(http::Request& req, http::BodyReader& body);
  http::Response UpdateUser(http::Request& req);
  boost::asio::awaitable<http::Response> ResetPassword(http::Request& req, http::BodyReader& body);

 private:
  // Runs `f` on the hashing pool and resumes the caller's coroutine with its result.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> OffThread(F f) {
    co_return co_await boost::asio::co_spawn(
        pool_, [&]() -> boost::asio::awaitable<std::invoke_result_t<F>> { co_return f(); },
        boost::asio::use_awaitable);
  }
  boost::json::object UserJson(const identity::User& u);
  // When an unknown username may try again (failures are kept in memory for those).
  int64_t UnknownLockedUntil(const std::string& name, int64_t now);
  void UnknownFailed(const std::string& name, int64_t now);
  int64_t BackoffUntil(int64_t failures, int64_t now) const;
  http::Response StartSession(const http::Request& req, const identity::User& u);

  identity::IdentityStore& store_;
  catalog::Catalog* catalog_;
  AccountsOptions options_;
  identity::PasswordHasher hasher_;
  boost::asio::thread_pool pool_;
  std::string dummy_hash_;  // verified against for unknown users, so both take as long

  std::mutex unknown_mu_;
  std::map<std::string, std::pair<int64_t, int64_t>> unknown_;  // name -> failures, locked until
};

}  // namespace kinora::accounts
