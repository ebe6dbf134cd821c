#include "kinora/tus_client/protocol.h"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <charconv>

namespace kinora::tus {

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string EncodeMetadata(const Metadata& metadata) {
  std::string out;
  for (const auto& [key, value] : metadata) {
    if (!out.empty()) out += ',';
    out += key;
    if (!value.empty()) {
      out += ' ';
      out += Base64(value);
    }
  }
  return out;
}

std::optional<uint64_t> ParseOffset(std::string_view value) {
  if (value.empty() || value.size() > 19) return std::nullopt;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  if (n > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return n;
}

std::string NormalizeServer(std::string_view server) {
  while (!server.empty() && server.back() == '/') server.remove_suffix(1);
  return std::string(server);
}

std::string ResolveLocation(std::string_view server, std::string_view location) {
  if (location.empty()) return {};
  if (location.starts_with("http://") || location.starts_with("https://")) {
    return std::string(location);
  }
  // The origin: up to the first '/' after "scheme://".
  const size_t scheme = server.find("://");
  const size_t path = server.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  const std::string_view origin = server.substr(0, path);
  if (!location.starts_with('/')) return std::string(origin) + "/" + std::string(location);
  return std::string(origin) + std::string(location);
}

std::string ProblemDetail(long status, std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(body, ec);
  if (!ec && doc.is_object()) {
    for (const char* field : {"detail", "title"}) {
      if (const auto* v = doc.as_object().if_contains(field);
          v && v->is_string() && !v->as_string().empty()) {
        return std::string(v->as_string());
      }
    }
  }
  std::string_view text = body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  if (!text.empty()) return std::string(text);
  return "HTTP " + std::to_string(status);
}

}  // namespace kinora::tus
