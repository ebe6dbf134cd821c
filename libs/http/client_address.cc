#include "kinora/http/client_address.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <charconv>
#include <optional>

namespace kinora::http {

namespace {

namespace ip = boost::asio::ip;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A bare address; IPv4-mapped IPv6 becomes IPv4 so one client has one spelling.
std::optional<ip::address> ParseAddress(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::address(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  }
  return a;
}

bool IsPort(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An X-Forwarded-For element: "1.2.3.4", "::1", "1.2.3.4:80" or "[::1]:80".
std::optional<ip::address> ParseHop(std::string_view hop) {
  hop = Trim(hop);
  if (!hop.empty() && hop.front() == '[') {
    size_t close = hop.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = hop.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && IsPort(rest.substr(1)))) return std::nullopt;
    auto a = ParseAddress(hop.substr(1, close - 1));
    if (!a || !a->is_v6()) return std::nullopt;
    return a;
  }
  size_t colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos) {
    if (!IsPort(hop.substr(colon + 1))) return std::nullopt;
    auto a = ParseAddress(hop.substr(0, colon));
    if (!a || !a->is_v4()) return std::nullopt;
    return a;
  }
  return ParseAddress(hop);
}

std::array<uint8_t, 16> BytesOf(const ip::address& a) {
  std::array<uint8_t, 16> out{};
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.begin());
  } else {
    out = a.to_v6().to_bytes();
  }
  return out;
}

// True when the first `prefix` bits of a and b agree.
bool SamePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int prefix) {
  const auto whole = static_cast<size_t>(prefix / 8);
  if (!std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(whole), b.begin())) {
    return false;
  }
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xFFu << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool HostBitsClear(const std::array<uint8_t, 16>& bytes, int prefix, int width) {
  for (int bit = prefix; bit < width; ++bit) {
    if (bytes[static_cast<size_t>(bit / 8)] & (0x80u >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view entry = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    auto bad = [&](std::string_view why) {
      return InvalidArgument("trusted proxies: \"" + std::string(entry) + "\" " + std::string(why));
    };
    std::string_view addr = entry;
    std::optional<int> prefix;
    if (size_t slash = entry.find('/'); slash != std::string_view::npos) {
      addr = Trim(entry.substr(0, slash));
      std::string_view digits = Trim(entry.substr(slash + 1));
      int p = -1;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        return bad("has no valid prefix length after '/'");
      }
      prefix = p;
    }
    boost::system::error_code ec;
    ip::address a = ip::make_address(std::string(addr), ec);
    if (ec || addr.empty()) return bad("is not an IPv4 or IPv6 address or CIDR network");
    Network n;
    n.v6 = a.is_v6();
    n.bytes = BytesOf(a);
    const int width = n.v6 ? 128 : 32;
    n.prefix = prefix.value_or(width);
    if (n.prefix < 0 || n.prefix > width) {
      return bad(n.v6 ? "has a prefix length outside 0-128" : "has a prefix length outside 0-32");
    }
    if (!HostBitsClear(n.bytes, n.prefix, width)) {
      return bad("has bits set past its prefix length; name the network's first address");
    }
    // ::ffff:a.b.c.d/N (N >= 96) is an IPv4 network; peers are matched in IPv4 form.
    if (n.v6 && n.prefix >= 96 && a.to_v6().is_v4_mapped()) {
      n.v6 = false;
      n.bytes = BytesOf(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
      n.prefix -= 96;
    }
    out.networks_.push_back(n);
  }
  return out;
}

bool TrustedProxies::Trusts(std::string_view address) const {
  if (networks_.empty()) return false;
  auto a = ParseAddress(Trim(address));
  return a && Contains(a->is_v6(), BytesOf(*a));
}

bool TrustedProxies::Contains(bool v6, const std::array<uint8_t, 16>& bytes) const {
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& n) {
    return n.v6 == v6 && SamePrefix(n.bytes, bytes, n.prefix);
  });
}

std::string ClientAddress(std::string_view peer, std::string_view x_forwarded_for,
                          const TrustedProxies& trusted) {
  auto peer_address = ParseAddress(Trim(peer));
  if (!peer_address) return std::string(peer);
  std::string client = peer_address->to_string();
  if (!trusted.Contains(peer_address->is_v6(), BytesOf(*peer_address))) return client;
  // Walk right to left: each hop was appended by the proxy to its right, which we trust so far.
  std::string_view rest = x_forwarded_for;
  while (!Trim(rest).empty()) {
    size_t comma = rest.rfind(',');
    std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto hop_address = ParseHop(hop);
    if (!hop_address) break;
    client = hop_address->to_string();
    if (!trusted.Contains(hop_address->is_v6(), BytesOf(*hop_address))) break;
  }
  return client;
}

bool ForwardedHttps(std::string_view peer, std::string_view x_forwarded_proto,
                    const TrustedProxies& trusted) {
  if (Trim(x_forwarded_proto).empty() || !trusted.Trusts(peer)) return false;
  while (true) {
    size_t comma = x_forwarded_proto.find(',');
    std::string_view proto = Trim(x_forwarded_proto.substr(0, comma));
    if (proto.size() != 5 || !std::equal(proto.begin(), proto.end(), "https", [](char c, char h) {
          return std::tolower(static_cast<unsigned char>(c)) == h;
        })) {
      return false;
    }
    if (comma == std::string_view::npos) return true;
    x_forwarded_proto.remove_prefix(comma + 1);
  }
}

}  // namespace kinora::http
