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

TEST(UrlSigner, ExpiredUrlFails) {
  UrlSigner s("secret");
  int64_t past = UnixSeconds(std::chrono::system_clock::now()) - 1;
  std::string url = s.SignUntil("k", past);
  auto r = s.Verify("k", std::to_string(past), url.substr(url.find("signature=") + 10));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the URL has expired");
}

}  // namespace kinora::http
