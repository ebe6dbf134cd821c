// Signed, expiring media URLs: /media/{key}?expires=UNIX&signature=HEX where the signature is
// HMAC-SHA256(secret, key + "\n" + expires). Altering the key, the expiry or the signature
// invalidates it; comparisons are constant-time.
// Thread safety: immutable after construction; safe to share. HMAC key schedules are computed
// once (OpenSSL 3's one-shot HMAC() re-fetches the algorithm on every call, which dominated a
// 50-video listing that signs 200 URLs).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::http {

class UrlSigner {
 public:
  UrlSigner(std::string secret, std::string prefix = "/media/");
  ~UrlSigner();
  UrlSigner(const UrlSigner&) = delete;
  UrlSigner& operator=(const UrlSigner&) = delete;

  // A relative URL valid until now + ttl.
  std::string Sign(std::string_view key, std::chrono::seconds ttl) const;
  std::string SignUntil(std::string_view key, int64_t expires_unix) const;
  // kPermissionDenied (with the reason) unless signature matches and expires is in the future.
  Result<void> Verify(std::string_view key, std::string_view expires,
                      std::string_view signature) const;

 private:
  std::string Mac(std::string_view key, std::string_view expires) const;
  struct Keyed;  // digest states after absorbing key^ipad and key^opad
  std::unique_ptr<Keyed> keyed_;
  std::string prefix_;
};

}  // namespace kinora::http
