#include "kinora/http/host_policy.h"

#include <gtest/gtest.h>

namespace kinora::http {
namespace {

HostPolicy Make(std::vector<std::string> allowed, std::string_view public_url = "",
                bool loopback = true) {
  auto p = HostPolicy::Make(allowed, public_url, loopback);
  EXPECT_TRUE(p) << p.error().message;
  return p ? *p : HostPolicy();
}

}  // namespace

TEST(HostPolicy, LoopbackListenerWithoutSettingsAnswersOnlyLoopbackNamesAndAddresses) {
  HostPolicy p = Make({});
  EXPECT_FALSE(p.any());
  EXPECT_FALSE(p.open_by_default());
  for (const char* ok : {"localhost", "localhost:8080", "LOCALHOST:1", "app.localhost:3000",
                         "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080", "localhost."}) {
    EXPECT_TRUE(p.Allows(ok)) << ok;
  }
  for (const char* bad : {"evil.example", "evil.example:8080", "localhost.evil.example",
                          "127.0.0.1.nip.io", "evil.example:", "::1", "[::1", "a b", "x:y"}) {
    EXPECT_FALSE(p.Allows(bad)) << bad;
  }
  EXPECT_TRUE(p.Allows(""));  // HTTP/1.0 without Host: no browser sends that
}

TEST(HostPolicy, PublicUrlAndAllowedHosts) {
  HostPolicy p = Make({"media.example.org:8443", "*.cdn.example.net"}, "https://Video.Example.org/",
                      /*loopback=*/false);
  EXPECT_FALSE(p.open_by_default());
  EXPECT_TRUE(p.Allows("video.example.org"));
  EXPECT_TRUE(p.Allows("VIDEO.example.org:443"));
  EXPECT_TRUE(p.Allows("video.example.org."));
  EXPECT_TRUE(p.Allows("media.example.org:8443"));
  EXPECT_FALSE(p.Allows("media.example.org"));  // the entry names its port
  EXPECT_FALSE(p.Allows("media.example.org:8080"));
  EXPECT_TRUE(p.Allows("a.cdn.example.net"));
  EXPECT_TRUE(p.Allows("a.b.cdn.example.net:99"));
  EXPECT_FALSE(p.Allows("cdn.example.net"));
  EXPECT_FALSE(p.Allows("evilcdn.example.net"));
  EXPECT_FALSE(p.Allows("evil.example"));
  EXPECT_FALSE(p.Allows("video.example.org.evil.example"));
  // IP literals and localhost: a rebinding attack cannot put them in a browser's Host.
  EXPECT_TRUE(p.Allows("10.1.2.3:8080"));
  EXPECT_TRUE(p.Allows("[fd00::1]:8080"));
  EXPECT_TRUE(p.Allows("localhost:8080"));
}

TEST(HostPolicy, StarAnswersEveryHostAndAnOpenListenerDoesByDefault) {
  EXPECT_TRUE(Make({"*"}).Allows("anything.example"));
  HostPolicy open = Make({}, "", /*loopback=*/false);
  EXPECT_TRUE(open.any());
  EXPECT_TRUE(open.open_by_default());
  EXPECT_TRUE(open.Allows("evil.example"));
  EXPECT_TRUE(HostPolicy().Allows("evil.example"));
}

TEST(HostPolicy, RefusesBadEntries) {
  for (const char* bad : {"exa mple.org", "example.org:http", "*.10.0.0.1", "[::1", "a/b"}) {
    EXPECT_FALSE(HostPolicy::Make({bad}, "", true)) << bad;
  }
  EXPECT_TRUE(HostPolicy::Make({"[::1]:8080", "10.0.0.1", "example.org"}, "", true));
}

TEST(HostPolicy, LoopbackListenAddresses) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  }
  for (const char* h : {"0.0.0.0", "::", "10.0.0.1", "example.org"}) {
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
  }
}

}  // namespace kinora::http
