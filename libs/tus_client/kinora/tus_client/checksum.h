// The Upload-Checksum header value of the tus checksum extension for one PATCH body.
// Thread safety: UploadChecksum is a pure function; a ChecksumHasher is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace kinora::tus {

// "sha1 <base64 of the SHA-1 digest of body>".
std::string UploadChecksum(std::string_view body);

// The same value for a body fed in pieces (a chunk read from a file a piece at a time).
class ChecksumHasher {
 public:
  ChecksumHasher();
  ~ChecksumHasher();
  ChecksumHasher(const ChecksumHasher&) = delete;
  ChecksumHasher& operator=(const ChecksumHasher&) = delete;
  void Update(std::string_view piece);
  // "sha1 <base64>" of everything fed; the hasher is then spent.
  std::string Final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinora::tus
