#include "kinora/analytics/analytics.h"

#include <gtest/gtest.h>

namespace kinora::analytics {

http::Request WithQuery(std::initializer_list<std::pair<const char*, const char*>> kv) {
  http::Request r;
  for (auto [k, v] : kv) r.query.emplace(k, v);
  return r;
}

TEST(ParseListQuery, Defaults) {
  auto q = ParseListQuery(WithQuery({}));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->limit, 100);  // the seed's default
  EXPECT_TRUE(q->descending);
  EXPECT_EQ(q->sort, catalog::SortKey::kTimestamp);
}

TEST(ParseListQuery, ReadsEveryParameter) {
  auto q = ParseListQuery(WithQuery({{"limit", "50"},
                                     {"sort_by", "views"},
                                     {"order", "asc"},
                                     {"status", "processed"},
                                     {"q", "cat"},
                                     {"offset", "10"},
                                     {"flag", "too_quiet"}}));
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->limit, 50);
  EXPECT_EQ(q->sort, catalog::SortKey::kViews);
  EXPECT_FALSE(q->descending);
  EXPECT_EQ(q->status, catalog::VideoStatus::kProcessed);
  EXPECT_EQ(q->title_query, "cat");
  EXPECT_EQ(q->offset, 10);
  EXPECT_EQ(q->flag, "too_quiet");
}

TEST(ParseListQuery, RefusesBadValuesNamingTheParameter) {
  for (auto [k, v] :
       std::initializer_list<std::pair<const char*, const char*>>{{"limit", "0"},
                                                                  {"limit", "1001"},
                                                                  {"limit", "x"},
                                                                  {"sort_by", "color"},
                                                                  {"order", "up"},
                                                                  {"status", "DONE"},
                                                                  {"offset", "-1"},
                                                                  {"flag", "loud"},
                                                                  {"flag", "%"}}) {
    auto q = ParseListQuery(WithQuery({{k, v}}));
    ASSERT_FALSE(q) << k << "=" << v;
    EXPECT_NE(q.error().message.find(k), std::string::npos);
  }
}

TEST(ParseListQuery, TakesTheSeedsLargestPage) {
  auto q = ParseListQuery(WithQuery({{"limit", "1000"}}));
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->limit, 1000);
}

TEST(ParseStatsItemsQuery, TheSeedsParameters) {
  auto q = ParseStatsItemsQuery(WithQuery({}));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->limit, 100);
  EXPECT_EQ(q->sort, catalog::SortKey::kTimestamp);
  EXPECT_TRUE(q->descending);
  for (auto [name, key] : {std::pair{"timestamp", catalog::SortKey::kTimestamp},
                           {"views", catalog::SortKey::kViews},
                           {"likes", catalog::SortKey::kLikes},
                           {"engagement", catalog::SortKey::kEngagement}}) {
    auto k = ParseStatsItemsQuery(WithQuery({{"sort_by", name}, {"limit", "1000"}}));
    ASSERT_TRUE(k) << name;
    EXPECT_EQ(k->sort, key);
    EXPECT_EQ(k->limit, 1000);
  }
  for (auto [k, v] : std::initializer_list<std::pair<const char*, const char*>>{
           {"limit", "0"}, {"limit", "1001"}, {"limit", "ten"}, {"sort_by", "color"}}) {
    auto bad = ParseStatsItemsQuery(WithQuery({{k, v}}));
    ASSERT_FALSE(bad) << k << "=" << v;
    EXPECT_NE(bad.error().message.find(k), std::string::npos);
  }
}

}  // namespace kinora::analytics
