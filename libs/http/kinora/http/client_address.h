// Who the client is when proxies stand in front of us: the peer's address, or, only when the
// peer is a proxy the operator trusts (KINORA_TRUSTED_PROXIES), the address those proxies report
// in X-Forwarded-For. A header from anyone else is ignored: any client can write one.
// Thread safety: TrustedProxies is immutable after Parse() and safe to share; the functions are
// pure.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody

  // A comma-separated list of addresses and CIDR networks, IPv4 and IPv6:
  // "10.0.0.0/8, 127.0.0.1, fd00::/8". Blanks around entries and empty entries are ignored, so
  // "" trusts nobody. kInvalidArgument names the first bad entry: not an address, a prefix out of
  // range, or a network with host bits set ("10.0.0.1/8": write 10.0.0.0/8).
  static Result<TrustedProxies> Parse(std::string_view list);

  // True when `address` (a bare IPv4 or IPv6 address, as a socket reports it) is in the list.
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) counts as its IPv4 address; anything that does
  // not parse is not trusted.
  bool Trusts(std::string_view address) const;

  bool empty() const { return networks_.empty(); }

 private:
  friend std::string ClientAddress(std::string_view, std::string_view, const TrustedProxies&);
  bool Contains(bool v6, const std::array<uint8_t, 16>& bytes) const;

  struct Network {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // v4 uses the first 4
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

// The client's address for rate limits and logs, in canonical form (so "::FFFF:1.2.3.4" and
// "1.2.3.4" are one client). The peer itself unless the peer is trusted; then X-Forwarded-For is
// walked from the right (the hop our proxy appended) skipping trusted proxies, and the first
// untrusted address is the client; when every hop is trusted, the leftmost. A malformed entry
// ("unknown", "", garbage) ends the walk at the last good address: what lies left of it was
// written by someone we cannot vouch for. Entries may carry a port ("1.2.3.4:80", "[::1]:80").
// `x_forwarded_for` is every X-Forwarded-For header's value, joined with ","; an unparseable peer
// is returned as it is.
std::string ClientAddress(std::string_view peer, std::string_view x_forwarded_for,
                          const TrustedProxies& trusted);

// True when a trusted peer says the client's connection was HTTPS: every element of
// X-Forwarded-Proto (a comma-separated list when proxies append) is "https", case-insensitively.
// A chain that mixes schemes is not trusted to be HTTPS; such a site sets KINORA_PUBLIC_URL.
bool ForwardedHttps(std::string_view peer, std::string_view x_forwarded_proto,
                    const TrustedProxies& trusted);

}  // namespace kinora::http
