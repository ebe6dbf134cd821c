// Who the client is (libs/http/client_address.cc): KINORA_TRUSTED_PROXIES, then a peer address
// and the X-Forwarded-For and X-Forwarded-Proto headers any client can write. The answer is the
// peer itself unless the peer is trusted.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>

#include "fuzz_check.h"
#include "kinora/http/client_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kinora::http::TrustedProxies;
  FuzzedDataProvider in(data, size);
  const std::string list = in.ConsumeRandomLengthString(200);
  const std::string peer = in.ConsumeRandomLengthString(60);
  const std::string proto = in.ConsumeRandomLengthString(40);
  const std::string xff = in.ConsumeRemainingBytesAsString();
  auto parsed = TrustedProxies::Parse(list);
  const TrustedProxies trusted = parsed ? *parsed : TrustedProxies();
  const std::string client = kinora::http::ClientAddress(peer, xff, trusted);
  if (!trusted.Trusts(peer)) {
    // Untrusted peers are themselves, canonicalised: the headers must not matter.
    KINORA_FUZZ_CHECK(client == kinora::http::ClientAddress(peer, "", trusted));
    KINORA_FUZZ_CHECK(!kinora::http::ForwardedHttps(peer, proto, trusted));
  } else {
    (void)kinora::http::ForwardedHttps(peer, proto, trusted);
  }
  return 0;
}
