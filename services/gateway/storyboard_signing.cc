#include "kinora/gateway/storyboard_signing.h"

#include "kinora/gateway/playlist_signing.h"

namespace kinora::gateway {

std::string SignStoryboard(std::string_view text, std::string_view vtt_key,
                           const http::UrlSigner& signer, int64_t expires_unix,
                           int64_t generation) {
  auto sign = [&](std::string_view payload) -> std::string {
    const size_t hash = payload.find('#');
    const std::string_view uri = payload.substr(0, hash);
    auto key = ResolveRelativeKey(vtt_key, uri);
    if (!key) return std::string(payload);
    std::string out = signer.SignUntil(*key, expires_unix, generation);
    if (hash != std::string_view::npos) out += payload.substr(hash);
    return out;
  };
  std::string out;
  out.reserve(text.size() * 2);
  bool in_payload = false;  // between a cue's timing line and the blank line that ends it
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      in_payload = false;
    } else if (in_payload) {
      out += sign(line);
      out += '\n';
      continue;
    } else if (line.find("-->") != std::string_view::npos) {
      in_payload = true;
    }
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace kinora::gateway
