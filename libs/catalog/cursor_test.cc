#include "cursor.h"

#include <gtest/gtest.h>

#include <random>

namespace kinora::catalog {
namespace {

TEST(CatalogBase64Url, RoundTripsEveryLength) {
  std::mt19937 rng(7);
  for (size_t len = 0; len < 40; ++len) {
    std::string bytes(len, '\0');
    for (auto& b : bytes) b = static_cast<char>(rng() & 0xff);
    std::string text = Base64UrlEncode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back_r = Base64UrlDecode(text);
    ASSERT_TRUE(back_r) << text;
    auto& back = back_r.value();
    EXPECT_EQ(back, bytes);
  }
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_FALSE(Base64UrlDecode("Zm8="));  // padding is not ours
  EXPECT_FALSE(Base64UrlDecode("Z"));     // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zm9"));   // non-zero leftover bits: a second spelling of "fo"
  EXPECT_FALSE(Base64UrlDecode("a+b/"));
}

TEST(CatalogCursor, RoundTripsIntegerAndRealPositions) {
  CursorPosition a{SortKey::kViews, true, int64_t{-9007199254740993}, "id|with|bars"};
  auto back_r = DecodeCursor(EncodeCursor(a));
  ASSERT_TRUE(back_r) << back_r.error().message;
  auto& back = back_r.value();
  EXPECT_EQ(back.sort, SortKey::kViews);
  EXPECT_TRUE(back.descending);
  EXPECT_EQ(std::get<int64_t>(back.value), -9007199254740993);
  EXPECT_EQ(back.video_id, "id|with|bars");

  for (double d : {1.0 / 3.0, -1.0, 0.0, 1e-300, 123456.789}) {
    CursorPosition p{SortKey::kEngagement, false, d, "x"};
    auto r_r = DecodeCursor(EncodeCursor(p));
    ASSERT_TRUE(r_r);
    auto& r = r_r.value();
    EXPECT_EQ(std::get<double>(r.value), d);  // exact, not approximately
    EXPECT_FALSE(r.descending);
  }
}

TEST(CatalogCursor, RejectsAnythingElse) {
  for (std::string bad :
       {std::string(), std::string("@@@"), Base64UrlEncode("k1|views|d|12"),
        Base64UrlEncode("k2|views|d|12|id"), Base64UrlEncode("k1|bogus|d|12|id"),
        Base64UrlEncode("k1|views|x|12|id"), Base64UrlEncode("k1|views|d|12.5|id"),
        Base64UrlEncode("k1|views|d||id"), Base64UrlEncode("k1|engagement|d|nan|id"),
        Base64UrlEncode("k1|views|d|12|"), Base64UrlEncode("k1|views|d|99999999999999999999|id")}) {
    auto r = DecodeCursor(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace kinora::catalog
