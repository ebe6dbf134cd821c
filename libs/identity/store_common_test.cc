#include "store_common.h"

#include <gtest/gtest.h>

namespace kinora::identity {
namespace {

TEST(Usernames, AreOneTo64OfASmallAlphabet) {
  for (const std::string& ok :
       std::vector<std::string>{"a", "Alice", "bob.smith", "ops_2", "x-y", std::string(64, 'z')}) {
    EXPECT_TRUE(IsValidUsername(ok)) << ok;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", " ", "a b", "é", "a/b", "a@b", "a\nb", std::string(65, 'z')}) {
    EXPECT_FALSE(IsValidUsername(bad)) << bad;
  }
}

TEST(StoreCommon, NewUsersGetAnIdAndATimeUnlessGiven) {
  User u;
  u.username = "alice";
  auto p = internal::PrepareNewUser(u);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user_id.size(), 36u);
  EXPECT_GT(p->created_at, 1700000000000);
  u.user_id = "given";
  u.created_at = 7;
  p = internal::PrepareNewUser(u);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user_id, "given");
  EXPECT_EQ(p->created_at, 7);
  u.username = "no spaces";
  EXPECT_FALSE(internal::PrepareNewUser(u));
}

TEST(StoreCommon, ScopesAreStoredAsSpaceSeparatedNames) {
  const std::vector<Scope> all = {Scope::kVideosRead, Scope::kVideosWrite, Scope::kAnalyticsRead,
                                  Scope::kAdmin};
  EXPECT_EQ(internal::ScopesToText(all), "videos:read videos:write analytics:read admin");
  EXPECT_EQ(internal::ScopesFromText(internal::ScopesToText(all)), all);
  EXPECT_EQ(internal::ScopesToText({}), "");
  EXPECT_TRUE(internal::ScopesFromText("").empty());
  // A newer version's scope grants nothing here; stray spaces are harmless.
  EXPECT_EQ(internal::ScopesFromText("videos:read  future:thing admin "),
            (std::vector<Scope>{Scope::kVideosRead, Scope::kAdmin}));
}

TEST(StoreCommon, UnknownRolesReadAsTheLeastPrivileged) {
  EXPECT_EQ(internal::RoleFromText("admin"), Role::kAdmin);
  EXPECT_EQ(internal::RoleFromText("moderator"), Role::kModerator);
  EXPECT_EQ(internal::RoleFromText("superuser"), Role::kUser);
  EXPECT_EQ(internal::RoleFromText(""), Role::kUser);
}

TEST(StoreCommon, UserAgentsAreKeptShortAndPrintable) {
  EXPECT_EQ(internal::StoredUserAgent("curl/8.0"), "curl/8.0");
  EXPECT_EQ(internal::StoredUserAgent(std::string(300, 'a')), std::string(256, 'a'));
  EXPECT_EQ(internal::StoredUserAgent("a\tb\x7f\xc3\xa9"), "a?b???");
}

}  // namespace
}  // namespace kinora::identity
