#include "kinora/identity/secrets.h"

#include <gtest/gtest.h>

#include <set>

#include "kinora/identity/password.h"

namespace kinora::identity {
namespace {

TEST(Secrets, SessionSecretsAre256RandomBits) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = NewSessionSecret();
    EXPECT_EQ(s.size(), 43u) << s;
    EXPECT_EQ(
        s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Secrets, ApiTokensHaveTheirPrefixAndShape) {
  std::string t = NewApiToken();
  EXPECT_TRUE(t.starts_with("kin_")) << t;
  EXPECT_TRUE(LooksLikeApiToken(t));
  for (const char* bad : {"", "kin_", "kin_short", "Bearer kin_x", "sk_abc"}) {
    EXPECT_FALSE(LooksLikeApiToken(bad)) << bad;
  }
  EXPECT_FALSE(LooksLikeApiToken("kin_" + std::string(42, 'a') + "!"));
  const std::string hint = TokenHint(t);
  EXPECT_EQ(hint, t.substr(0, 8) + "…" + t.substr(t.size() - 4));
}

TEST(Secrets, GeneratedPasswordsAre20Base64UrlCharactersThePolicyTakes) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string p = GeneratePassword();
    EXPECT_EQ(p.size(), 20u) << p;
    EXPECT_EQ(
        p.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(CheckNewPassword(p));
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Secrets, OnlyTheDigestIsKept) {
  // SHA-256("abc"), FIPS 180-2.
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string t = NewApiToken();
  EXPECT_EQ(HashSecret(t), HashSecret(t));
  EXPECT_NE(HashSecret(t), HashSecret(NewApiToken()));
  EXPECT_EQ(HashSecret(t).find(t.substr(4)), std::string::npos);
}

}  // namespace
}  // namespace kinora::identity
