#include "kinora/http/security_headers.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace kinora::http {
namespace {

// CSP directive name -> its sources, for assertions that do not depend on order.
std::map<std::string, std::string> Directives(std::string_view csp) {
  std::map<std::string, std::string> out;
  while (!csp.empty()) {
    const size_t semi = csp.find(';');
    std::string_view d = csp.substr(0, semi);
    csp = semi == std::string_view::npos ? std::string_view() : csp.substr(semi + 1);
    while (!d.empty() && d.front() == ' ') d.remove_prefix(1);
    const size_t space = d.find(' ');
    EXPECT_FALSE(out.contains(std::string(d.substr(0, space)))) << "repeated: " << d;
    out[std::string(d.substr(0, space))] =
        space == std::string_view::npos ? "" : std::string(d.substr(space + 1));
  }
  return out;
}

std::string Header(const Response& r, std::string_view name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "<absent>" : std::string(it->value());
}

TEST(SecurityHeaders, TheSiteOnlyPolicy) {
  const auto d = Directives(ContentSecurityPolicy({}));
  const std::map<std::string, std::string> expected = {
      {"default-src", "'self'"},
      {"script-src", "'self'"},
      {"style-src", "'self' 'unsafe-inline'"},
      {"img-src", "'self' data: blob:"},
      {"media-src", "'self' blob:"},
      {"connect-src", "'self'"},
      {"worker-src", "'self' blob:"},
      {"object-src", "'none'"},
      {"base-uri", "'self'"},
      {"form-action", "'self'"},
      {"frame-ancestors", "'none'"},
  };
  EXPECT_EQ(d, expected);
}

TEST(SecurityHeaders, MediaOriginsJoinImagesMediaAndConnections) {
  SecurityHeaderOptions options;
  options.media_origins = {"https://media.s3.eu-west-1.amazonaws.com", "http://localhost:9000"};
  auto d = Directives(ContentSecurityPolicy(options));
  const std::string both = "https://media.s3.eu-west-1.amazonaws.com http://localhost:9000";
  EXPECT_EQ(d["img-src"], "'self' data: blob: " + both);
  EXPECT_EQ(d["media-src"], "'self' blob: " + both);
  EXPECT_EQ(d["connect-src"], "'self' " + both);
  EXPECT_EQ(d["script-src"], "'self'");
  EXPECT_EQ(d["default-src"], "'self'");
  EXPECT_EQ(d["worker-src"], "'self' blob:");
}

TEST(SecurityHeaders, AnythingButAnOriginIsLeftOut) {
  SecurityHeaderOptions options;
  options.media_origins = {
      "https://ok.example", "https://x.example; script-src *", "*", "https://x.example/path",
      "'unsafe-eval'",      "HTTPS://UPPER.example",           ""};
  auto d = Directives(ContentSecurityPolicy(options));
  EXPECT_EQ(d.size(), 11u);
  EXPECT_EQ(d["script-src"], "'self'");
  EXPECT_EQ(d["connect-src"], "'self' https://ok.example");
  EXPECT_EQ(d["media-src"], "'self' blob: https://ok.example");
}

TEST(SecurityHeaders, EveryAnswerGetsThem) {
  Response r;
  AddSecurityHeaders(r, {});
  EXPECT_EQ(Header(r, "Content-Security-Policy"), ContentSecurityPolicy({}));
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(r, "Referrer-Policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(r, "Cross-Origin-Opener-Policy"), "same-origin");
  EXPECT_EQ(Header(r, "Strict-Transport-Security"), "<absent>");  // not over plain HTTP
}

TEST(SecurityHeaders, HstsOnlyOverHttps) {
  Response r;
  AddSecurityHeaders(r, {.https = true});
  EXPECT_EQ(Header(r, "Strict-Transport-Security"), "max-age=31536000");
}

TEST(SecurityHeaders, WhatTheHandlerSetIsKept) {
  Response r;
  r.Set(bhttp::field::content_type, "text/html");
  r.headers.set("Content-Security-Policy", "sandbox");
  r.headers.set("x-frame-options", "SAMEORIGIN");  // names compare case-insensitively
  r.headers.set("Strict-Transport-Security", "max-age=60");
  AddSecurityHeaders(r, {.https = true});
  EXPECT_EQ(Header(r, "Content-Security-Policy"), "sandbox");
  EXPECT_EQ(Header(r, "X-Frame-Options"), "SAMEORIGIN");
  EXPECT_EQ(Header(r, "Strict-Transport-Security"), "max-age=60");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(std::distance(r.headers.equal_range("Content-Security-Policy").first,
                          r.headers.equal_range("Content-Security-Policy").second),
            1);
}

TEST(SecurityHeaders, OnlyTheEmbedPageMayBeFramedAndOnlyByTheListedSites) {
  SecurityHeaderOptions options;  // default: any site may embed the player
  EXPECT_EQ(Directives(ContentSecurityPolicy(options, true))["frame-ancestors"], "*");
  EXPECT_EQ(Directives(ContentSecurityPolicy(options, false))["frame-ancestors"], "'none'");
  options.embed_ancestors = {"https://blog.example.org", "not an origin; script-src *"};
  EXPECT_EQ(Directives(ContentSecurityPolicy(options, true))["frame-ancestors"],
            "https://blog.example.org");
  options.embed_ancestors = {};
  EXPECT_EQ(Directives(ContentSecurityPolicy(options, true))["frame-ancestors"], "'none'");

  Response embed, page;
  AddSecurityHeaders(embed, options, true);
  AddSecurityHeaders(page, options, false);
  EXPECT_EQ(Header(embed, "X-Frame-Options"), "<absent>");
  EXPECT_EQ(Header(page, "X-Frame-Options"), "DENY");
  EXPECT_TRUE(IsEmbedPath("/embed/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"));
  EXPECT_FALSE(IsEmbedPath("/api/embed/x"));
  EXPECT_FALSE(IsEmbedPath("/embedded"));
}

}  // namespace
}  // namespace kinora::http
