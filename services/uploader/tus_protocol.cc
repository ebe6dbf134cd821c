#include "kinora/uploader/tus_protocol.h"

#include <openssl/evp.h>

#include <array>
#include <ctime>

namespace kinora::uploader::tus {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const EVP_MD* Digest(std::string_view algorithm) {
  if (algorithm == "sha1") return EVP_sha1();
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "md5") return EVP_md5();
  return nullptr;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view s) {
  if (s.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(s.size() / 4 * 3);
  for (size_t i = 0; i < s.size(); i += 4) {
    std::array<int, 4> v{};
    int pad = 0;
    for (size_t j = 0; j < 4; ++j) {
      const char c = s[i + j];
      if (c == '=') {
        // Padding only in the last group, only at its end.
        if (i + 4 != s.size() || j < 2) return std::nullopt;
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const uint32_t n =
        (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

Result<std::map<std::string, std::string>> ParseMetadata(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view pair = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (pair.empty()) return InvalidArgument("Upload-Metadata has an empty entry");
    const size_t space = pair.find(' ');
    std::string_view key = pair.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : Trim(pair.substr(space + 1));
    for (char c : key) {
      if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
        return InvalidArgument("Upload-Metadata has a key that is not printable ASCII");
      }
    }
    if (key.size() > 64) return InvalidArgument("Upload-Metadata has a key longer than 64 bytes");
    auto decoded = DecodeBase64(value);
    if (!decoded) {
      return InvalidArgument("Upload-Metadata: the value of '" + std::string(key) +
                             "' is not valid base64");
    }
    if (!out.emplace(std::string(key), std::move(*decoded)).second) {
      return InvalidArgument("Upload-Metadata names '" + std::string(key) + "' twice");
    }
  }
  return out;
}

std::optional<uint64_t> ParseNumber(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

Result<Checksum> ParseChecksum(std::string_view header) {
  header = Trim(header);
  const size_t space = header.find(' ');
  if (space == std::string_view::npos) {
    return InvalidArgument("Upload-Checksum must be '<algorithm> <base64 digest>'");
  }
  Checksum c{.algorithm = std::string(header.substr(0, space)), .digest = {}};
  const EVP_MD* md = Digest(c.algorithm);
  if (!md) {
    return InvalidArgument("Upload-Checksum: unsupported algorithm; supported: " +
                           std::string(kChecksumAlgorithms));
  }
  auto digest = DecodeBase64(Trim(header.substr(space + 1)));
  if (!digest || digest->size() != static_cast<size_t>(EVP_MD_size(md))) {
    return InvalidArgument("Upload-Checksum: the digest is not a base64 " + c.algorithm +
                           " digest");
  }
  c.digest = std::move(*digest);
  return c;
}

struct Hasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(std::string_view algorithm) : impl_(std::make_unique<Impl>()) {
  EVP_DigestInit_ex(impl_->ctx, Digest(algorithm), nullptr);
}
Hasher::~Hasher() = default;

void Hasher::Update(std::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

std::string Hasher::Final() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx, md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string HttpDate(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace kinora::uploader::tus
