#include "kinora/audience/report_params.h"

#include <gtest/gtest.h>

namespace kinora::audience {
namespace {

identity::Principal User(std::string id, identity::Role role = identity::Role::kUser) {
  identity::Principal p;
  p.caller.user_id = std::move(id);
  p.caller.role = role;
  p.via = identity::Principal::Via::kSession;
  return p;
}

TEST(MaySeeAnalytics, OwnerModeratorsAndAdminsOnly) {
  catalog::VideoRecord v;
  v.owner_id = "alice";
  EXPECT_TRUE(MaySeeAnalytics(User("alice"), v));
  EXPECT_FALSE(MaySeeAnalytics(User("bob"), v));
  EXPECT_TRUE(MaySeeAnalytics(User("mo", identity::Role::kModerator), v));
  EXPECT_TRUE(MaySeeAnalytics(User("root", identity::Role::kAdmin), v));
  EXPECT_FALSE(MaySeeAnalytics(identity::Principal{}, v));
  catalog::VideoRecord unowned;
  EXPECT_FALSE(MaySeeAnalytics(User("bob"), unowned));
}

TEST(CallerScope, UsersSeeTheirOwnModeratorsPickAnyone) {
  auto own = CallerScope(User("alice"), std::nullopt);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->kind, reports::Scope::Kind::kOwner);
  EXPECT_EQ(own->id, "alice");
  auto other = CallerScope(User("alice"), "bob");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto all = CallerScope(User("mo", identity::Role::kModerator), std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->kind, reports::Scope::Kind::kAll);
  auto picked = CallerScope(User("root", identity::Role::kAdmin), "bob");
  ASSERT_TRUE(picked);
  EXPECT_EQ(picked->id, "bob");
  EXPECT_FALSE(CallerScope(identity::Principal{}, std::nullopt));
}

TEST(ParseReportRange, ReadsFromAndTo) {
  http::Request req;
  req.query.emplace("from", "2026-11-01");
  req.query.emplace("to", "2026-11-30");
  auto r = ParseReportRange(req, std::chrono::system_clock::now());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->from, *ParseIso8601("2026-11-01T00:00:00Z"));
  EXPECT_EQ(r->to, *ParseIso8601("2026-12-01T00:00:00Z"));
  http::Request bad;
  bad.query.emplace("from", "2026-11-30");
  bad.query.emplace("to", "2026-11-01");
  EXPECT_FALSE(ParseReportRange(bad, std::chrono::system_clock::now()));
}

TEST(Names, MetricsFormatsAndDimensions) {
  EXPECT_EQ(ParseMetric("watch_time_seconds"), TimeseriesMetric::kWatchTime);
  EXPECT_FALSE(ParseMetric("likes"));
  EXPECT_EQ(ParseExportFormat("ndjson"), ExportFormat::kNdjson);
  EXPECT_FALSE(ParseExportFormat("xml"));
  EXPECT_TRUE(IsDimension("embed_host"));
  EXPECT_FALSE(IsDimension("city"));
}

}  // namespace
}  // namespace kinora::audience
