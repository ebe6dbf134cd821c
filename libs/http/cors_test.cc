#include "kinora/http/cors.h"

#include <gtest/gtest.h>

#include <string>

#include "kinora/http/csrf.h"

namespace kinora::http {
namespace {

CorsPolicy Policy(std::string_view list) {
  auto parsed = CorsPolicy::Parse(list);
  EXPECT_TRUE(parsed) << list;
  return parsed ? *parsed : CorsPolicy();
}

std::string Header(const bhttp::fields& h, std::string_view name) {
  auto it = h.find(name);
  return it == h.end() ? "<absent>" : std::string(it->value());
}

TEST(Origins, ParsesAndNormalizesAsBrowsersSerialize) {
  auto parsed = ParseOrigins(
      " https://App.Example.org/, http://localhost:5173,,https://a.example:443, "
      "http://b.example:80, https://c.example:8443, http://[::1]:8080, http://127.0.0.1, "
      "https://app.example.org");
  ASSERT_TRUE(parsed);
  const std::vector<std::string> expected = {"https://app.example.org", "http://localhost:5173",
                                             "https://a.example",       "http://b.example",
                                             "https://c.example:8443",  "http://[::1]:8080",
                                             "http://127.0.0.1"};  // the repeated origin once
  EXPECT_EQ(*parsed, expected);
  for (const auto& o : expected) EXPECT_TRUE(IsSerializedOrigin(o)) << o;
  EXPECT_TRUE(ParseOrigins("")->empty());
  EXPECT_TRUE(ParseOrigins(" , ")->empty());
}

TEST(Origins, RefusesWhatIsNotAnOrigin) {
  for (std::string_view bad :
       {"*", "app.example.org", "https://", "https://app.example.org/path", "ftp://a.example",
        "https://user@a.example", "https://a.example:0", "https://a.example:65536",
        "https://a.example:", "https://a.example:08080", "https://a.example:http",
        "https://a b.example", "https://*.example.org", "https://a.example?x", "null",
        "https://[::1", "https://[]", "https://.example", "https://a.example; script-src *"}) {
    SCOPED_TRACE(bad);
    auto parsed = ParseOrigins(std::string("https://ok.example, ") + std::string(bad));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(bad), std::string::npos) << parsed.error().message;
    EXPECT_FALSE(IsSerializedOrigin(bad));
  }
  EXPECT_FALSE(IsSerializedOrigin("HTTPS://a.example"));      // not as a browser sends it
  EXPECT_FALSE(IsSerializedOrigin("https://a.example:443"));  // idem
  EXPECT_FALSE(IsSerializedOrigin("https://a.example/"));
}

TEST(Cors, PreflightIsOptionsAskingForAMethod) {
  EXPECT_TRUE(IsPreflight(Verb::options, "POST"));
  EXPECT_FALSE(IsPreflight(Verb::options, ""));
  EXPECT_FALSE(IsPreflight(Verb::post, "POST"));
}

TEST(Cors, OnlyAListedOriginIsEchoed) {
  const auto policy = Policy("https://app.example.org, http://localhost:5173");
  EXPECT_TRUE(policy.Allows("https://app.example.org"));
  EXPECT_TRUE(policy.Allows("http://localhost:5173"));
  EXPECT_FALSE(policy.Allows("https://evil.example"));
  EXPECT_FALSE(policy.Allows("https://app.example.org.evil.example"));
  EXPECT_FALSE(policy.Allows("http://app.example.org"));
  EXPECT_FALSE(policy.Allows("https://APP.example.org"));  // browsers send lower case
  EXPECT_FALSE(policy.Allows("null"));
  EXPECT_FALSE(policy.Allows(""));
  EXPECT_FALSE(policy.CorsHeadersFor("https://evil.example", false));
  EXPECT_FALSE(policy.CorsHeadersFor("", true));

  auto h = policy.CorsHeadersFor("http://localhost:5173", false);
  ASSERT_TRUE(h);
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Origin"), "http://localhost:5173");
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(Header(*h, "Vary"), "Origin");
  EXPECT_NE(Header(*h, "Access-Control-Expose-Headers").find("Retry-After"), std::string::npos);
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Methods"), "<absent>");
  EXPECT_EQ(Header(*h, "Access-Control-Max-Age"), "<absent>");
}

TEST(Cors, PreflightNamesMethodsHeadersAndMaxAge) {
  auto h = Policy("https://app.example.org").CorsHeadersFor("https://app.example.org", true);
  ASSERT_TRUE(h);
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Origin"), "https://app.example.org");
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(Header(*h, "Access-Control-Allow-Methods"),
            "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
  const std::string allowed = Header(*h, "Access-Control-Allow-Headers");
  for (std::string_view name :
       {"Authorization", "Content-Type", "X-Correlation-ID", "Range", "Tus-Resumable",
        "Upload-Offset", "Upload-Length", "Upload-Metadata"}) {
    EXPECT_NE(allowed.find(name), std::string::npos) << name;
  }
  EXPECT_NE(allowed.find(kKinoraRequestHeader), std::string::npos);
  EXPECT_EQ(Header(*h, "Access-Control-Max-Age"), "600");
  EXPECT_EQ(Header(*h, "Access-Control-Expose-Headers"), "<absent>");
}

TEST(Cors, OffByDefault) {
  CorsPolicy none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Allows("https://app.example.org"));
  Response r;
  none.Apply(r, "https://app.example.org", false);
  EXPECT_EQ(r.headers.begin(), r.headers.end());  // not even Vary
  EXPECT_TRUE(Policy(" ").empty());
}

TEST(Cors, ApplyAddsVaryToEveryAnswerWhenOn) {
  const auto policy = Policy("https://app.example.org");
  Response other;
  policy.Apply(other, "https://evil.example", false);
  EXPECT_EQ(Header(other.headers, "Vary"), "Origin");
  EXPECT_EQ(Header(other.headers, "Access-Control-Allow-Origin"), "<absent>");

  Response same_origin;  // no Origin header at all
  policy.Apply(same_origin, "", false);
  EXPECT_EQ(Header(same_origin.headers, "Vary"), "Origin");

  Response listed;
  listed.headers.set(bhttp::field::vary, "Accept-Encoding");
  policy.Apply(listed, "https://app.example.org", false);
  EXPECT_EQ(Header(listed.headers, "Vary"), "Accept-Encoding, Origin");
  EXPECT_EQ(Header(listed.headers, "Access-Control-Allow-Origin"), "https://app.example.org");
  EXPECT_EQ(Header(listed.headers, "Access-Control-Allow-Credentials"), "true");

  Response already;
  already.headers.set(bhttp::field::vary, "accept-encoding, origin");
  already.headers.set(bhttp::field::access_control_expose_headers, "X-Custom");
  policy.Apply(already, "https://app.example.org", false);
  EXPECT_EQ(Header(already.headers, "Vary"), "accept-encoding, origin");
  EXPECT_EQ(Header(already.headers, "Access-Control-Expose-Headers"), "X-Custom");

  Response star;
  star.headers.set(bhttp::field::vary, "*");
  policy.Apply(star, "https://app.example.org", true);
  EXPECT_EQ(Header(star.headers, "Vary"), "*");
  EXPECT_EQ(Header(star.headers, "Access-Control-Max-Age"), "600");
}

}  // namespace
}  // namespace kinora::http
