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

}  // namespace kinora::tus
