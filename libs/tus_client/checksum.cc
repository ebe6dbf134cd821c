#include "kinora/tus_client/checksum.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "kinora/tus_client/protocol.h"

namespace kinora::tus {

std::string UploadChecksum(std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(body.data(), body.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(sha1) failed");  // only on allocation failure
  }
  return "sha1 " + Base64(std::string_view(reinterpret_cast<const char*>(digest), size));
}

struct ChecksumHasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

ChecksumHasher::ChecksumHasher() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex(sha1) failed");  // only on allocation failure
  }
}

ChecksumHasher::~ChecksumHasher() = default;

void ChecksumHasher::Update(std::string_view piece) {
  EVP_DigestUpdate(impl_->ctx, piece.data(), piece.size());
}

std::string ChecksumHasher::Final() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(impl_->ctx, digest, &size);
  return "sha1 " + Base64(std::string_view(reinterpret_cast<const char*>(digest), size));
}

}  // namespace kinora::tus
