// The tus 1.0.0 wire as Kinora's server speaks it (docs/uploads.md): header names and values,
// Upload-Metadata parsing, Upload-Checksum parsing and hashing, dates. Pure functions; the
// handlers are in tus_api.h.
// Thread safety: pure functions; a Hasher belongs to one request.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::uploader::tus {

inline constexpr std::string_view kVersion = "1.0.0";
inline constexpr std::string_view kExtensions =
    "creation,creation-with-upload,termination,expiration,checksum";
inline constexpr std::string_view kChecksumAlgorithms = "sha1,sha256,md5";
inline constexpr std::string_view kOffsetContentType = "application/offset+octet-stream";
// Kinora's own: the video a completed upload became.
inline constexpr std::string_view kVideoIdHeader = "Kinora-Video-Id";
// Headers a browser client must be allowed to read (CORS Access-Control-Expose-Headers).
inline constexpr std::string_view kExposedHeaders =
    "Location, Upload-Offset, Upload-Length, Upload-Expires, Tus-Resumable, Tus-Version, "
    "Tus-Extension, Tus-Max-Size, Kinora-Video-Id";

// Upload-Metadata: comma-separated "key base64value" pairs (the value may be absent). Keys are
// ASCII without spaces or commas, unique; values are decoded. kInvalidArgument says what is
// wrong (never quoting the raw value).
Result<std::map<std::string, std::string>> ParseMetadata(std::string_view header);

// A non-negative decimal number without sign or spaces (Upload-Length, Upload-Offset).
std::optional<uint64_t> ParseNumber(std::string_view s);

// Strict base64 (RFC 4648, padding required); nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view s);

// Upload-Checksum: "<algorithm> <base64 digest>". kInvalidArgument for a malformed header or an
// algorithm not in kChecksumAlgorithms.
struct Checksum {
  std::string algorithm;
  std::string digest;  // raw bytes
};
Result<Checksum> ParseChecksum(std::string_view header);

// Incremental digest of one request's body for an algorithm ParseChecksum accepted.
class Hasher {
 public:
  explicit Hasher(std::string_view algorithm);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void Update(std::string_view data);
  std::string Final();  // raw digest

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "Sun, 06 Dec 2026 10:00:00 GMT" (RFC 9110 IMF-fixdate), as Upload-Expires wants.
std::string HttpDate(std::chrono::system_clock::time_point t);

}  // namespace kinora::uploader::tus
