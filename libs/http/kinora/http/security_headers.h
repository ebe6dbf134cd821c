// The headers every answer carries so a browser confines the web app to its own site: a
// Content-Security-Policy allowing scripts, styles, media and connections from the site (plus
// configured media origins, e.g. an S3 bucket), no framing, no MIME sniffing, a restrained
// Referer, and HSTS when the site is HTTPS. A header the handler already set is kept.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kinora/http/message.h"

namespace kinora::http {

struct SecurityHeaderOptions {
  // The site is served over HTTPS (KINORA_PUBLIC_URL is https, or a trusted proxy says so):
  // adds Strict-Transport-Security.
  bool https = false;
  // Origins media, thumbnails and HLS may also come from and direct-upload parts go to (img-src,
  // media-src, connect-src), as ParseOrigins() (cors.h) returns them; an entry that is not such
  // an origin is left out, so a stray ';' cannot add a directive. The app fills it with the object
  // store's PresignedOrigin() (an S3 bucket's).
  std::vector<std::string> media_origins = {};
  // Who may frame the embed player (/embed/…): KINORA_EMBED_ORIGINS as origins (ParseOrigins),
  // or {"*"} for any site (the default), or empty for nobody. Every other page is never framed.
  std::vector<std::string> embed_ancestors = {"*"};
};

// Whether a request path is the embed player's page, the only page other sites may frame.
bool IsEmbedPath(std::string_view path);

// The Content-Security-Policy value for these options; `embed`: for the embed player's page.
std::string ContentSecurityPolicy(const SecurityHeaderOptions& options, bool embed = false);

// Sets Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options,
// Cross-Origin-Opener-Policy and, for HTTPS, Strict-Transport-Security, each unless r has it.
// For the embed page (`embed`) framing follows embed_ancestors and X-Frame-Options is left out
// (it cannot express a list; browsers that know CSP ignore it anyway).
void AddSecurityHeaders(Response& r, const SecurityHeaderOptions& options, bool embed = false);

}  // namespace kinora::http
