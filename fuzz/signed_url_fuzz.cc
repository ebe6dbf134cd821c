// Signed media URLs (libs/http/signed_url.cc) as the gateway checks them: a request-target
// "/media/{key}?expires=…&signature=…" decoded like the session decodes it, the video of the key
// (libs/videos keys), then Verify. A URL the signer made must verify (for its generation only);
// a fuzzed one must never crash the check.
#include <fuzzer/FuzzedDataProvider.h>

#include <boost/url/parse.hpp>
#include <chrono>
#include <string>

#include "fuzz_check.h"
#include "kinora/http/signed_url.h"
#include "kinora/storage/object_store.h"
#include "kinora/videos/keys.h"

namespace {

struct Query {
  std::string path, expires, signature;
};

bool Decode(std::string_view target, Query* q) {
  auto u = boost::urls::parse_origin_form(target);
  if (!u) return false;
  q->path = u->path();
  for (auto p : u->params()) {
    if (p.key == "expires" && q->expires.empty()) q->expires = p.value;
    if (p.key == "signature" && q->signature.empty()) q->signature = p.value;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kinora::http::UrlSigner signer("fuzz-secret-0123456789abcdef");
  FuzzedDataProvider in(data, size);
  const int64_t generation = in.ConsumeIntegralInRange<int64_t>(0, 3);
  const bool roundtrip = in.ConsumeBool();
  const std::string text = in.ConsumeRemainingBytesAsString();

  if (roundtrip) {
    // The fuzzed text as a media key: a valid one, signed, must verify after decoding.
    if (!kinora::storage::ValidateKey(text)) return 0;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const int64_t expires = std::chrono::duration_cast<std::chrono::seconds>(now).count() + 3600;
    Query q;
    KINORA_FUZZ_CHECK(Decode(signer.SignUntil(text, expires, generation), &q));
    KINORA_FUZZ_CHECK(q.path == "/media/" + text);
    KINORA_FUZZ_CHECK(signer.Verify(text, q.expires, q.signature, generation).has_value());
    KINORA_FUZZ_CHECK(!signer.Verify(text, q.expires, q.signature, generation + 1).has_value());
    return 0;
  }
  Query q;
  if (!Decode(text, &q) || !q.path.starts_with("/media/")) return 0;
  const std::string key = q.path.substr(7);
  (void)kinora::videos::VideoIdOfMediaKey(key);
  (void)kinora::storage::ValidateKey(key);
  // A fuzzer cannot forge an HMAC: anything it finds that verifies is a bug.
  KINORA_FUZZ_CHECK(!signer.Verify(key, q.expires, q.signature, generation).has_value());
  return 0;
}
