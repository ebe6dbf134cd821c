#include "kinora/gateway/storyboard_signing.h"

#include <gtest/gtest.h>

namespace kinora::gateway {
namespace {

constexpr std::string_view kKey = "processed/v/storyboard/storyboard.vtt";

TEST(StoryboardSigning, SignsEveryCueUriWithTheTracksExpiryAndKeepsTheFragment) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  const int64_t exp = 4102444800;
  const std::string vtt =
      "WEBVTT\r\n\r\n"
      "00:00:00.000 --> 00:00:01.000\r\nsprite_000.jpg#xywh=0,0,160,90\r\n\r\n"
      "2\n00:00:01.000 --> 00:00:02.000\nsprite_000.jpg#xywh=160,0,160,90\n\n"
      "00:01:40.000 --> 00:01:41.000\nsprite_001.jpg#xywh=0,0,160,90\n";
  const std::string s0 = signer.SignUntil("processed/v/storyboard/sprite_000.jpg", exp, 7);
  const std::string s1 = signer.SignUntil("processed/v/storyboard/sprite_001.jpg", exp, 7);
  EXPECT_EQ(SignStoryboard(vtt, kKey, signer, exp, 7),
            "WEBVTT\n\n"
            "00:00:00.000 --> 00:00:01.000\n" +
                s0 + "#xywh=0,0,160,90\n\n" + "2\n00:00:01.000 --> 00:00:02.000\n" + s0 +
                "#xywh=160,0,160,90\n\n" + "00:01:40.000 --> 00:01:41.000\n" + s1 +
                "#xywh=0,0,160,90\n");
  EXPECT_NE(s0.find("expires=4102444800"), std::string::npos) << s0;
  // Another generation is another signature: a visibility change revokes the sprites too.
  EXPECT_NE(signer.SignUntil("processed/v/storyboard/sprite_000.jpg", exp, 8), s0);
}

TEST(StoryboardSigning, LeavesHeadersNotesAbsoluteAndEscapingUrisAlone) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  const std::string vtt =
      "WEBVTT - storyboard.jpg\n\nNOTE sprite_000.jpg is the first sheet\n\n"
      "00:00:00.000 --> 00:00:01.000\nhttps://cdn.example/s.jpg#xywh=0,0,1,1\n\n"
      "00:00:01.000 --> 00:00:02.000\n/media/x.jpg\n\n"
      "00:00:02.000 --> 00:00:03.000\n../../../../etc/passwd#xywh=0,0,1,1\n";
  EXPECT_EQ(SignStoryboard(vtt, kKey, signer, 1), vtt);
}

TEST(StoryboardSigning, ATrackWithoutCuesIsUnchanged) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  EXPECT_EQ(SignStoryboard("WEBVTT\n", kKey, signer, 1), "WEBVTT\n");
  EXPECT_EQ(SignStoryboard("", kKey, signer, 1), "");
}

}  // namespace
}  // namespace kinora::gateway
