#include "kinora/http/host_policy.h"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>

namespace kinora::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct HostPort {
  std::string host;  // lower case, IPv6 without brackets, no trailing dot
  bool ip = false;
  std::optional<uint16_t> port;
};

// Parses "name", "name:port", "1.2.3.4:port", "[v6]:port"; nullopt if malformed.
std::optional<HostPort> Split(std::string_view s) {
  HostPort out;
  std::string_view host = s, port;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = s.substr(1, close - 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      has_port = true;
    }
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return std::nullopt;
    out.host = a.to_string();
    out.ip = true;
  } else {
    size_t colon = s.rfind(':');
    if (colon != std::string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      has_port = true;
    }
    if (host.empty() || host.size() > 253) return std::nullopt;
    for (char c : host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
        return std::nullopt;
      }
    }
    out.host = Lower(host);
    if (out.host.size() > 1 && out.host.back() == '.') out.host.pop_back();
    boost::system::error_code ec;
    boost::asio::ip::make_address_v4(out.host, ec);
    out.ip = !ec;
  }
  if (has_port) {
    uint16_t p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size()) return std::nullopt;
    out.port = p;
  }
  return out;
}

bool IsLocalhostName(std::string_view name) {
  return name == "localhost" || name.ends_with(".localhost");
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (IsLocalhostName(Lower(host))) return true;
  std::string h(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(h, ec);
  return !ec && a.is_loopback();
}

Result<HostPolicy> HostPolicy::Make(const std::vector<std::string>& allowed,
                                    std::string_view public_url, bool loopback_listener) {
  HostPolicy p;
  p.any_ = false;
  for (const std::string& raw : allowed) {
    if (raw == "*") {
      p.any_ = true;
      continue;
    }
    Entry e;
    std::string_view s = raw;
    if (s.starts_with("*.")) {
      e.wildcard = true;
      s.remove_prefix(1);  // keep the '.': ".example.org"
    }
    auto hp = Split(e.wildcard ? s.substr(1) : s);
    if (!hp || (e.wildcard && hp->ip)) {
      return InvalidArgument("'" + raw + "' is not a host name, host:port or *.domain");
    }
    e.name = e.wildcard ? "." + hp->host : hp->host;
    e.port = hp->port;
    p.entries_.push_back(std::move(e));
  }
  if (!public_url.empty()) {
    auto u = boost::urls::parse_absolute_uri(public_url);
    if (!u || u->host().empty()) {
      return InvalidArgument("the public URL '" + std::string(public_url) + "' has no host");
    }
    auto hp = Split(u->encoded_host_and_port());
    if (!hp) return InvalidArgument("the public URL's host is not a valid name");
    p.entries_.push_back({hp->host, false, std::nullopt});
  }
  if (!p.any_ && p.entries_.empty() && !loopback_listener) {
    p.any_ = true;
    p.open_by_default_ = true;
  }
  return p;
}

bool HostPolicy::Allows(std::string_view host_header) const {
  if (any_ || host_header.empty()) return true;
  auto hp = Split(host_header);
  if (!hp) return false;
  if (hp->ip || IsLocalhostName(hp->host)) return true;
  for (const Entry& e : entries_) {
    if (e.port && e.port != hp->port) continue;
    if (e.wildcard ? hp->host.ends_with(e.name) : hp->host == e.name) return true;
  }
  return false;
}

}  // namespace kinora::http
