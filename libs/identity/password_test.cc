#include "kinora/identity/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kinora::identity {
namespace {

TEST(Password, HashesWithArgon2idAndOwaspParameters) {
  auto h = HashPassword("correct horse battery staple");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*h, ""));
  EXPECT_FALSE(NeedsRehash(*h));
  // Salted: the same password never hashes to the same string twice.
  EXPECT_NE(*h, *HashPassword("correct horse battery staple"));
}

TEST(Password, OldParametersAndGarbageAskForARehash) {
  // A valid Argon2id hash of "password" made with weaker parameters (m=4096, t=1).
  char weak[128];
  ASSERT_EQ(
      crypto_pwhash_str_alg(weak, "password", 8, 1, 4096 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
  EXPECT_TRUE(VerifyPassword(weak, "password"));
  EXPECT_TRUE(NeedsRehash(weak));
  for (const char* bad : {"", "plaintext", "$argon2id$v=19$m=19456,t=2,p=1$broken"}) {
    EXPECT_FALSE(VerifyPassword(bad, "plaintext")) << bad;
    EXPECT_TRUE(NeedsRehash(bad)) << bad;
  }
  EXPECT_FALSE(VerifyPassword(std::string(1000, 'x'), "x"));
}

TEST(Password, PolicySaysWhatIsWrong) {
  EXPECT_TRUE(CheckNewPassword("ten chars!"));
  auto short_one = CheckNewPassword("short");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(short_one.error().message.find("at least 10"), std::string::npos);
  EXPECT_FALSE(CheckNewPassword(std::string(257, 'a')));
}

TEST(PasswordHasher, RunsAtMostItsLimitAtOnce) {
  // Each verification holds a slot; with a limit of 1 they cannot overlap, so four take
  // about four times one, which is not asserted (timing); what is: all four succeed.
  PasswordHasher hasher(1);
  auto h = hasher.Hash("a long enough password");
  ASSERT_TRUE(h);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] { ok += hasher.Verify(*h, "a long enough password") ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
}

}  // namespace
}  // namespace kinora::identity
