#include "kinora/storage/object_store.h"

#include <gtest/gtest.h>

namespace kinora::storage {
namespace {

TEST(ValidateKeyTest, AcceptsSeedLayoutKeys) {
  for (const char* key : {"videos/0b6f.mp4", "metadata/x.json", "thumbnails/x.jpg",
                          "processed/x/720p/seg_001.m4s", "a", "a.b-c_d", ".hidden/x", "..x"}) {
    EXPECT_TRUE(ValidateKey(key)) << key;
  }
}

TEST(ValidateKeyTest, RejectsPathTricks) {
  for (const char* key : {"", "/", "/a", "a/", "a//b", "./a", "a/.", "../a", "a/../b", "a\\b",
                          "a b", "a?b", "a%2e", "ü"}) {
    auto r = ValidateKey(key);
    ASSERT_FALSE(r) << key;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ValidateKey(std::string("a\0b", 3)));
  EXPECT_FALSE(ValidateKey(std::string(1025, 'a')));
  EXPECT_TRUE(ValidateKey(std::string(1024, 'a')));
}

TEST(GuessContentTypeTest, KnownExtensions) {
  EXPECT_EQ(GuessContentType("videos/a.mp4"), "video/mp4");
  EXPECT_EQ(GuessContentType("a.M4V"), "video/x-m4v");
  EXPECT_EQ(GuessContentType("a.mov"), "video/quicktime");
  EXPECT_EQ(GuessContentType("a.avi"), "video/x-msvideo");
  EXPECT_EQ(GuessContentType("processed/v/storyboard/storyboard.vtt"), "text/vtt");
  EXPECT_EQ(GuessContentType("a.webm"), "video/webm");
  EXPECT_EQ(GuessContentType("a.mkv"), "video/x-matroska");
  EXPECT_EQ(GuessContentType("a.flv"), "video/x-flv");
  EXPECT_EQ(GuessContentType("a.wmv"), "video/x-ms-wmv");
  EXPECT_EQ(GuessContentType("p/master.m3u8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(GuessContentType("p/seg.m4s"), "video/iso.segment");
  EXPECT_EQ(GuessContentType("p/seg.ts"), "video/mp2t");
  EXPECT_EQ(GuessContentType("t.jpg"), "image/jpeg");
  EXPECT_EQ(GuessContentType("t.JPEG"), "image/jpeg");
  EXPECT_EQ(GuessContentType("t.png"), "image/png");
  EXPECT_EQ(GuessContentType("t.webp"), "image/webp");
  EXPECT_EQ(GuessContentType("metadata/x.json"), "application/json");
}

TEST(GuessContentTypeTest, UnknownIsOctetStream) {
  for (const char* key : {"a", "a.", "a.exe", "dir.mp4/file", ".mp4x", "a.mp4.part"}) {
    EXPECT_EQ(GuessContentType(key), "application/octet-stream") << key;
  }
}

TEST(OpenObjectStoreTest, RejectsUnknownSchemesClearly) {
  for (const char* url : {"http://example.com/x", "gs://bucket", "ftp://x/y"}) {
    auto r = OpenObjectStore(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    std::string scheme(std::string_view(url).substr(0, std::string_view(url).find(':')));
    EXPECT_NE(r.error().message.find("'" + scheme + "'"), std::string::npos) << r.error().message;
  }
  for (const char* url :
       {"", "not a url", "/abs/dir", "file://host/dir", "file:relative", "file:///dir?x=1"}) {
    auto r = OpenObjectStore(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

}  // namespace
}  // namespace kinora::storage
