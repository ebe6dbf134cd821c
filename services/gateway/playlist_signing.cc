#include "kinora/gateway/playlist_signing.h"

#include <optional>
#include <vector>

namespace kinora::gateway {

std::optional<std::string> ResolveRelativeKey(std::string_view base_key, std::string_view uri) {
  if (uri.empty() || uri.front() == '/' || uri.find("://") != std::string_view::npos ||
      uri.find('?') != std::string_view::npos || uri.find('#') != std::string_view::npos) {
    return std::nullopt;
  }
  std::vector<std::string> parts;
  auto push = [&](std::string_view path) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      std::string_view seg = path.substr(start, end - start);
      if (seg == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.emplace_back(seg);
      }
      start = end + 1;
    }
    return true;
  };
  size_t slash = base_key.rfind('/');
  if (slash != std::string_view::npos && !push(base_key.substr(0, slash))) return std::nullopt;
  if (!push(uri) || parts.empty()) return std::nullopt;
  std::string key;
  for (const std::string& p : parts) key += (key.empty() ? "" : "/") + p;
  return key;
}

std::string SignPlaylist(std::string_view text, std::string_view playlist_key,
                         const http::UrlSigner& signer, int64_t expires_unix,
                         const std::function<std::string(const std::string& key)>& direct,
                         int64_t generation) {
  auto sign = [&](std::string_view uri) -> std::string {
    auto key = ResolveRelativeKey(playlist_key, uri);
    if (!key) return std::string(uri);
    if (direct && !key->ends_with(".m3u8")) {
      if (std::string url = direct(*key); !url.empty()) return url;
    }
    return signer.SignUntil(*key, expires_unix, generation);
  };
  std::string out;
  out.reserve(text.size() * 2);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      out += '\n';
      continue;
    }
    if (line.front() != '#') {
      out += sign(line);
    } else if (size_t at = line.find("URI=\""); at != std::string_view::npos) {
      size_t start = at + 5, end = line.find('"', start);
      if (end == std::string_view::npos) {
        out += line;
      } else {
        out += line.substr(0, start);
        out += sign(line.substr(start, end - start));
        out += line.substr(end);
      }
    } else {
      out += line;
    }
    out += '\n';
  }
  return out;
}

}  // namespace kinora::gateway
