#include "kinora/audience/viewer.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace kinora::audience {
namespace {

constexpr size_t kKeyBytes = 16;

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> SaltBytes(std::string_view hex) {
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> key{};
  size_t len = 0;
  if (sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size()) {
    throw std::invalid_argument("audience salt is not 64 hex characters");
  }
  return key;
}

std::string Mac(std::string_view salt_hex, std::string_view message) {
  const auto key = SaltBytes(salt_hex);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key.data());
  return Hex(mac.data(), kKeyBytes);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool LooksLikeABot(std::string_view ua) {
  if (Trim(ua).empty()) return true;
  std::string lower(ua);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view token : {"headless", "phantomjs", "slimerjs", "puppeteer", "playwright",
                                 "selenium", "webdriver", "bot", "spider", "crawl"}) {
    if (lower.find(token) != std::string::npos) return true;
  }
  return false;
}

DimensionResolver DefaultDimensionResolver() {
  return [](std::string_view ua, std::string_view) {
    Dimensions d;
    d.bot = LooksLikeABot(ua);
    return d;
  };
}

std::string NewSalt() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::array<unsigned char, crypto_auth_hmacsha256_KEYBYTES> salt{};
  randombytes_buf(salt.data(), salt.size());
  return Hex(salt.data(), salt.size());
}

std::string ViewerKey(std::string_view salt_hex, std::string_view ip, std::string_view ua) {
  std::string msg;
  msg.reserve(ip.size() + ua.size() + 1);
  msg.append(ip).push_back('\0');
  msg.append(ua);
  return Mac(salt_hex, msg);
}

std::string DedupeKey(std::string_view salt_hex, std::string_view ip, std::string_view ua,
                      std::string_view video_id, int64_t hour_start) {
  std::string msg = "dedupe";
  msg.append(ip).push_back('\0');
  msg.append(ua).push_back('\0');
  msg.append(video_id).push_back('\0');
  msg += std::to_string(hour_start);
  return Mac(salt_hex, msg);
}

bool OptedOut(std::string_view dnt, std::string_view gpc) {
  return Trim(dnt) == "1" || Trim(gpc) == "1";
}

}  // namespace kinora::audience
