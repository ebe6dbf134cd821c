#include "kinora/http/signed_url.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <stdexcept>

#include "kinora/core/time.h"

namespace kinora::http {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
constexpr size_t kBlock = 64;  // SHA-256 block size

MdCtx NewCtx() {
  MdCtx c(EVP_MD_CTX_new());
  if (!c) throw std::bad_alloc();
  return c;
}

}  // namespace

// HMAC-SHA256 (RFC 2104) with the key-dependent first block of each hash precomputed.
struct UrlSigner::Keyed {
  MdCtx inner = NewCtx(), outer = NewCtx();
};

UrlSigner::UrlSigner(std::string secret, std::string prefix)
    : keyed_(std::make_unique<Keyed>()), prefix_(std::move(prefix)) {
  std::array<unsigned char, kBlock> k{};
  if (secret.size() > kBlock) {
    unsigned int n = 0;
    EVP_Digest(secret.data(), secret.size(), k.data(), &n, EVP_sha256(), nullptr);
  } else {
    std::copy(secret.begin(), secret.end(), k.begin());
  }
  std::array<unsigned char, kBlock> ipad, opad;
  for (size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
    opad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
  }
  if (EVP_DigestInit_ex(keyed_->inner.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(keyed_->inner.get(), ipad.data(), kBlock) != 1 ||
      EVP_DigestInit_ex(keyed_->outer.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(keyed_->outer.get(), opad.data(), kBlock) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 is unavailable");
  }
  OPENSSL_cleanse(k.data(), k.size());
  OPENSSL_cleanse(ipad.data(), ipad.size());
  OPENSSL_cleanse(opad.data(), opad.size());
}

UrlSigner::~UrlSigner() = default;

std::string UrlSigner::Mac(std::string_view key, std::string_view expires,
                           int64_t generation) const {
  unsigned char inner_hash[EVP_MAX_MD_SIZE], out[EVP_MAX_MD_SIZE];
  unsigned int inner_len = 0, len = 0;
  MdCtx c = NewCtx();
  EVP_MD_CTX_copy_ex(c.get(), keyed_->inner.get());
  EVP_DigestUpdate(c.get(), key.data(), key.size());
  EVP_DigestUpdate(c.get(), "\n", 1);
  EVP_DigestUpdate(c.get(), expires.data(), expires.size());
  if (generation != 0) {  // generation 0 keeps the original form, so older URLs stay valid
    const std::string g = "\ng" + std::to_string(generation);
    EVP_DigestUpdate(c.get(), g.data(), g.size());
  }
  EVP_DigestFinal_ex(c.get(), inner_hash, &inner_len);
  EVP_MD_CTX_copy_ex(c.get(), keyed_->outer.get());
  EVP_DigestUpdate(c.get(), inner_hash, inner_len);
  EVP_DigestFinal_ex(c.get(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

std::string UrlSigner::Tag(std::string_view data) const {
  return Mac(data, "tag", 0);  // a URL's expires is a number, so no URL has this MAC
}

std::string UrlSigner::SignUntil(std::string_view key, int64_t expires_unix,
                                 int64_t generation) const {
  std::string exp = std::to_string(expires_unix);
  return prefix_ + std::string(key) + "?expires=" + exp + "&signature=" + Mac(key, exp, generation);
}

std::string UrlSigner::Sign(std::string_view key, std::chrono::seconds ttl,
                            int64_t generation) const {
  return SignUntil(key, UnixSeconds(std::chrono::system_clock::now() + ttl), generation);
}

Result<void> UrlSigner::Verify(std::string_view key, std::string_view expires,
                               std::string_view signature, int64_t generation) const {
  if (expires.empty() || signature.empty()) {
    return MakeError(ErrorCode::kPermissionDenied, "media URLs must carry expires and signature");
  }
  std::string want = Mac(key, expires, generation);
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
