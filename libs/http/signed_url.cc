#include "kinora/http/signed_url.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

#include "kinora/core/time.h"

namespace kinora::http {

UrlSigner::UrlSigner(std::string secret, std::string prefix)
    : secret_(std::move(secret)), prefix_(std::move(prefix)) {}

std::string UrlSigner::Mac(std::string_view key, std::string_view expires) const {
  std::string msg(key);
  msg.push_back('\n');
  msg.append(expires);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

std::string UrlSigner::SignUntil(std::string_view key, int64_t expires_unix) const {
  std::string exp = std::to_string(expires_unix);
  return prefix_ + std::string(key) + "?expires=" + exp + "&signature=" + Mac(key, exp);
}

std::string UrlSigner::Sign(std::string_view key, std::chrono::seconds ttl) const {
  return SignUntil(key, UnixSeconds(std::chrono::system_clock::now() + ttl));
}

Result<void> UrlSigner::Verify(std::string_view key, std::string_view expires,
                               std::string_view signature) const {
  if (expires.empty() || signature.empty()) {
    return MakeError(ErrorCode::kPermissionDenied, "media URLs must carry expires and signature");
  }
  std::string want = Mac(key, expires);
  if (signature.size() != want.size() ||
      CRYPTO_memcmp(signature.data(), want.data(), want.size()) != 0) {
    return MakeError(ErrorCode::kPermissionDenied, "the URL signature is not valid");
  }
  int64_t exp = 0;
  auto [p, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), exp);
  if (ec != std::errc() || p != expires.data() + expires.size()) {
    return MakeError(ErrorCode::kPermissionDenied, "the URL expiry is malformed");
  }
  if (exp <= UnixSeconds(std::chrono::system_clock::now())) {
    return MakeError(ErrorCode::kPermissionDenied, "the URL has expired");
  }
  return {};
}

}  // namespace kinora::http
