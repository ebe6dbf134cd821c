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
  EXPECT_EQ(q->limit, 20);
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
                                                                  {"limit", "101"},
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

}  // namespace kinora::analytics
