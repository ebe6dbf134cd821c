#include "kinora/tus_client/protocol.h"

#include <gtest/gtest.h>

namespace kinora::tus {
namespace {

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("clip.mp4"), "Y2xpcC5tcDQ=");
}

TEST(EncodeMetadata, IsTusFormatInOrder) {
  EXPECT_EQ(EncodeMetadata({}), "");
  EXPECT_EQ(EncodeMetadata({{"filename", "clip.mp4"}, {"title", "Été"}}),
            "filename Y2xpcC5tcDQ=,title w4l0w6k=");
}

TEST(EncodeMetadata, EmptyValueIsTheBareKey) {
  EXPECT_EQ(EncodeMetadata({{"filename", "a.mp4"}, {"description", ""}}),
            "filename YS5tcDQ=,description");
}

TEST(ParseOffset, TakesDigitsOnly) {
  EXPECT_EQ(ParseOffset("0"), 0u);
  EXPECT_EQ(ParseOffset("8388608"), 8388608u);
  EXPECT_EQ(ParseOffset("9223372036854775807"), 9223372036854775807u);
  EXPECT_FALSE(ParseOffset(""));
  EXPECT_FALSE(ParseOffset("-1"));
  EXPECT_FALSE(ParseOffset("+1"));
  EXPECT_FALSE(ParseOffset(" 1"));
  EXPECT_FALSE(ParseOffset("1 "));
  EXPECT_FALSE(ParseOffset("1e3"));
  EXPECT_FALSE(ParseOffset("9223372036854775808"));
  EXPECT_FALSE(ParseOffset("99999999999999999999"));
}

TEST(ResolveLocation, JoinsPathsToTheServersOrigin) {
  EXPECT_EQ(ResolveLocation("http://127.0.0.1:8080", "/api/uploads/abc"),
            "http://127.0.0.1:8080/api/uploads/abc");
  EXPECT_EQ(ResolveLocation("https://kinora.example/base", "/api/uploads/abc"),
            "https://kinora.example/api/uploads/abc");
  EXPECT_EQ(ResolveLocation("http://a:1", "https://b/api/uploads/x"), "https://b/api/uploads/x");
  EXPECT_EQ(ResolveLocation("http://a:1", ""), "");
}

TEST(NormalizeServer, DropsTrailingSlashes) {
  EXPECT_EQ(NormalizeServer("http://a:1//"), "http://a:1");
  EXPECT_EQ(NormalizeServer("http://a:1"), "http://a:1");
}

TEST(ProblemDetail, PrefersDetailThenTitleThenBody) {
  EXPECT_EQ(ProblemDetail(422, R"({"title":"Unprocessable","detail":"not a video"})"),
            "not a video");
  EXPECT_EQ(ProblemDetail(404, R"({"title":"Not Found"})"), "Not Found");
  EXPECT_EQ(ProblemDetail(502, "bad gateway\n"), "bad gateway");
  EXPECT_EQ(ProblemDetail(404, ""), "HTTP 404");
}

}  // namespace
}  // namespace kinora::tus
