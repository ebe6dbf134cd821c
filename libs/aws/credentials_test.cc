#include "kinora/aws/credentials.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "kinora/core/time.h"

namespace kinora::aws {
namespace {

using Clock = std::chrono::system_clock;

// A one-request HTTP peer on loopback standing in for STS or the Pod Identity agent: it
// records the request it got and answers `reply` with status 200.
class OneShotServer {
 public:
  explicit OneShotServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 1);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string request() {
    thread_.join();
    thread_ = std::thread([] {});
    return request_;
  }

 private:
  void Serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<size_t>(n));
      auto end = request_.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      size_t want = 0;
      if (auto cl = request_.find("Content-Length: "); cl != std::string::npos)
        want = std::stoul(request_.substr(cl + 16));
      if (request_.size() >= end + 4 + want) break;
    }
    std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(reply_.size()) +
                       "\r\nConnection: close\r\n\r\n" + reply_;
    (void)!::write(c, resp.data(), resp.size());
    ::close(c);
  }

  std::string reply_;
  std::string request_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

// Sets environment variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv() {
    for (const char* n : kNames) {
      const char* v = std::getenv(n);
      saved_.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
      ::unsetenv(n);
    }
  }
  ~ScopedEnv() {
    for (auto& [n, v] : saved_) v ? (void)::setenv(n, v->c_str(), 1) : (void)::unsetenv(n);
  }
  void Set(const char* n, const std::string& v) { ::setenv(n, v.c_str(), 1); }

 private:
  static constexpr const char* kNames[] = {"AWS_ACCESS_KEY_ID",
                                           "AWS_SECRET_ACCESS_KEY",
                                           "AWS_SESSION_TOKEN",
                                           "AWS_ROLE_ARN",
                                           "AWS_WEB_IDENTITY_TOKEN_FILE",
                                           "AWS_ROLE_SESSION_NAME",
                                           "AWS_ENDPOINT_URL_STS",
                                           "AWS_ENDPOINT_URL",
                                           "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                           "AWS_CONTAINER_AUTHORIZATION_TOKEN"};
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

std::string InOneHour() { return FormatIso8601(Clock::now() + std::chrono::hours(1)); }

std::string StsAnswer(const std::string& expiration) {
  return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleWithWebIdentityResult><Credentials>"
         "<AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
         "<SecretAccessKey>wJalr/K7MDENG+bPxRfiCY</SecretAccessKey>"
         "<SessionToken>FwoGZX&amp;Io=</SessionToken>"
         "<Expiration>" +
         expiration +
         "</Expiration>"
         "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
}

std::filesystem::path TokenFile(const std::string& token) {
  auto p = std::filesystem::temp_directory_path() /
           ("kinora-token-" + std::to_string(::getpid()) + "-" + token);
  std::ofstream(p) << token << "\n";
  return p;
}

TEST(Credentials, ParsesStsAnswerAndDecodesEntities) {
  auto e = ParseAssumeRoleWithWebIdentity(StsAnswer("2026-11-24T15:21:39Z"));
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->credentials.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(e->credentials.secret_access_key, "wJalr/K7MDENG+bPxRfiCY");
  EXPECT_EQ(e->credentials.session_token, "FwoGZX&Io=");
  EXPECT_EQ(FormatIso8601(e->expiration), "2026-11-24T15:21:39Z");
  EXPECT_FALSE(ParseAssumeRoleWithWebIdentity("<Error><Message>no</Message></Error>"));
}

TEST(Credentials, ParsesContainerAnswerWithFractionalExpiration) {
  auto e = ParseContainerCredentials(
      R"({"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t","Expiration":"2026-11-24T15:21:39.123Z"})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->credentials.session_token, "t");
  EXPECT_EQ(FormatIso8601(e->expiration), "2026-11-24T15:21:39Z");
  EXPECT_FALSE(ParseContainerCredentials(R"({"Token":"t"})"));
  EXPECT_FALSE(ParseContainerCredentials("not json"));
}

TEST(Credentials, RefreshesBeforeExpiryAndKeepsOldKeysWhenRefreshFails) {
  int calls = 0;
  bool fail = false;
  auto expiry = Clock::now() + std::chrono::hours(1);
  // Numbered keys that expire at `expiry`, or a failure while `fail` is set.
  const CredentialsProvider::Fetch fetch = [&]() -> Result<ExpiringCredentials> {
    ++calls;
    if (fail) return MakeError(ErrorCode::kUnavailable, "STS is down");
    return ExpiringCredentials{{"AK" + std::to_string(calls), "secret", "token"}, expiry};
  };
  auto p = CredentialsProvider::Refreshing("test", fetch);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)->Current().access_key_id, "AK1");
  EXPECT_EQ((*p)->Current().access_key_id, "AK1");
  EXPECT_EQ(calls, 1) << "an hour from expiry: no refresh";

  // Three minutes left: the next use refreshes.
  expiry = Clock::now() + std::chrono::minutes(3);
  auto p2 = CredentialsProvider::Refreshing("test", fetch);
  ASSERT_TRUE(p2);
  EXPECT_EQ(calls, 2);
  // Halfway through a three-minute life is 90 s away: still current.
  EXPECT_EQ((*p2)->Current().access_key_id, "AK2");
  EXPECT_EQ(calls, 2);

  // A provider whose keys are already inside the refresh window refreshes on use; when the
  // refresh fails, the old keys are kept.
  expiry = Clock::now() - std::chrono::seconds(1);
  auto p3 = CredentialsProvider::Refreshing("test", fetch);
  ASSERT_TRUE(p3);
  EXPECT_EQ(calls, 3);
  expiry = Clock::now() + std::chrono::hours(1);
  EXPECT_EQ((*p3)->Current().access_key_id, "AK4") << "expired keys are fetched again";
  EXPECT_EQ((*p3)->Current().access_key_id, "AK4");
  EXPECT_EQ(calls, 4);

  // A refresh that fails keeps the keys there are (they work until they expire).
  expiry = Clock::now();
  auto p4 = CredentialsProvider::Refreshing("test", fetch);
  ASSERT_TRUE(p4);
  fail = true;
  EXPECT_EQ((*p4)->Current().access_key_id, "AK5");
  EXPECT_EQ(calls, 6) << "the refresh was tried";

  auto failing = CredentialsProvider::Refreshing("test", [&]() -> Result<ExpiringCredentials> {
    return MakeError(ErrorCode::kUnavailable, "STS is down");
  });
  ASSERT_FALSE(failing);
  EXPECT_NE(failing.error().message.find("STS is down"), std::string::npos);
  EXPECT_NE(failing.error().message.find("test"), std::string::npos);
}

TEST(Credentials, EnvironmentKeysComeFirst) {
  ScopedEnv env;
  env.Set("AWS_ACCESS_KEY_ID", "AKID");
  env.Set("AWS_SECRET_ACCESS_KEY", "SECRET");
  env.Set("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/kinora-prod-uploader");
  env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent");
  EXPECT_TRUE(CredentialsInEnvironment());
  auto p = CredentialsFromEnvironment("us-east-1");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->Current().access_key_id, "AKID");
}

TEST(Credentials, NoneConfiguredSaysEveryWay) {
  ScopedEnv env;
  EXPECT_FALSE(CredentialsInEnvironment());
  auto p = CredentialsFromEnvironment("us-east-1");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("AWS_WEB_IDENTITY_TOKEN_FILE"), std::string::npos);
  env.Set("AWS_ACCESS_KEY_ID", "only-the-id");
  EXPECT_FALSE(CredentialsFromEnvironment("us-east-1"));
}

TEST(Credentials, WebIdentityAsksStsWithTheTokenFile) {
  ScopedEnv env;
  OneShotServer sts(StsAnswer(InOneHour()));
  auto token = TokenFile("eyJhbGciOiJSUzI1NiJ9.payload.sig");
  env.Set("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/kinora-prod-uploader");
  env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token.string());
  env.Set("AWS_ROLE_SESSION_NAME", "uploader-0");
  env.Set("AWS_ENDPOINT_URL_STS", sts.url());
  auto p = CredentialsFromEnvironment("us-east-1");
  ASSERT_TRUE(p) << p.error().message;
  const Credentials c = (*p)->Current();
  EXPECT_EQ(c.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(c.session_token, "FwoGZX&Io=");
  const std::string req = sts.request();
  EXPECT_EQ(req.rfind("POST / HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("Action=AssumeRoleWithWebIdentity"), std::string::npos) << req;
  EXPECT_NE(req.find("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fkinora-prod-uploader"),
            std::string::npos)
      << req;
  EXPECT_NE(req.find("RoleSessionName=uploader-0"), std::string::npos) << req;
  EXPECT_NE(req.find("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.payload.sig"), std::string::npos)
      << req;
  EXPECT_EQ(req.find("Authorization:"), std::string::npos) << "the STS call is not signed";
  std::filesystem::remove(token);
}

TEST(Credentials, PodIdentitySendsTheAuthorizationToken) {
  ScopedEnv env;
  OneShotServer agent(
      R"({"AccessKeyId":"ASIAPOD","SecretAccessKey":"s","Token":"t","Expiration":")" + InOneHour() +
      R"("})");
  auto token = TokenFile("pod-identity-token");
  env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.url() + "/v1/credentials");
  env.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.string());
  auto p = CredentialsFromEnvironment("us-east-1");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->Current().access_key_id, "ASIAPOD");
  const std::string req = agent.request();
  EXPECT_EQ(req.rfind("GET /v1/credentials HTTP/1.1\r\n", 0), 0u) << req;
  EXPECT_NE(req.find("Authorization: pod-identity-token\r\n"), std::string::npos) << req;
  std::filesystem::remove(token);
}

}  // namespace
}  // namespace kinora::aws
