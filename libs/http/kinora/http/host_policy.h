// Which Host headers the server answers: the defence against DNS rebinding, where a hostile
// page's name is re-pointed at a LAN or loopback server and the browser then talks to it as if
// it were the hostile site. Such requests carry the hostile name in Host, so the server answers
// only the names it is known by (KINORA_PUBLIC_URL, KINORA_ALLOWED_HOSTS). IP literals and
// `localhost` (and `*.localhost`) are always answered: no DNS answer can put them in a
// browser's Host header for a page of another origin. Thread safety: immutable, share freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::http {

class HostPolicy {
 public:
  HostPolicy() = default;  // answers every Host

  // `allowed`: entries "name", "name:port", "*.domain" (subdomains of domain) or "*" (any
  // Host; the check is off); names are matched without case, and without a port match any port.
  // `public_url`'s host (any port) is added. With no entry at all, a `loopback_listener` answers
  // only IP literals and localhost names; any other listener answers every Host (see
  // open_by_default()). kInvalidArgument names the first bad entry.
  static Result<HostPolicy> Make(const std::vector<std::string>& allowed,
                                 std::string_view public_url, bool loopback_listener);

  // True when a request with this Host header value is answered. An absent (empty) Host is
  // answered: browsers always send one.
  bool Allows(std::string_view host_header) const;

  // True when nothing was configured and the listener is not loopback: every Host is answered
  // (say so at start: the instance is open to DNS rebinding from its network).
  bool open_by_default() const { return open_by_default_; }
  bool any() const { return any_; }

 private:
  struct Entry {
    std::string name;  // lower case; for a wildcard, the domain with its leading '.'
    bool wildcard = false;
    std::optional<uint16_t> port;
  };
  bool any_ = true;
  bool open_by_default_ = false;
  std::vector<Entry> entries_;
};

// True when `host` (an address or name as written in a listen setting) is a loopback address
// or `localhost`.
bool IsLoopbackHost(std::string_view host);

}  // namespace kinora::http
