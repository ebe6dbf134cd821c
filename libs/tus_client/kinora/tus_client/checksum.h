// The Upload-Checksum header value of the tus checksum extension for one PATCH body.
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace kinora::tus {

// "sha1 <base64 of the SHA-1 digest of body>".
std::string UploadChecksum(std::string_view body);

}  // namespace kinora::tus
