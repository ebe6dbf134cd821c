// The headers every answer carries so a browser confines the web app to its own site: a
// Content-Security-Policy allowing scripts, styles, media and connections from the site (plus
// configured media origins, e.g. an S3 bucket), no framing, no MIME sniffing, a restrained
// Referer, and HSTS when the site is HTTPS. A header the handler already set is kept.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "kinora/http/message.h"

namespace kinora::http {

struct SecurityHeaderOptions {
  // The site is served over HTTPS (KINORA_PUBLIC_URL is https, or a trusted proxy says so):
  // adds Strict-Transport-Security.
  bool https = false;
  // Origins media, thumbnails and HLS may also come from (img-src, media-src, connect-src), as
  // ParseOrigins() (cors.h) returns them; an entry that is not such an origin is left out, so a
  // stray ';' cannot add a directive.
  std::vector<std::string> media_origins = {};
};

// The Content-Security-Policy value for these options.
std::string ContentSecurityPolicy(const SecurityHeaderOptions& options);

// Sets Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
// Cross-Origin-Opener-Policy and, for HTTPS, Strict-Transport-Security, each unless r has it.
void AddSecurityHeaders(Response& r, const SecurityHeaderOptions& options);

}  // namespace kinora::http
