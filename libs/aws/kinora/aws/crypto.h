// The hashes AWS Signature Version 4 needs (SHA-256, HMAC-SHA-256, lowercase hex), on OpenSSL.
// Thread safety: pure functions; Sha256 objects are used by one thread at a time.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace kinora::aws {

using Digest = std::array<unsigned char, 32>;

std::string Hex(std::span<const unsigned char> bytes);
Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
Digest HmacSha256(std::span<const unsigned char> key, std::string_view data);

// Incremental SHA-256, for payloads that arrive in pieces (multipart upload parts).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view data);
  // Ends the hash and starts a new one.
  std::string FinishHex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace kinora::aws
