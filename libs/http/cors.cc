#include "kinora/http/cors.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>

#include "kinora/http/csrf.h"

namespace kinora::http {

namespace {

// What a cross-origin page may send and read. Tus-* and Upload-* are the resumable-upload
// protocol's; X-Kinora-Request is the CSRF header (csrf.h); X-Correlation-ID ties a request to
// the logs both ways.
constexpr std::string_view kAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const std::string& AllowHeaders() {
  static const std::string headers =
      "Authorization, Content-Type, " + std::string(kKinoraRequestHeader) +
      ", X-Correlation-ID, Range, Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, "
      "Upload-Defer-Length, Upload-Concat, Upload-Checksum";
  return headers;
}
constexpr std::string_view kExposeHeaders =
    "Content-Length, Content-Range, Accept-Ranges, Location, Retry-After, X-Correlation-ID, "
    "Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size, Upload-Offset, Upload-Length, "
    "Upload-Expires";
// Seconds a browser may reuse a preflight's answer; short, so a changed list takes effect soon.
constexpr std::string_view kMaxAge = "600";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

// scheme://host[:port] normalized, or nullopt.
std::optional<std::string> NormalizeOrigin(std::string_view text) {
  if (text.ends_with('/')) text.remove_suffix(1);
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const std::string_view scheme = std::string_view(out).substr(0, sep);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view authority = std::string_view(out).substr(sep + 3);
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {  // [IPv6]
    const size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    if (!std::all_of(authority.begin() + 1, authority.begin() + static_cast<std::ptrdiff_t>(close),
                     [](char c) {
                       return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
                     })) {
      return std::nullopt;
    }
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else {
    if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar) || host.front() == '.' ||
        host.back() == '.' || host.front() == '-') {
      return std::nullopt;
    }
  }
  if (!port.empty()) {
    int n = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc() || end != port.data() + port.size() || n < 1 || n > 65535 ||
        port.front() == '0') {
      return std::nullopt;
    }
    if ((scheme == "https" && n == 443) || (scheme == "http" && n == 80)) {
      out.resize(out.size() - port.size() - 1);
    }
  }
  return out;
}

// Adds `token` to a comma-separated header unless it is already there.
void MergeToken(Response& r, bhttp::field f, std::string_view token) {
  auto it = r.headers.find(f);
  if (it == r.headers.end()) {
    r.headers.set(f, token);
    return;
  }
  const std::string_view value(it->value().data(), it->value().size());
  std::string_view rest = value;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = Trim(rest.substr(0, comma));
    if (item == "*" ||
        std::equal(item.begin(), item.end(), token.begin(), token.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return;
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  r.headers.set(f, std::string(value) + ", " + std::string(token));
}

}  // namespace

Result<std::vector<std::string>> ParseOrigins(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    auto origin = NormalizeOrigin(entry);
    if (!origin) {
      return InvalidArgument("origins: \"" + std::string(entry) +
                             "\" is not an origin (scheme://host[:port], http or https, no path)");
    }
    if (std::find(out.begin(), out.end(), *origin) == out.end()) out.push_back(std::move(*origin));
  }
  return out;
}

bool IsSerializedOrigin(std::string_view origin) {
  auto normalized = NormalizeOrigin(origin);
  return normalized && *normalized == origin;
}

bool IsPreflight(Verb method, std::string_view access_control_request_method) {
  return method == Verb::options && !Trim(access_control_request_method).empty();
}

Result<CorsPolicy> CorsPolicy::Parse(std::string_view list) {
  CorsPolicy policy;
  KINORA_TRY(policy.origins_, ParseOrigins(list));
  return policy;
}

bool CorsPolicy::Allows(std::string_view origin) const {
  return !origin.empty() && std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

std::optional<bhttp::fields> CorsPolicy::CorsHeadersFor(std::string_view origin,
                                                        bool preflight) const {
  if (!Allows(origin)) return std::nullopt;
  bhttp::fields h;
  h.set(bhttp::field::access_control_allow_origin, origin);
  h.set(bhttp::field::access_control_allow_credentials, "true");
  h.set(bhttp::field::vary, "Origin");
  if (preflight) {
    h.set(bhttp::field::access_control_allow_methods, kAllowMethods);
    h.set(bhttp::field::access_control_allow_headers, AllowHeaders());
    h.set(bhttp::field::access_control_max_age, kMaxAge);
  } else {
    h.set(bhttp::field::access_control_expose_headers, kExposeHeaders);
  }
  return h;
}

void CorsPolicy::Apply(Response& r, std::string_view origin, bool preflight) const {
  if (empty()) return;
  MergeToken(r, bhttp::field::vary, "Origin");
  auto headers = CorsHeadersFor(origin, preflight);
  if (!headers) return;
  for (const auto& f : *headers) {
    if (f.name() == bhttp::field::vary) continue;
    if (r.headers.find(f.name()) == r.headers.end()) r.headers.set(f.name(), f.value());
  }
}

}  // namespace kinora::http
