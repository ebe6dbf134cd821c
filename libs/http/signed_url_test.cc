#include "kinora/http/signed_url.h"

#include <gtest/gtest.h>

#include "kinora/core/time.h"

namespace kinora::http {

TEST(UrlSigner, SignedUrlVerifiesAndTamperingFails) {
  UrlSigner s("secret");
  int64_t exp = UnixSeconds(std::chrono::system_clock::now()) + 60;
  std::string url = s.SignUntil("videos/a.mp4", exp);
  std::string e = std::to_string(exp);
  std::string sig = url.substr(url.find("signature=") + 10);
  EXPECT_TRUE(s.Verify("videos/a.mp4", e, sig));
  EXPECT_FALSE(s.Verify("videos/b.mp4", e, sig));
  EXPECT_FALSE(s.Verify("videos/a.mp4", std::to_string(exp + 1), sig));
  std::string bad = sig;
  bad[0] = bad[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(s.Verify("videos/a.mp4", e, bad));
  EXPECT_FALSE(s.Verify("videos/a.mp4", e, ""));
  EXPECT_FALSE(UrlSigner("other").Verify("videos/a.mp4", e, sig));
}

// Expected values computed independently with Python's hmac module:
//   hmac.new(KEY, b"<key>\n<expires>", hashlib.sha256).hexdigest()
TEST(UrlSigner, MatchesHmacSha256) {
  EXPECT_EQ(UrlSigner("Jefe", "").SignUntil("k", 4102444800),
            "k?expires=4102444800&signature="
            "54866871960c8559d98e3d292eedf0376da34aa8c588ee3f1900ab3831e59b5d");
  // Keys longer than the 64-byte block are hashed first.
  EXPECT_EQ(UrlSigner(std::string(100, 'x')).SignUntil("videos/a.mp4", 4102444800),
            "/media/videos/"
            "a.mp4?expires=4102444800&signature="
            "d10ccfbf1984298afcac13a0be1896f1076a492fd5e8de3c99ef9ca618da17b6");
}

// A generation revokes: the URL verifies only against the generation it was signed for.
//   hmac.new(b"Jefe", b"k\n4102444800\ng7", hashlib.sha256).hexdigest()
TEST(UrlSigner, GenerationIsInTheMacAndRevokesOlderUrls) {
  UrlSigner s("Jefe", "");
  const std::string url = s.SignUntil("k", 4102444800, 7);
  EXPECT_EQ(url,
            "k?expires=4102444800&signature="
            "ec832badccde44e71b59c7b09dcbada9864a27c7ae6a0f554f6ee410eb4f8403");
  const std::string sig = url.substr(url.find("signature=") + 10);
  EXPECT_TRUE(s.Verify("k", "4102444800", sig, 7));
  EXPECT_FALSE(s.Verify("k", "4102444800", sig, 8));
  EXPECT_FALSE(s.Verify("k", "4102444800", sig, 0));
}

TEST(UrlSigner, ExpiredUrlFails) {
  UrlSigner s("secret");
  int64_t past = UnixSeconds(std::chrono::system_clock::now()) - 1;
  std::string url = s.SignUntil("k", past);
  auto r = s.Verify("k", std::to_string(past), url.substr(url.find("signature=") + 10));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the URL has expired");
}

}  // namespace kinora::http
