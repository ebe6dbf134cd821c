#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "kinora/aws/sigv4.h"
#include "kinora/core/error.h"

namespace kinora::aws {

// Temporary credentials and when they stop working.
struct ExpiringCredentials {
  Credentials credentials;
  std::chrono::system_clock::time_point expiration;
};

// Where the S3 and SQS clients get the keys they sign with. Temporary credentials are
// fetched again five minutes before they expire; a failed refresh keeps the old ones (they
// still work until they expire) and is retried ten seconds later.
class CredentialsProvider {
 public:
  using Fetch = std::function<Result<ExpiringCredentials>()>;

  // Fixed keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
  static std::shared_ptr<CredentialsProvider> Static(Credentials c);
  // Temporary keys from `fetch`, which is called once now (its failure is returned) and then
  // whenever the keys are about to expire. `source` names it in logs and errors.
  static Result<std::shared_ptr<CredentialsProvider>> Refreshing(std::string source, Fetch fetch);

  Credentials Current();
  const std::string& source() const { return source_; }

 private:
  CredentialsProvider(std::string source, Fetch fetch)
      : source_(std::move(source)), fetch_(std::move(fetch)) {}
  void Store(const ExpiringCredentials& e);

  std::string source_;
  Fetch fetch_;
  std::mutex mu_;
  Credentials current_;
  std::chrono::system_clock::time_point expiration_ = std::chrono::system_clock::time_point::max();
  std::chrono::system_clock::time_point refresh_at_ = std::chrono::system_clock::time_point::max();
  bool refreshing_ = false;
};

// AWS's credential chain as the SDKs read it from the environment, in order:
//  1. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//  2. IRSA: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE → STS AssumeRoleWithWebIdentity
//     (endpoint AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else sts.<region>.amazonaws.com);
//  3. EKS Pod Identity / ECS: AWS_CONTAINER_CREDENTIALS_FULL_URI with the token in
//     AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (or AWS_CONTAINER_AUTHORIZATION_TOKEN).
// The token files are read again at every refresh (the kubelet rotates them).
Result<std::shared_ptr<CredentialsProvider>> CredentialsFromEnvironment(const std::string& region);

// Whether any of those is configured (without fetching anything).
bool CredentialsInEnvironment();
inline const std::string kCredentialsHelp =
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with IRSA (AWS_ROLE_ARN and "
    "AWS_WEB_IDENTITY_TOKEN_FILE) or EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)";

// What a client signs with now: its fixed keys, else its provider's current ones.
template <typename Config>
Credentials CurrentCredentials(const Config& c) {
  if (!c.credentials.access_key_id.empty() || !c.credentials_provider) return c.credentials;
  return c.credentials_provider->Current();
}

// Parsers for the two answers, exposed for tests.
Result<ExpiringCredentials> ParseAssumeRoleWithWebIdentity(std::string_view xml);
Result<ExpiringCredentials> ParseContainerCredentials(std::string_view json);

}  // namespace kinora::aws
