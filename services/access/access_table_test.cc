#include "kinora/access/access_table.h"

#include <gtest/gtest.h>

#include <set>

#include "kinora/access/session_cookie.h"

namespace kinora::access {
namespace {

using http::Verb;

TEST(AccessTable, EveryRouteOnce) {
  std::set<std::pair<Verb, std::string_view>> seen;
  for (const AccessRule& r : AccessTable()) {
    EXPECT_TRUE(seen.insert({r.method, r.pattern}).second)
        << http::bhttp::to_string(r.method) << " " << r.pattern << " is listed twice";
  }
}

TEST(AccessTable, WritesNeedTheWriteScopeAndReadsTheReadScope) {
  for (const AccessRule& r : AccessTable()) {
    if (r.need == Need::kUpstream || r.session_only) continue;
    if (r.pattern.starts_with("/api/uploader") || r.pattern == "/api/upload") {
      EXPECT_EQ(r.scope, identity::Scope::kVideosWrite) << r.pattern;
      EXPECT_NE(r.need, Need::kAnyone) << r.pattern;
    }
    if (r.pattern.starts_with("/api/admin")) {
      EXPECT_EQ(r.need, Need::kRight) << r.pattern;
      // Users are managed by whoever may manage users; videos (reprocessing) are site operations.
      EXPECT_EQ(r.right, r.pattern.starts_with("/api/admin/users")
                             ? identity::Right::kManageUsers
                             : identity::Right::kManageSettings)
          << r.pattern;
      EXPECT_EQ(r.scope, identity::Scope::kAdmin) << r.pattern;
    }
  }
  const AccessRule* list = FindRule(Verb::get, "/api/analytics/videos");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->need, Need::kAnyone);
  EXPECT_EQ(list->scope, identity::Scope::kVideosRead);
}

TEST(AccessTable, CredentialsAreManagedWithASessionOnly) {
  for (auto [m, p] : {std::pair{Verb::post, "/api/auth/tokens"},
                      std::pair{Verb::delete_, "/api/auth/tokens/{id}"},
                      std::pair{Verb::post, "/api/auth/password"}}) {
    const AccessRule* r = FindRule(m, p);
    ASSERT_NE(r, nullptr) << p;
    EXPECT_TRUE(r->session_only) << p;
  }
}

TEST(AccessTable, AudienceReportsAreForOwnersModeratorsAndAdmins) {
  int reports = 0;
  for (const AccessRule& r : AccessTable()) {
    if (!r.pattern.starts_with("/api/analytics/videos/{id}/")) continue;
    ++reports;
    EXPECT_EQ(r.need, Need::kSignedIn) << r.pattern;
    EXPECT_EQ(r.scope, identity::Scope::kAnalyticsRead) << r.pattern;
    EXPECT_EQ(r.target, Target::kVideoAnalytics) << r.pattern;
  }
  EXPECT_EQ(reports, 6);  // overview, timeseries, retention, breakdown, qoe, content
  for (auto p :
       {"/api/analytics/realtime", "/api/analytics/overview", "/api/analytics/sessions/export"}) {
    const AccessRule* r = FindRule(Verb::get, p);
    ASSERT_NE(r, nullptr) << p;
    EXPECT_EQ(r->need, Need::kSignedIn) << p;
    EXPECT_EQ(r->scope, identity::Scope::kAnalyticsRead) << p;
  }
  EXPECT_EQ(ToString(Target::kVideoAnalytics), "video_analytics");
}

TEST(AccessTable, ARouteWithoutARuleStopsTheServer) {
  http::Router router;
  router.Add(Verb::get, "/health", [](http::Request&) { return http::Response{}; });
  EXPECT_TRUE(CheckRoutes(router));
  router.Add(Verb::get, "/api/secret", [](http::Request&) { return http::Response{}; });
  auto r = CheckRoutes(router);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("GET /api/secret"), std::string::npos);
}

TEST(AccessTable, JsonListsEveryRule) {
  auto j = AccessTableJson();
  ASSERT_EQ(j.size(), AccessTable().size());
  const auto& first = j.at(0).as_object();
  for (auto key : {"method", "pattern", "need", "right", "scope", "target", "limit", "session_only",
                   "while_must_change"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
}

TEST(SessionCookie, ReadsItsOwnCookieAmongOthers) {
  EXPECT_EQ(SessionCookieValue("a=1; kinora_session=abc; b=2"), "abc");
  EXPECT_EQ(SessionCookieValue("kinora_session=abc"), "abc");
  EXPECT_EQ(SessionCookieValue("xkinora_session=abc"), std::nullopt);
  EXPECT_EQ(SessionCookieValue("kinora_session="), std::nullopt);
  EXPECT_EQ(SessionCookieValue(""), std::nullopt);
}

TEST(SessionCookie, IsHttpOnlyLaxAndSecureOverHttps) {
  const std::string c = SetSessionCookie("v", std::chrono::seconds(60), true);
  EXPECT_EQ(c, "kinora_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(SetSessionCookie("v", std::chrono::seconds(60), false).find("Secure"),
            std::string::npos);
  EXPECT_NE(ClearSessionCookie(false).find("Max-Age=0"), std::string::npos);
}

}  // namespace
}  // namespace kinora::access
