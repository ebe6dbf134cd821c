// Cross-site request forgery defence for requests a browser authenticates by itself (the session
// cookie): an unsafe request must come from the site (Sec-Fetch-Site, else Origin) and carry
// what a cross-site HTML form cannot send (a JSON Content-Type or the X-Kinora-Request header,
// both of which need a CORS preflight from another origin). Bearer-token requests are exempt: no
// browser attaches a token on its own. docs/auth.md, "The edges", is the contract.
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "kinora/core/error.h"
#include "kinora/http/message.h"

namespace kinora::http {

// The header the web app sends with every write it cannot send as JSON (multipart uploads).
inline constexpr std::string_view kKinoraRequestHeader = "X-Kinora-Request";

// A request's headers as they arrived; an empty view means the header is absent.
struct CsrfInput {
  Verb method = Verb::get;
  std::string_view sec_fetch_site;
  std::string_view origin;
  std::string_view host;
  std::string_view public_origin;  // KINORA_PUBLIC_URL, e.g. "https://video.example.org"; or ""
  std::string_view content_type;
  bool has_custom_header = false;  // kKinoraRequestHeader is present, whatever its value
  bool cookie_authenticated = false;
  bool bearer_authenticated = false;
};

// OK for safe methods (GET, HEAD, OPTIONS), bearer-authenticated and unauthenticated requests.
// A cookie-authenticated unsafe request passes only when
//   - Sec-Fetch-Site is "same-origin" or "none" (typed by the user), or, without Sec-Fetch-Site
//     (older browsers), Origin is the public origin or http(s):// + Host (default ports aside,
//     hosts compared case-insensitively); and
//   - its Content-Type is application/json (parameters allowed; not application/*+json) or it
//     carries kKinoraRequestHeader.
// kPermissionDenied otherwise, its message naming what was missing.
Result<void> CheckCsrf(const CsrfInput& in);

}  // namespace kinora::http
