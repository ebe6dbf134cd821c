#include "kinora/http/csrf.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kinora::http {
namespace {

constexpr std::string_view kSite = "https://video.example.org";

// A request the web app sends: a cookie-authenticated JSON POST from the site.
CsrfInput FromTheApp() {
  CsrfInput in;
  in.method = Verb::post;
  in.sec_fetch_site = "same-origin";
  in.origin = kSite;
  in.host = "video.example.org";
  in.public_origin = kSite;
  in.content_type = "application/json";
  in.cookie_authenticated = true;
  return in;
}

// "" when allowed, else the refusal's message (and the code must be kPermissionDenied).
std::string Verdict(const CsrfInput& in) {
  auto r = CheckCsrf(in);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  return r.error().message;
}

TEST(Csrf, TheTable) {
  const struct {
    std::string_view why;
    void (*change)(CsrfInput&);
    std::string_view refusal;  // "" = allowed, else a part of the message
  } kTable[] = {
      {"the web app's JSON write", [](CsrfInput&) {}, ""},
      // Methods.
      {"GET",
       [](CsrfInput& in) {
         in.method = Verb::get;
         in.sec_fetch_site = "cross-site";
       },
       ""},
      {"HEAD",
       [](CsrfInput& in) {
         in.method = Verb::head;
         in.sec_fetch_site = "cross-site";
       },
       ""},
      {"OPTIONS",
       [](CsrfInput& in) {
         in.method = Verb::options;
         in.content_type = "";
       },
       ""},
      {"PUT cross-site",
       [](CsrfInput& in) {
         in.method = Verb::put;
         in.sec_fetch_site = "cross-site";
       },
       "a PUT signed in by cookie"},
      {"PATCH cross-site",
       [](CsrfInput& in) {
         in.method = Verb::patch;
         in.sec_fetch_site = "cross-site";
       },
       "PATCH"},
      {"DELETE without a body or header",
       [](CsrfInput& in) {
         in.method = Verb::delete_;
         in.content_type = "";
       },
       "Content-Type application/json or the X-Kinora-Request header"},
      {"DELETE with the header",
       [](CsrfInput& in) {
         in.method = Verb::delete_;
         in.content_type = "";
         in.has_custom_header = true;
       },
       ""},
      {"an unknown method is unsafe",
       [](CsrfInput& in) {
         in.method = Verb::unknown;
         in.sec_fetch_site = "cross-site";
       },
       "cross-site request refused"},
      // Who is authenticated.
      {"a bearer token from anywhere",
       [](CsrfInput& in) {
         in.bearer_authenticated = true;
         in.sec_fetch_site = "cross-site";
         in.content_type = "";
       },
       ""},
      {"a bearer token beside a cookie",
       [](CsrfInput& in) {
         in.bearer_authenticated = true;
         in.sec_fetch_site = "cross-site";
       },
       ""},
      {"anonymous (sign-in itself)",
       [](CsrfInput& in) {
         in.cookie_authenticated = false;
         in.sec_fetch_site = "cross-site";
         in.content_type = "";
       },
       ""},
      // Sec-Fetch-Site decides when present, whatever Origin says.
      {"typed by the user", [](CsrfInput& in) { in.sec_fetch_site = "none"; }, ""},
      {"same-site is not same-origin", [](CsrfInput& in) { in.sec_fetch_site = "same-site"; },
       "Sec-Fetch-Site is \"same-site\""},
      {"cross-site", [](CsrfInput& in) { in.sec_fetch_site = "cross-site"; },
       "Sec-Fetch-Site is \"cross-site\""},
      {"cross-site with the site's Origin and the header",
       [](CsrfInput& in) {
         in.sec_fetch_site = "cross-site";
         in.has_custom_header = true;
       },
       "Sec-Fetch-Site"},
      {"same-origin without Origin", [](CsrfInput& in) { in.origin = ""; }, ""},
      {"same-origin in capitals", [](CsrfInput& in) { in.sec_fetch_site = "Same-Origin"; }, ""},
      // Without Sec-Fetch-Site, Origin decides.
      {"no Sec-Fetch-Site, Origin is the public origin",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.host = "10.0.0.5:8080";
       },
       ""},
      {"no Sec-Fetch-Site, Origin is scheme + Host",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.origin = "http://localhost:8080", in.host = "localhost:8080";
       },
       ""},
      {"no Sec-Fetch-Site, Origin's host matches whatever the case",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.host = "Video.Example.ORG";
       },
       ""},
      {"no Sec-Fetch-Site, Host with the default port",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.host = "video.example.org:443";
       },
       ""},
      {"no Sec-Fetch-Site, Origin with the default port",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.origin = "https://video.example.org:443";
       },
       ""},
      {"no Sec-Fetch-Site, another port",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "", in.origin = "https://video.example.org:8443";
       },
       "Origin \"https://video.example.org:8443\" is not this site"},
      {"no Sec-Fetch-Site, the public origin configured with a path",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.host = "backend:8080", in.public_origin = "https://Video.example.org/";
       },
       ""},
      {"no Sec-Fetch-Site, the public origin's scheme differs",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.host = "backend:8080";
         in.origin = "http://video.example.org";
       },
       "is not this site"},
      {"no Sec-Fetch-Site, an evil Origin",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.origin = "https://evil.example";
       },
       "Origin \"https://evil.example\" is not this site"},
      {"no Sec-Fetch-Site, a look-alike Origin",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.origin = "https://video.example.org.evil.example";
       },
       "is not this site"},
      {"no Sec-Fetch-Site, an Origin with credentials",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "", in.origin = "https://evil@video.example.org";
       },
       "is not this site"},
      {"no Sec-Fetch-Site, Origin null (a sandboxed frame)",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.origin = "null";
       },
       "Origin \"null\" is not this site"},
      {"no Sec-Fetch-Site, another scheme",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.origin = "ftp://video.example.org";
       },
       "is not this site"},
      {"no Sec-Fetch-Site, no Origin",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.origin = "";
       },
       "neither Sec-Fetch-Site nor Origin"},
      {"no Sec-Fetch-Site, no public origin, no Host",
       [](CsrfInput& in) {
         in.sec_fetch_site = "";
         in.public_origin = "";
         in.host = "";
       },
       "is not this site"},
      // What a form cannot send.
      {"JSON with a charset",
       [](CsrfInput& in) { in.content_type = "application/json; charset=utf-8"; }, ""},
      {"JSON in capitals", [](CsrfInput& in) { in.content_type = " Application/JSON "; }, ""},
      {"a form post", [](CsrfInput& in) { in.content_type = "application/x-www-form-urlencoded"; },
       "must send Content-Type application/json or the X-Kinora-Request header"},
      {"a multipart form",
       [](CsrfInput& in) { in.content_type = "multipart/form-data; boundary=x"; },
       "X-Kinora-Request"},
      {"the web app's multipart upload",
       [](CsrfInput& in) {
         in.content_type = "multipart/form-data; boundary=x";
         in.has_custom_header = true;
       },
       ""},
      {"text/plain (a form's enctype)", [](CsrfInput& in) { in.content_type = "text/plain"; },
       "X-Kinora-Request"},
      {"application/*+json is not JSON here",
       [](CsrfInput& in) { in.content_type = "application/merge-patch+json"; }, "X-Kinora-Request"},
      {"application/jsonx", [](CsrfInput& in) { in.content_type = "application/jsonx"; },
       "X-Kinora-Request"},
      {"no Content-Type", [](CsrfInput& in) { in.content_type = ""; }, "X-Kinora-Request"},
      {"both missing: the site is named first",
       [](CsrfInput& in) {
         in.sec_fetch_site = "cross-site";
         in.content_type = "text/plain";
       },
       "cross-site request refused"},
  };
  for (const auto& row : kTable) {
    SCOPED_TRACE(row.why);
    CsrfInput in = FromTheApp();
    row.change(in);
    const std::string verdict = Verdict(in);
    if (row.refusal.empty()) {
      EXPECT_EQ(verdict, "");
    } else {
      EXPECT_NE(verdict.find(row.refusal), std::string::npos) << verdict;
    }
  }
}

// Every combination of the inputs that matter, against the rule written as data: each value
// below says what the rule makes of it.
TEST(Csrf, EveryCombination) {
  const struct {
    Verb verb;
    bool safe;
  } kMethods[] = {{Verb::get, true},     {Verb::head, true}, {Verb::options, true},
                  {Verb::post, false},   {Verb::put, false}, {Verb::patch, false},
                  {Verb::delete_, false}};
  const struct {
    std::string_view value;
    bool from_site;  // when present: does it alone make the request the site's?
  } kFetchSites[] = {{"", false},
                     {"same-origin", true},
                     {"none", true},
                     {"same-site", false},
                     {"cross-site", false}};
  const struct {
    std::string_view value;
    bool from_site;  // when Sec-Fetch-Site is absent
  } kOrigins[] = {{"", false},
                  {"https://video.example.org", true},  // the public origin
                  {"http://backend:8080", true},        // scheme + Host
                  {"https://evil.example", false},
                  {"null", false}};
  const struct {
    std::string_view value;
    bool json;
  } kTypes[] = {{"", false},
                {"application/json", true},
                {"application/json;charset=UTF-8", true},
                {"application/x-www-form-urlencoded", false},
                {"multipart/form-data; boundary=b", false},
                {"text/plain", false},
                {"application/ld+json", false}};
  int allowed = 0, refused = 0;
  for (const auto& m : kMethods) {
    for (const auto& site : kFetchSites) {
      for (const auto& origin : kOrigins) {
        for (const auto& type : kTypes) {
          for (int bits = 0; bits < 8; ++bits) {
            CsrfInput in;
            in.method = m.verb;
            in.sec_fetch_site = site.value;
            in.origin = origin.value;
            in.host = "backend:8080";
            in.public_origin = kSite;
            in.content_type = type.value;
            in.has_custom_header = bits & 1;
            in.cookie_authenticated = bits & 2;
            in.bearer_authenticated = bits & 4;
            const bool from_site = site.value.empty() ? origin.from_site : site.from_site;
            const bool form_proof = type.json || in.has_custom_header;
            const bool expect_ok = m.safe || in.bearer_authenticated || !in.cookie_authenticated ||
                                   (from_site && form_proof);
            SCOPED_TRACE(std::string(bhttp::to_string(m.verb)) + " sfs=" + std::string(site.value) +
                         " origin=" + std::string(origin.value) + " ct=" + std::string(type.value) +
                         " bits=" + std::to_string(bits));
            const std::string verdict = Verdict(in);
            EXPECT_EQ(verdict.empty(), expect_ok) << verdict;
            if (!expect_ok) {
              // The message names what was missing.
              if (!from_site) {
                EXPECT_NE(verdict.find(site.value.empty() ? "Origin" : "Sec-Fetch-Site"),
                          std::string::npos)
                    << verdict;
              } else {
                EXPECT_NE(verdict.find("X-Kinora-Request"), std::string::npos) << verdict;
              }
            }
            (verdict.empty() ? allowed : refused)++;
          }
        }
      }
    }
  }
  EXPECT_EQ(allowed + refused, 7 * 5 * 5 * 7 * 8);
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace kinora::http
