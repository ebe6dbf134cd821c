#include "kinora/identity/rights.h"

#include <gtest/gtest.h>

namespace kinora::identity {
namespace {

const Caller kAnon{};
const Caller kAlice{"alice", Role::kUser};
const Caller kBob{"bob", Role::kUser};
const Caller kMod{"mod", Role::kModerator};
const Caller kAdmin{"root", Role::kAdmin};

TEST(Rights, RolesGrowByRights) {
  for (Right r : {Right::kUpload, Right::kLike, Right::kEditOwnVideos}) {
    EXPECT_TRUE(Has(Role::kUser, r));
    EXPECT_TRUE(Has(Role::kModerator, r));
    EXPECT_TRUE(Has(Role::kAdmin, r));
  }
  EXPECT_FALSE(Has(Role::kUser, Right::kSeeAnyVideo));
  EXPECT_TRUE(Has(Role::kModerator, Right::kEditAnyVideo));
  EXPECT_FALSE(Has(Role::kModerator, Right::kManageUsers));
  EXPECT_TRUE(Has(Role::kAdmin, Right::kManageUsers));
  EXPECT_TRUE(Has(Role::kAdmin, Right::kManageSettings));
}

TEST(Rights, NamesRoundTrip) {
  for (Role r : {Role::kUser, Role::kModerator, Role::kAdmin}) EXPECT_EQ(ParseRole(ToString(r)), r);
  for (Scope s : {Scope::kVideosRead, Scope::kVideosWrite, Scope::kAnalyticsRead, Scope::kAdmin}) {
    EXPECT_EQ(ParseScope(ToString(s)), s);
  }
  for (Visibility v :
       {Visibility::kPublic, Visibility::kUnlisted, Visibility::kPrivate, Visibility::kInternal}) {
    EXPECT_EQ(ParseVisibility(ToString(v)), v);
  }
  EXPECT_FALSE(ParseRole("Admin"));
  EXPECT_FALSE(ParseScope("videos:*"));
  EXPECT_FALSE(ParseVisibility("secret"));
}

TEST(Rights, WhoSeesWhat) {
  struct Row {
    Visibility v;
    bool anon, owner, other, mod, admin;  // may watch
    bool listed_anon, listed_owner, listed_other, listed_mod;
  };
  for (const Row& r : {
           Row{Visibility::kPublic, true, true, true, true, true, true, true, true, true},
           Row{Visibility::kUnlisted, true, true, true, true, true, false, true, false, true},
           Row{Visibility::kInternal, false, true, true, true, true, false, true, true, true},
           Row{Visibility::kPrivate, false, true, false, true, true, false, true, false, true},
       }) {
    SCOPED_TRACE(std::string(ToString(r.v)));
    EXPECT_EQ(CanWatch(kAnon, "alice", r.v), r.anon);
    EXPECT_EQ(CanWatch(kAlice, "alice", r.v), r.owner);
    EXPECT_EQ(CanWatch(kBob, "alice", r.v), r.other);
    EXPECT_EQ(CanWatch(kMod, "alice", r.v), r.mod);
    EXPECT_EQ(CanWatch(kAdmin, "alice", r.v), r.admin);
    EXPECT_EQ(IsListedFor(kAnon, "alice", r.v), r.listed_anon);
    EXPECT_EQ(IsListedFor(kAlice, "alice", r.v), r.listed_owner);
    EXPECT_EQ(IsListedFor(kBob, "alice", r.v), r.listed_other);
    EXPECT_EQ(IsListedFor(kMod, "alice", r.v), r.listed_mod);
  }
  // An anonymous caller never owns anything, even a video with no owner.
  EXPECT_FALSE(CanWatch(kAnon, "", Visibility::kPrivate));
}

TEST(Rights, EditingIsForOwnersAndModerators) {
  EXPECT_TRUE(CanEdit(kAlice, "alice"));
  EXPECT_FALSE(CanEdit(kBob, "alice"));
  EXPECT_FALSE(CanEdit(kAnon, "alice"));
  EXPECT_FALSE(CanEdit(kAnon, ""));
  EXPECT_TRUE(CanEdit(kMod, "alice"));
  EXPECT_TRUE(CanEdit(kAdmin, "alice"));
}

}  // namespace
}  // namespace kinora::identity
