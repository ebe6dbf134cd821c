// Playlist rewriting (services/gateway/playlist_signing.cc): a stored playlist's text and key.
// Every key it signs must be a relative key inside the store (no "..", "." or empty segment),
// and the output keeps one line per input line.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <string>

#include "fuzz_check.h"
#include "kinora/gateway/playlist_signing.h"
#include "kinora/storage/object_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kinora::http::UrlSigner signer("fuzz-secret-0123456789abcdef");
  FuzzedDataProvider in(data, size);
  const std::string key = in.ConsumeRandomLengthString(120);
  const bool direct = in.ConsumeBool();
  const std::string text = in.ConsumeRemainingBytesAsString();
  // The gateway serves only playlists whose key is valid (no control characters, no "..").
  if (!kinora::storage::ValidateKey(key)) return 0;
  auto check_key = [](const std::string& k) {
    KINORA_FUZZ_CHECK(!k.empty() && k.front() != '/');
    size_t start = 0;
    while (start <= k.size()) {
      size_t end = std::min(k.find('/', start), k.size());
      const std::string_view seg = std::string_view(k).substr(start, end - start);
      KINORA_FUZZ_CHECK(!seg.empty() && seg != "." && seg != "..");
      start = end + 1;
    }
  };
  const std::string out = kinora::gateway::SignPlaylist(
      text, key, signer, 4102444800,
      [&](const std::string& k) {
        check_key(k);
        return direct ? "https://bucket.example/" + k : std::string();
      },
      2);
  const auto lines = [](std::string_view s) {
    size_t n = static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
    return n + (!s.empty() && s.back() != '\n' ? 1 : 0);
  };
  KINORA_FUZZ_CHECK(lines(out) == lines(text));
  return 0;
}
