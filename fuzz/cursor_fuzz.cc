// Listing cursors (libs/catalog/cursor.cc): a token from the query string. Whatever decodes
// must encode back to the same token (one spelling per cursor), and base64url round-trips.
#include <string>

#include "cursor.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  if (auto bytes = kinora::catalog::Base64UrlDecode(token)) {
    KINORA_FUZZ_CHECK(kinora::catalog::Base64UrlEncode(*bytes) == token);
  }
  auto p = kinora::catalog::DecodeCursor(token);
  if (!p) return 0;
  const std::string again = kinora::catalog::EncodeCursor(*p);
  auto q = kinora::catalog::DecodeCursor(again);
  KINORA_FUZZ_CHECK(q.has_value());
  KINORA_FUZZ_CHECK(q->sort == p->sort && q->descending == p->descending);
  KINORA_FUZZ_CHECK(q->value == p->value && q->video_id == p->video_id);
  return 0;
}
