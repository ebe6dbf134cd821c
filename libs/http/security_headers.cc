#include "kinora/http/security_headers.h"

#include <string_view>

#include "kinora/http/cors.h"

namespace kinora::http {

namespace {

void SetUnlessPresent(Response& r, std::string_view name, std::string_view value) {
  if (r.headers.find(name) == r.headers.end()) r.headers.set(name, value);
}

// A year: browsers then refuse plain HTTP to the site for that long. No includeSubDomains: the
// operator's other hosts are not ours to decide.
constexpr std::string_view kHsts = "max-age=31536000";

std::string FrameAncestors(const SecurityHeaderOptions& options, bool embed) {
  if (!embed) return "'none'";
  std::string out;
  for (const auto& origin : options.embed_ancestors) {
    if (origin == "*" || IsSerializedOrigin(origin)) out += (out.empty() ? "" : " ") + origin;
  }
  return out.empty() ? "'none'" : out;
}

}  // namespace

bool IsEmbedPath(std::string_view path) { return path.starts_with("/embed/"); }

std::string ContentSecurityPolicy(const SecurityHeaderOptions& options, bool embed) {
  std::string extra;
  for (const auto& origin : options.media_origins) {
    if (IsSerializedOrigin(origin)) extra += " " + origin;
  }
  // style-src keeps 'unsafe-inline'. React's style prop (framer-motion's animations, progress
  // bars) writes through the CSSOM, which CSP does not govern, but framer-motion's popLayout
  // inserts a <style> element, and a style attribute written as markup would be refused; inline
  // styles cannot run script. blob: for media and workers is hls.js (MediaSource URLs, its
  // transmuxing worker); data: for images covers inlined SVG icons.
  return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
         "img-src 'self' data: blob:" +
         extra + "; media-src 'self' blob:" + extra + "; connect-src 'self'" + extra +
         "; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
         "frame-ancestors " +
         FrameAncestors(options, embed);
}

void AddSecurityHeaders(Response& r, const SecurityHeaderOptions& options, bool embed) {
  if (r.headers.find("Content-Security-Policy") == r.headers.end()) {
    r.headers.set("Content-Security-Policy", ContentSecurityPolicy(options, embed));
  }
  SetUnlessPresent(r, "X-Content-Type-Options", "nosniff");
  SetUnlessPresent(r, "Referrer-Policy", "strict-origin-when-cross-origin");
  if (!embed) SetUnlessPresent(r, "X-Frame-Options", "DENY");
  SetUnlessPresent(r, "Cross-Origin-Opener-Policy", "same-origin");
  if (options.https) SetUnlessPresent(r, "Strict-Transport-Security", kHsts);
}

}  // namespace kinora::http
