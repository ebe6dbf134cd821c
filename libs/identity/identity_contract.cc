// Contract: users, sessions, personal API tokens, and many threads at once.
#include "identity_contract.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/time.h"
#include "kinora/identity/secrets.h"

namespace kinora::identity {

namespace {

// Collects the names of the fields that differ.
class Diff {
 public:
  template <class T>
  void Check(const char* field, const T& a, const T& b) {
    if (a == b) return;
    out_ << "\n  " << field << ": " << ::testing::PrintToString(a)
         << " != " << ::testing::PrintToString(b);
  }
  ::testing::AssertionResult Result() const {
    const std::string s = out_.str();
    if (s.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << s;
  }

 private:
  std::ostringstream out_;
};

std::vector<std::string> Names(const std::vector<User>& users) {
  std::vector<std::string> out;
  for (const User& u : users) out.push_back(u.username);
  return out;
}

std::vector<std::string> TokenNames(const std::vector<ApiToken>& tokens) {
  std::vector<std::string> out;
  for (const ApiToken& t : tokens) out.push_back(t.name);
  return out;
}

}  // namespace

::testing::AssertionResult SameUser(const User& a, const User& b) {
  Diff d;
  d.Check("user_id", a.user_id, b.user_id);
  d.Check("username", a.username, b.username);
  d.Check("password_hash", a.password_hash, b.password_hash);
  d.Check("role", ToString(a.role), ToString(b.role));
  d.Check("disabled", a.disabled, b.disabled);
  d.Check("must_change_password", a.must_change_password, b.must_change_password);
  d.Check("approved", a.approved, b.approved);
  d.Check("quota_bytes", a.quota_bytes, b.quota_bytes);
  d.Check("daily_quota_bytes", a.daily_quota_bytes, b.daily_quota_bytes);
  d.Check("created_at", a.created_at, b.created_at);
  d.Check("failed_logins", a.failed_logins, b.failed_logins);
  d.Check("locked_until", a.locked_until, b.locked_until);
  return d.Result();
}

::testing::AssertionResult SameSession(const Session& a, const Session& b) {
  Diff d;
  d.Check("id_hash", a.id_hash, b.id_hash);
  d.Check("user_id", a.user_id, b.user_id);
  d.Check("created_at", a.created_at, b.created_at);
  d.Check("last_seen_at", a.last_seen_at, b.last_seen_at);
  d.Check("expires_at", a.expires_at, b.expires_at);
  d.Check("user_agent", a.user_agent, b.user_agent);
  return d.Result();
}

::testing::AssertionResult SameToken(const ApiToken& a, const ApiToken& b) {
  Diff d;
  d.Check("token_id", a.token_id, b.token_id);
  d.Check("user_id", a.user_id, b.user_id);
  d.Check("name", a.name, b.name);
  d.Check("hash", a.hash, b.hash);
  d.Check("hint", a.hint, b.hint);
  std::vector<std::string> sa, sb;
  for (Scope s : a.scopes) sa.emplace_back(ToString(s));
  for (Scope s : b.scopes) sb.emplace_back(ToString(s));
  d.Check("scopes", sa, sb);
  d.Check("created_at", a.created_at, b.created_at);
  d.Check("expires_at", a.expires_at, b.expires_at);
  d.Check("last_used_at", a.last_used_at, b.last_used_at);
  d.Check("revoked", a.revoked, b.revoked);
  return d.Result();
}

void IdentityContract::SetUp() {
  auto s = GetParam().make();
  ASSERT_TRUE(s) << s.error().message;
  store_ = std::move(*s);
}

User IdentityContract::SampleUser(const std::string& username) {
  User u;
  u.username = username;
  u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  u.role = Role::kModerator;
  u.disabled = true;
  u.must_change_password = true;
  u.approved = false;
  u.quota_bytes = int64_t{5} << 40;  // beyond 32 bits
  u.daily_quota_bytes = 123456789;
  u.failed_logins = 3;
  u.locked_until = 1893456000123;
  return u;
}

User IdentityContract::MustCreateUser(const std::string& username, Role role) {
  User u;
  u.username = username;
  u.password_hash = "hash-of-" + username;
  u.role = role;
  auto r = store().CreateUser(u);
  EXPECT_TRUE(r) << username << ": " << r.error().message;
  return r ? *r : u;
}

Session IdentityContract::SampleSession(const std::string& user_id, const std::string& secret) {
  Session s;
  s.id_hash = HashSecret(secret);
  s.user_id = user_id;
  s.created_at = 1700000000000;
  s.last_seen_at = 1700000000500;
  s.expires_at = 1702592000000;
  s.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Kinora-Test/1.0";
  return s;
}

ApiToken IdentityContract::SampleToken(const std::string& user_id, const std::string& name,
                                       int64_t created_at) {
  const std::string secret = NewApiToken();
  ApiToken t;
  t.token_id = NewUuid();
  t.user_id = user_id;
  t.name = name;
  t.hash = HashSecret(secret);
  t.hint = TokenHint(secret);
  t.scopes = {Scope::kVideosRead};
  t.created_at = created_at;
  return t;
}

// --- users

TEST_P(IdentityContract, CreateUserFillsIdAndTimeAndKeepsEveryField) {
  const int64_t before = UnixMillis(std::chrono::system_clock::now());
  auto created = store().CreateUser(SampleUser("Alice"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(IsUuid(created->user_id)) << created->user_id;
  EXPECT_GE(created->created_at, before);
  EXPECT_LE(created->created_at, UnixMillis(std::chrono::system_clock::now()));

  auto got = store().GetUser(created->user_id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_TRUE(SameUser(*got, *created));
  User want = SampleUser("Alice");
  want.user_id = created->user_id;
  want.created_at = created->created_at;
  EXPECT_TRUE(SameUser(*got, want));
}

TEST_P(IdentityContract, CreateUserKeepsAGivenIdAndTime) {
  User u = SampleUser("bob");
  u.user_id = NewUuid();
  u.created_at = 1600000000000;
  auto created = store().CreateUser(u);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(SameUser(*created, u));
  auto got = store().GetUser(u.user_id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_TRUE(SameUser(*got, u));
}

TEST_P(IdentityContract, UsernamesAreUniqueInAnyCase) {
  MustCreateUser("Alice");
  for (const char* other : {"Alice", "alice", "ALICE", "aLiCe"}) {
    auto dup = store().CreateUser(SampleUser(other));
    ASSERT_FALSE(dup) << other;
    EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists) << other;
  }
  auto n = store().CountUsers();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  // Names that only look alike are different names.
  MustCreateUser("alice2");
  MustCreateUser("alice.");
}

TEST_P(IdentityContract, MalformedUsernamesAreRefused) {
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("with space"),
                                 std::string("é"), std::string("a/b"), std::string("a@b")}) {
    auto r = store().CreateUser(SampleUser(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  MustCreateUser(std::string(64, 'a'));
  MustCreateUser("A-Za_z.09");
}

TEST_P(IdentityContract, FindUserIgnoresCaseAndKeepsTheStoredSpelling) {
  const User alice = MustCreateUser("Alice");
  for (const char* name : {"Alice", "alice", "ALICE"}) {
    auto got = store().FindUser(name);
    ASSERT_TRUE(got) << name << ": " << got.error().message;
    EXPECT_EQ(got->user_id, alice.user_id);
    EXPECT_EQ(got->username, "Alice");
  }
}

TEST_P(IdentityContract, UnknownUsersAreNotFound) {
  MustCreateUser("alice");
  auto by_id = store().GetUser(NewUuid());
  ASSERT_FALSE(by_id);
  EXPECT_EQ(by_id.error().code, ErrorCode::kNotFound);
  for (const char* name : {"bob", "alic", "alice%", "alic_", ""}) {
    auto by_name = store().FindUser(name);
    ASSERT_FALSE(by_name) << name;
    EXPECT_EQ(by_name.error().code, ErrorCode::kNotFound) << name;
  }
  // A username is not an id, nor the other way round.
  auto name_as_id = store().GetUser("alice");
  ASSERT_FALSE(name_as_id);
  EXPECT_EQ(name_as_id.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, ListUsersOrdersByUsernameIgnoringCase) {
  auto empty = store().ListUsers();
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  for (const char* name : {"carol", "Bob", "alice", "Dave", "_ops", "bobby", "0day"}) {
    MustCreateUser(name);
  }
  auto users = store().ListUsers();
  ASSERT_TRUE(users) << users.error().message;
  // Byte order of the lowercased names: digits, then '_' before letters.
  EXPECT_EQ(Names(*users),
            (std::vector<std::string>{"0day", "_ops", "alice", "Bob", "bobby", "carol", "Dave"}));
  EXPECT_EQ((*users)[3].password_hash, "hash-of-Bob");
}

TEST_P(IdentityContract, UpdateUserReplacesEveryMutableField) {
  const User before = MustCreateUser("alice");
  User changed = SampleUser("ignored-name");
  changed.user_id = before.user_id;
  changed.created_at = before.created_at + 99999;  // not mutable
  changed.role = Role::kAdmin;
  ASSERT_TRUE(store().UpdateUser(changed));
  auto got = store().GetUser(before.user_id);
  ASSERT_TRUE(got) << got.error().message;
  User want = changed;
  want.username = "alice";
  want.created_at = before.created_at;
  EXPECT_TRUE(SameUser(*got, want));

  // And back to every default, so no field is stuck.
  User reset = before;
  reset.password_hash = "new-hash";
  ASSERT_TRUE(store().UpdateUser(reset));
  got = store().GetUser(before.user_id);
  ASSERT_TRUE(got);
  EXPECT_TRUE(SameUser(*got, reset));
}

TEST_P(IdentityContract, UpdateUnknownUserIsNotFound) {
  User ghost = SampleUser("ghost");
  ghost.user_id = NewUuid();
  auto r = store().UpdateUser(ghost);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  auto n = store().CountUsers();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
}

TEST_P(IdentityContract, CountUsersCountsEveryUser) {
  for (int i = 0; i < 5; ++i) {
    auto n = store().CountUsers();
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, i);
    MustCreateUser("user" + std::to_string(i));
  }
  User disabled = SampleUser("disabled");
  ASSERT_TRUE(store().CreateUser(disabled));
  auto n = store().CountUsers();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 6);  // disabled and unapproved users count too
}

// --- sessions

TEST_P(IdentityContract, SessionsAreFoundWithTheirUser) {
  const User alice = MustCreateUser("alice", Role::kAdmin);
  const Session s = SampleSession(alice.user_id, "secret-1");
  ASSERT_TRUE(store().CreateSession(s));
  auto found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(SameSession(found->session, s));
  EXPECT_TRUE(SameUser(found->user, alice));

  // The user as it is now, not as it was at sign-in.
  User disabled = alice;
  disabled.disabled = true;
  ASSERT_TRUE(store().UpdateUser(disabled));
  found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->user.disabled);

  auto unknown = store().FindSession(HashSecret("never issued"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, ExpiredSessionsAreStillFound) {
  const User alice = MustCreateUser("alice");
  Session s = SampleSession(alice.user_id, "old");
  s.expires_at = 1;  // long gone: judging that is the caller's job
  ASSERT_TRUE(store().CreateSession(s));
  auto found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->session.expires_at, 1);
}

TEST_P(IdentityContract, SessionUserAgentsAreTrimmedToPrintableAscii) {
  const User alice = MustCreateUser("alice");
  Session s = SampleSession(alice.user_id, "ua");
  s.user_agent = std::string(300, 'x') + "é";
  ASSERT_TRUE(store().CreateSession(s));
  auto found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->session.user_agent, std::string(256, 'x'));

  Session odd = SampleSession(alice.user_id, "odd");
  odd.user_agent = "caf\xc3\xa9\n\xff";
  ASSERT_TRUE(store().CreateSession(odd));
  found = store().FindSession(odd.id_hash);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->session.user_agent, "caf????");
}

TEST_P(IdentityContract, CreateSessionNeedsAUserAndAFreshHash) {
  auto orphan = store().CreateSession(SampleSession(NewUuid(), "orphan"));
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store().FindSession(HashSecret("orphan")));

  const User alice = MustCreateUser("alice");
  ASSERT_TRUE(store().CreateSession(SampleSession(alice.user_id, "s")));
  auto dup = store().CreateSession(SampleSession(alice.user_id, "s"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);

  Session empty = SampleSession(alice.user_id, "x");
  empty.id_hash.clear();
  auto bad = store().CreateSession(empty);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(IdentityContract, TouchSessionOnlyMovesLastSeenForward) {
  const User alice = MustCreateUser("alice");
  const Session s = SampleSession(alice.user_id, "t");
  ASSERT_TRUE(store().CreateSession(s));
  ASSERT_TRUE(store().TouchSession(s.id_hash, s.last_seen_at + 60000));
  auto found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.last_seen_at, s.last_seen_at + 60000);
  EXPECT_EQ(found->session.created_at, s.created_at);
  EXPECT_EQ(found->session.expires_at, s.expires_at);
  // A late, older touch (a slower request) does not move it back.
  ASSERT_TRUE(store().TouchSession(s.id_hash, s.last_seen_at + 1000));
  found = store().FindSession(s.id_hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.last_seen_at, s.last_seen_at + 60000);

  auto unknown = store().TouchSession(HashSecret("nope"), 1);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, DeleteSessionEndsOnlyThatSession) {
  const User alice = MustCreateUser("alice");
  const Session a = SampleSession(alice.user_id, "a");
  const Session b = SampleSession(alice.user_id, "b");
  ASSERT_TRUE(store().CreateSession(a));
  ASSERT_TRUE(store().CreateSession(b));
  ASSERT_TRUE(store().DeleteSession(a.id_hash));
  EXPECT_FALSE(store().FindSession(a.id_hash));
  EXPECT_TRUE(store().FindSession(b.id_hash));
  auto again = store().DeleteSession(a.id_hash);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, DeleteUserSessionsKeepsOneAndOtherUsers) {
  const User alice = MustCreateUser("alice");
  const User bob = MustCreateUser("bob");
  for (const char* s : {"a1", "a2", "a3", "a4"}) {
    ASSERT_TRUE(store().CreateSession(SampleSession(alice.user_id, s)));
  }
  ASSERT_TRUE(store().CreateSession(SampleSession(bob.user_id, "b1")));

  auto ended = store().DeleteUserSessions(alice.user_id, HashSecret("a2"));
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(*ended, 3);
  EXPECT_TRUE(store().FindSession(HashSecret("a2")));
  EXPECT_FALSE(store().FindSession(HashSecret("a1")));
  EXPECT_FALSE(store().FindSession(HashSecret("a3")));
  EXPECT_TRUE(store().FindSession(HashSecret("b1")));

  // Another user's hash keeps nothing of alice's; an empty one keeps nothing at all.
  ended = store().DeleteUserSessions(alice.user_id, HashSecret("b1"));
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 1);
  EXPECT_TRUE(store().FindSession(HashSecret("b1")));
  ended = store().DeleteUserSessions(bob.user_id, "");
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 1);
  ended = store().DeleteUserSessions(bob.user_id, "");
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 0);
  ended = store().DeleteUserSessions(NewUuid(), "");
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 0);
}

// --- personal API tokens

TEST_P(IdentityContract, TokensAreFoundWithTheirUser) {
  const User alice = MustCreateUser("alice", Role::kAdmin);
  ApiToken t = SampleToken(alice.user_id, "deploy script", 1700000000000);
  t.scopes = {Scope::kVideosWrite, Scope::kAdmin};
  t.expires_at = 1731536000000;
  t.last_used_at = 1700000000001;
  ASSERT_TRUE(store().CreateToken(t));
  auto found = store().FindToken(t.hash);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_TRUE(SameToken(found->token, t));
  EXPECT_TRUE(SameUser(found->user, alice));
  EXPECT_TRUE(found->token.hint.starts_with("kin_")) << found->token.hint;

  auto unknown = store().FindToken(HashSecret(NewApiToken()));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, TokenScopesRoundTrip) {
  const User alice = MustCreateUser("alice");
  const std::vector<std::vector<Scope>> cases = {
      {},
      {Scope::kVideosRead},
      {Scope::kAnalyticsRead, Scope::kVideosRead},
      {Scope::kVideosRead, Scope::kVideosWrite, Scope::kAnalyticsRead, Scope::kAdmin},
  };
  int64_t at = 1700000000000;
  for (const auto& scopes : cases) {
    ApiToken t = SampleToken(alice.user_id, "t", at++);
    t.scopes = scopes;
    ASSERT_TRUE(store().CreateToken(t));
    auto found = store().FindToken(t.hash);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_TRUE(SameToken(found->token, t));
  }
}

TEST_P(IdentityContract, CreateTokenNeedsAUserAndFreshIds) {
  auto orphan = store().CreateToken(SampleToken(NewUuid(), "orphan", 1));
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);

  const User alice = MustCreateUser("alice");
  const ApiToken t = SampleToken(alice.user_id, "one", 1);
  ASSERT_TRUE(store().CreateToken(t));
  ApiToken same_hash = SampleToken(alice.user_id, "two", 2);
  same_hash.hash = t.hash;
  auto dup = store().CreateToken(same_hash);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  ApiToken same_id = SampleToken(alice.user_id, "three", 3);
  same_id.token_id = t.token_id;
  dup = store().CreateToken(same_id);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);

  ApiToken no_hash = SampleToken(alice.user_id, "four", 4);
  no_hash.hash.clear();
  auto bad = store().CreateToken(no_hash);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(IdentityContract, ListTokensNewestFirstWithRevokedOnes) {
  const User alice = MustCreateUser("alice");
  const User bob = MustCreateUser("bob");
  auto none = store().ListTokens(alice.user_id);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());

  const ApiToken old_t = SampleToken(alice.user_id, "old", 1000);
  const ApiToken mid = SampleToken(alice.user_id, "mid", 2000);
  const ApiToken fresh = SampleToken(alice.user_id, "new", 3000);
  for (const ApiToken* t : {&mid, &fresh, &old_t}) ASSERT_TRUE(store().CreateToken(*t));
  ASSERT_TRUE(store().CreateToken(SampleToken(bob.user_id, "bob's", 2500)));
  ASSERT_TRUE(store().RevokeToken(alice.user_id, mid.token_id));

  auto list = store().ListTokens(alice.user_id);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(TokenNames(*list), (std::vector<std::string>{"new", "mid", "old"}));
  ASSERT_EQ(list->size(), 3u);
  EXPECT_TRUE(SameToken((*list)[0], fresh));
  EXPECT_TRUE((*list)[1].revoked);
  EXPECT_FALSE((*list)[2].revoked);

  // Ties on created_at come in one order on every backend: token_id, descending.
  ApiToken t1 = SampleToken(bob.user_id, "tie-a", 5000);
  ApiToken t2 = SampleToken(bob.user_id, "tie-b", 5000);
  t1.token_id = "00000000-0000-4000-8000-00000000000a";
  t2.token_id = "00000000-0000-4000-8000-00000000000b";
  ASSERT_TRUE(store().CreateToken(t1));
  ASSERT_TRUE(store().CreateToken(t2));
  list = store().ListTokens(bob.user_id);
  ASSERT_TRUE(list);
  EXPECT_EQ(TokenNames(*list), (std::vector<std::string>{"tie-b", "tie-a", "bob's"}));
}

TEST_P(IdentityContract, RevokeTokenIsIdempotentAndOnlyForItsOwner) {
  const User alice = MustCreateUser("alice");
  const User bob = MustCreateUser("bob");
  const ApiToken t = SampleToken(alice.user_id, "t", 1);

  ASSERT_TRUE(store().CreateToken(t));
  auto foreign = store().RevokeToken(bob.user_id, t.token_id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto found = store().FindToken(t.hash);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->token.revoked);

  ASSERT_TRUE(store().RevokeToken(alice.user_id, t.token_id));
  auto again = store().RevokeToken(alice.user_id, t.token_id);
  EXPECT_TRUE(again) << again.error().message;
  found = store().FindToken(t.hash);
  ASSERT_TRUE(found) << "revoked tokens are still found";
  EXPECT_TRUE(found->token.revoked);

  auto unknown = store().RevokeToken(alice.user_id, NewUuid());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(IdentityContract, TouchTokenOnlyMovesLastUsedForward) {
  const User alice = MustCreateUser("alice");
  const ApiToken t = SampleToken(alice.user_id, "t", 1);
  ASSERT_TRUE(store().CreateToken(t));
  ASSERT_TRUE(store().TouchToken(t.hash, 5000));
  ASSERT_TRUE(store().TouchToken(t.hash, 4000));
  auto found = store().FindToken(t.hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->token.last_used_at, 5000);
  ApiToken want = t;
  want.last_used_at = 5000;
  EXPECT_TRUE(SameToken(found->token, want));

  auto unknown = store().TouchToken(HashSecret("nope"), 1);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

// --- concurrency and health

TEST_P(IdentityContract, ManyThreadsSignInAndLookUpAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<User> users;
  for (int i = 0; i < 4; ++i) users.push_back(MustCreateUser("user" + std::to_string(i)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const User& u = users[static_cast<size_t>(t) % users.size()];
      for (int i = 0; i < kPerThread; ++i) {
        const std::string secret = "s-" + std::to_string(t) + "-" + std::to_string(i);
        Session s = SampleSession(u.user_id, secret);
        if (!store().CreateSession(s)) ++failures;
        auto found = store().FindSession(s.id_hash);
        if (!found || found->user.user_id != u.user_id) ++failures;
        if (!store().TouchSession(s.id_hash, s.last_seen_at + i)) ++failures;
        if (!store().CountUsers()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  int64_t total = 0;
  for (const User& u : users) {
    auto ended = store().DeleteUserSessions(u.user_id, "");
    ASSERT_TRUE(ended) << ended.error().message;
    total += *ended;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
}

TEST_P(IdentityContract, PingAnswers) {
  auto r = store().Ping();
  EXPECT_TRUE(r) << r.error().message;
}

}  // namespace kinora::identity
