#include "kinora/uploader/tus_protocol.h"

#include <gtest/gtest.h>

namespace kinora::uploader::tus {
namespace {

TEST(TusMetadata, DecodesPairsAndKeysWithoutValues) {
  // "filename world_domination_plan.pdf,is_confidential" from the tus specification.
  auto md = ParseMetadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential");
  ASSERT_TRUE(md) << md.error().message;
  EXPECT_EQ(md->at("filename"), "world_domination_plan.pdf");
  EXPECT_EQ(md->at("is_confidential"), "");
  EXPECT_TRUE(ParseMetadata("")->empty());
  auto spaced = ParseMetadata("title  aMOpbMOo , visibility cHJpdmF0ZQ==");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->at("title"), "h\xc3\xa9l\xc3\xa8");
  EXPECT_EQ(spaced->at("visibility"), "private");
}

TEST(TusMetadata, RefusesMalformedWithoutQuotingTheValue) {
  for (std::string_view bad : {"filename !!!!", "filename abc",
                               "a YQ==,,b Yg==", "a YQ==,a Yg==", "k\x01y YQ==", "filename YQ=a"}) {
    auto md = ParseMetadata(bad);
    ASSERT_FALSE(md) << bad;
    EXPECT_EQ(md.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(md.error().message.find("!!!!"), std::string::npos);
  }
}

TEST(TusNumbers, OnlyPlainDecimal) {
  EXPECT_EQ(ParseNumber("0"), 0u);
  EXPECT_EQ(ParseNumber("524288000"), 524288000u);
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1e3", "0x10", "99999999999999999999"}) {
    EXPECT_FALSE(ParseNumber(bad)) << bad;
  }
}

TEST(TusChecksum, ParsesKnownAlgorithmsAndHashes) {
  // sha1("hello") = aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d
  auto c = ParseChecksum("sha1 qvTGHdzF6KLavt4PO0gs2a6pQ00=");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->algorithm, "sha1");
  Hasher h("sha1");
  h.Update("he");
  h.Update("llo");
  EXPECT_EQ(h.Final(), c->digest);
  EXPECT_TRUE(ParseChecksum("md5 XUFAKrxLKna5cZ2REBfFkg=="));
  EXPECT_TRUE(ParseChecksum("sha256 LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="));
}

TEST(TusChecksum, RefusesUnknownAlgorithmsAndWrongDigestLengths) {
  EXPECT_FALSE(ParseChecksum("crc32 AAAAAA=="));
  EXPECT_FALSE(ParseChecksum("sha1"));
  EXPECT_FALSE(ParseChecksum("sha1 XUFAKrxLKna5cZ2REBfFkg=="));  // an md5-sized digest
  EXPECT_FALSE(ParseChecksum("sha1 not-base64"));
}

TEST(TusDates, ImfFixdate) {
  EXPECT_EQ(HttpDate(std::chrono::system_clock::time_point(std::chrono::seconds(1796551200))),
            "Sun, 06 Dec 2026 10:00:00 GMT");
}

}  // namespace
}  // namespace kinora::uploader::tus
