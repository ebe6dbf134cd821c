// The guard against an in-memory identity store (a test double of the store's lookups).
#include "kinora/access/guard.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "kinora/access/session_cookie.h"
#include "kinora/core/time.h"
#include "kinora/identity/secrets.h"

namespace kinora::access {
namespace {

using http::Verb;
using identity::Principal;

int64_t Now() { return UnixMillis(std::chrono::system_clock::now()); }

// Only what the guard reads: users, sessions and tokens by hash.
class FakeStore final : public identity::IdentityStore {
 public:
  Result<identity::User> CreateUser(identity::User u) override {
    users[u.user_id] = u;
    return u;
  }
  Result<identity::User> GetUser(std::string_view id) override {
    auto it = users.find(std::string(id));
    if (it == users.end()) return NotFound("no user");
    return it->second;
  }
  Result<identity::User> FindUser(std::string_view) override { return NotFound("no user"); }
  Result<std::vector<identity::User>> ListUsers() override { return std::vector<identity::User>{}; }
  Result<void> UpdateUser(const identity::User& u) override {
    users[u.user_id] = u;
    return {};
  }
  Result<int64_t> CountUsers() override { return static_cast<int64_t>(users.size()); }
  Result<void> CreateSession(const identity::Session& s) override {
    sessions[s.id_hash] = s;
    return {};
  }
  Result<identity::SessionAndUser> FindSession(std::string_view h) override {
    auto it = sessions.find(std::string(h));
    if (it == sessions.end()) return NotFound("no session");
    return identity::SessionAndUser{it->second, users.at(it->second.user_id)};
  }
  Result<void> TouchSession(std::string_view, int64_t) override { return {}; }
  Result<void> DeleteSession(std::string_view h) override {
    sessions.erase(std::string(h));
    return {};
  }
  Result<int64_t> DeleteUserSessions(std::string_view, std::string_view) override { return 0; }
  Result<void> CreateToken(const identity::ApiToken& t) override {
    tokens[t.hash] = t;
    return {};
  }
  Result<identity::TokenAndUser> FindToken(std::string_view h) override {
    auto it = tokens.find(std::string(h));
    if (it == tokens.end()) return NotFound("no token");
    return identity::TokenAndUser{it->second, users.at(it->second.user_id)};
  }
  Result<std::vector<identity::ApiToken>> ListTokens(std::string_view) override {
    return std::vector<identity::ApiToken>{};
  }
  Result<void> RevokeToken(std::string_view, std::string_view) override { return {}; }
  Result<void> TouchToken(std::string_view, int64_t) override { return {}; }
  Result<void> Ping() override { return {}; }

  std::map<std::string, identity::User> users;
  std::map<std::string, identity::Session> sessions;
  std::map<std::string, identity::ApiToken> tokens;
};

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (auto [id, role] :
         {std::pair{"alice", identity::Role::kUser}, std::pair{"root", identity::Role::kAdmin}}) {
      identity::User u;
      u.user_id = id;
      u.username = id;
      u.role = role;
      store_.users[id] = u;
    }
    GuardOptions o;
    o.limits.enabled = false;
    guard_ = std::make_unique<Guard>(&store_, o);
  }

  std::string Session(const std::string& user) {
    std::string secret = identity::NewSessionSecret();
    identity::Session s;
    s.id_hash = identity::HashSecret(secret);
    s.user_id = user;
    s.created_at = s.last_seen_at = Now();
    s.expires_at = Now() + 3'600'000;
    store_.sessions[s.id_hash] = s;
    return secret;
  }

  std::string Token(const std::string& user, std::vector<identity::Scope> scopes) {
    std::string secret = identity::NewApiToken();
    identity::ApiToken t;
    t.token_id = secret.substr(4, 8);
    t.user_id = user;
    t.hash = identity::HashSecret(secret);
    t.scopes = std::move(scopes);
    store_.tokens[t.hash] = t;
    return secret;
  }

  // The status the guard answers for a request to the route (0: admitted).
  int Admit(Verb m, std::string pattern, const std::map<std::string, std::string>& headers,
            Principal* seen = nullptr) {
    http::Route route{
        m, std::move(pattern), {}, http::Handler([](http::Request&) { return http::Response{}; })};
    http::Request req;
    req.method = m;
    req.remote = "127.0.0.1";
    for (const auto& [k, v] : headers) req.headers.set(k, v);
    auto refused = guard_->Admit(req, route);
    if (seen) *seen = req.principal;
    return refused ? static_cast<int>(refused->status) : 0;
  }

  FakeStore store_;
  std::unique_ptr<Guard> guard_;
};

TEST_F(GuardTest, AnonymousCallersReadPublicRoutesButCannotWrite) {
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {}), 0);
  EXPECT_EQ(Admit(Verb::post, "/api/uploader/upload", {}), 401);
  EXPECT_EQ(Admit(Verb::get, "/api/admin/users", {}), 401);
  EXPECT_EQ(Admit(Verb::get, "/metrics", {}), 401);
}

TEST_F(GuardTest, SessionsAuthenticateAndRolesDecide) {
  const std::string alice = "kinora_session=" + Session("alice");
  Principal p;
  EXPECT_EQ(Admit(Verb::get, "/api/auth/me", {{"Cookie", alice}}, &p), 0);
  EXPECT_EQ(p.caller.user_id, "alice");
  EXPECT_EQ(p.via, Principal::Via::kSession);
  EXPECT_EQ(Admit(Verb::get, "/api/admin/users", {{"Cookie", alice}}), 403);
  const std::string root = "kinora_session=" + Session("root");
  EXPECT_EQ(Admit(Verb::get, "/api/admin/users", {{"Cookie", root}}), 0);
  EXPECT_EQ(Admit(Verb::get, "/metrics", {{"Cookie", root}}), 0);
}

TEST_F(GuardTest, AnUnknownOrExpiredSessionIsAnonymous) {
  Principal p;
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Cookie", "kinora_session=nope"}}, &p), 0);
  EXPECT_FALSE(p.signed_in());
  const std::string secret = Session("alice");
  store_.sessions.begin()->second.expires_at = Now() - 1;
  EXPECT_EQ(Admit(Verb::get, "/api/auth/me", {{"Cookie", "kinora_session=" + secret}}), 401);
  EXPECT_TRUE(store_.sessions.empty()) << "an expired session is deleted when seen";
}

TEST_F(GuardTest, TokensCarryScopesAndCannotManageCredentials) {
  const std::string read = "Bearer " + Token("alice", {identity::Scope::kVideosRead});
  const std::string write = "Bearer " + Token("alice", {identity::Scope::kVideosWrite});
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Authorization", read}}), 0);
  EXPECT_EQ(Admit(Verb::post, "/api/uploader/upload", {{"Authorization", read}}), 403);
  EXPECT_EQ(Admit(Verb::post, "/api/uploader/upload", {{"Authorization", write}}), 0);
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Authorization", write}}), 403);
  EXPECT_EQ(Admit(Verb::post, "/api/auth/tokens", {{"Authorization", write}}), 403);
}

TEST_F(GuardTest, BadBearerTokensAre401NotAnonymous) {
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Authorization", "Bearer nope"}}), 401);
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos",
                  {{"Authorization", "Bearer " + identity::NewApiToken()}}),
            401);
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Authorization", "Basic eDp5"}}), 401);
  const std::string t = "Bearer " + Token("alice", {identity::Scope::kVideosRead});
  store_.tokens.begin()->second.revoked = true;
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Authorization", t}}), 401);
}

TEST_F(GuardTest, ADisabledUserIsStoppedAtOnce) {
  const std::string cookie = "kinora_session=" + Session("alice");
  const std::string token = "Bearer " + Token("alice", {identity::Scope::kVideosWrite});
  store_.users["alice"].disabled = true;
  EXPECT_EQ(Admit(Verb::post, "/api/uploader/upload", {{"Authorization", token}}), 401);
  EXPECT_EQ(Admit(Verb::get, "/api/auth/me", {{"Cookie", cookie}}), 401);
}

TEST_F(GuardTest, CrossSiteWritesWithTheCookieAreRefused) {
  const std::string cookie = "kinora_session=" + Session("alice");
  EXPECT_EQ(Admit(Verb::post, "/api/auth/logout-all",
                  {{"Cookie", cookie},
                   {"Sec-Fetch-Site", "cross-site"},
                   {"Content-Type", "application/x-www-form-urlencoded"}}),
            403);
  EXPECT_EQ(Admit(Verb::post, "/api/auth/logout-all",
                  {{"Cookie", cookie},
                   {"Sec-Fetch-Site", "same-origin"},
                   {"Content-Type", "application/json"}}),
            0);
  // A same-site form post still lacks the JSON body or the custom header.
  EXPECT_EQ(Admit(Verb::post, "/api/auth/logout-all",
                  {{"Cookie", cookie},
                   {"Sec-Fetch-Site", "same-origin"},
                   {"Content-Type", "application/x-www-form-urlencoded"}}),
            403);
  // Bearer requests carry no ambient credential: exempt.
  const std::string token = "Bearer " + Token("alice", {identity::Scope::kVideosWrite});
  EXPECT_EQ(Admit(Verb::post, "/api/uploader/upload",
                  {{"Authorization", token}, {"Sec-Fetch-Site", "cross-site"}}),
            0);
}

TEST_F(GuardTest, AForcedPasswordChangeComesFirst) {
  store_.users["alice"].must_change_password = true;
  const std::string cookie = "kinora_session=" + Session("alice");
  EXPECT_EQ(Admit(Verb::get, "/api/auth/me", {{"Cookie", cookie}}), 0);
  EXPECT_EQ(Admit(Verb::get, "/api/analytics/videos", {{"Cookie", cookie}}), 403);
}

TEST_F(GuardTest, RateLimitsAnswer429WithRetryAfter) {
  GuardOptions o;
  o.limits.enabled = true;
  o.limits.login = {.per_minute = 1, .burst = 2};
  Guard g(&store_, o);
  http::Route route{Verb::post, "/api/auth/login", {}, http::Handler([](http::Request&) {
                      return http::Response{};
                    })};
  int refused = 0;
  for (int i = 0; i < 4; ++i) {
    http::Request req;
    req.method = Verb::post;
    req.remote = "10.1.2.3";
    if (auto r = g.Admit(req, route)) {
      EXPECT_EQ(r->status, http::Status::too_many_requests);
      EXPECT_FALSE(r->headers[http::bhttp::field::retry_after].empty());
      ++refused;
    }
  }
  EXPECT_EQ(refused, 2);
}

}  // namespace
}  // namespace kinora::access
