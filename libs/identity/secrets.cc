#include "kinora/identity/secrets.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace kinora::identity {
namespace {

std::string RandomBase64Url(size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string NewSessionSecret() { return RandomBase64Url(32); }

std::string NewApiToken() { return std::string(kApiTokenPrefix) + RandomBase64Url(32); }

std::string GeneratePassword() { return RandomBase64Url(15); }

bool LooksLikeApiToken(std::string_view s) {
  if (!s.starts_with(kApiTokenPrefix)) return false;
  s.remove_prefix(kApiTokenPrefix.size());
  return s.size() == 43 && std::all_of(s.begin(), s.end(), IsBase64UrlChar);
}

std::string HashSecret(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string TokenHint(std::string_view token) {
  const size_t head = kApiTokenPrefix.size() + 4;
  if (token.size() <= head + 4) return std::string(token.substr(0, kApiTokenPrefix.size())) + "…";
  return std::string(token.substr(0, head)) + "…" + std::string(token.substr(token.size() - 4));
}

}  // namespace kinora::identity
