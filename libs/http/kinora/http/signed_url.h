// Signed, expiring, revocable media URLs: /media/{key}?expires=UNIX&signature=HEX where the
// signature is HMAC-SHA256(secret, key + "\n" + expires [+ "\ng" + generation]). The generation
// is not in the URL: the verifier supplies the current one (a video's media_generation), so
// bumping it revokes every URL signed before. Altering the key, the expiry or the signature
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

  // A relative URL valid until now + ttl, and while the generation stays `generation`.
  std::string Sign(std::string_view key, std::chrono::seconds ttl, int64_t generation = 0) const;
  std::string SignUntil(std::string_view key, int64_t expires_unix, int64_t generation = 0) const;
  // kPermissionDenied (with the reason) unless the signature matches for `generation` and
  // expires is in the future.
  Result<void> Verify(std::string_view key, std::string_view expires, std::string_view signature,
                      int64_t generation = 0) const;
  // A MAC of `data` under the signing key (64 hex digits), never a valid URL signature: for entity
  // tags of documents that carry signed URLs, which a new key must change.
  std::string Tag(std::string_view data) const;

 private:
  std::string Mac(std::string_view key, std::string_view expires, int64_t generation) const;
  struct Keyed;  // digest states after absorbing key^ipad and key^opad
  std::unique_ptr<Keyed> keyed_;
  std::string prefix_;
};

}  // namespace kinora::http
