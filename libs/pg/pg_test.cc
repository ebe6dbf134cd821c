#include "kinora/pg/pg.h"

#include <gtest/gtest.h>

namespace kinora::pg {
namespace {

TEST(ParseUrl, KeepsKinorasSchemaOutOfTheConninfo) {
  auto t = ParseUrl("postgresql://kinora@db:5432/kinora?sslmode=require&schema=site_a");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->schema, "site_a");
  EXPECT_EQ(t->conninfo, "postgresql://kinora@db:5432/kinora?sslmode=require");
}

TEST(ParseUrl, RefusesOtherSchemesAndBadSchemaNames) {
  EXPECT_FALSE(ParseUrl("mysql://db/x"));
  EXPECT_FALSE(ParseUrl("postgresql://db/x?schema=Site"));
  EXPECT_FALSE(ParseUrl("postgresql://db/x?schema=1a"));
}

TEST(ParseUrl, TheDescriptionMasksTheUserinfoPassword) {
  auto t = ParseUrl("postgresql://kinora:s3cret@db/kinora");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->conninfo, "postgresql://kinora:s3cret@db/kinora");
  EXPECT_EQ(t->describe.find("s3cret"), std::string::npos) << t->describe;
}

// libpq also takes the password as a URL parameter; found by fuzz/settings_url_fuzz.cc
// (fuzz/corpus/settings_url/postgres_param_password).
TEST(ParseUrl, TheDescriptionMasksAPasswordParameter) {
  for (const char* url : {"postgres://kinora@db/kinora?password=hunter2&connect_timeout=5",
                          "postgres://kinora@db/kinora?pass%77ord=hunter2",
                          "postgres://kinora@db/kinora?password=hunter2&password=hunter2"}) {
    auto t = ParseUrl(url);
    ASSERT_TRUE(t) << url;
    EXPECT_NE(t->conninfo.find("hunter2"), std::string::npos) << "libpq still gets it";
    EXPECT_EQ(t->describe.find("hunter2"), std::string::npos) << t->describe;
  }
}

// Found by fuzz/settings_url_fuzz.cc (corpus/settings_url/regress_empty_query_fragment): a
// crash in Boost.URL's params().find() under ASan.
TEST(ParseUrl, AnEmptyQueryBeforeAFragmentIsNoCrash) {
  auto t = ParseUrl("postgres:?#schema=ehttpt_a");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->schema, "");
}

// Found by fuzz/settings_url_fuzz.cc (corpus/settings_url/regress_empty_param_before_fragment):
// Boost.URL read out of bounds walking a query left as "?&" once `schema` was erased from it.
TEST(ParseUrl, AnEmptyParameterBeforeAFragmentIsNoCrash) {
  auto t = ParseUrl("postgresql:4?&schema=s1_______#r0________o");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->schema, "s1_______");
  EXPECT_EQ(t->conninfo, "postgresql:4#r0________o");
}

TEST(ParseUrl, OtherParametersStayInOrderWithoutTheSchema) {
  auto t = ParseUrl("postgresql://db/k?a=1&schema=s&&b&password=x%26y");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->conninfo, "postgresql://db/k?a=1&b&password=x%26y");
  EXPECT_EQ(t->describe, "postgresql://db/k?a=1&b&password=*** schema s");
}

}  // namespace
}  // namespace kinora::pg
