#include "kinora/gateway/playlist_signing.h"

#include <gtest/gtest.h>

namespace kinora::gateway {
namespace {

TEST(PlaylistSigning, SignsVariantAndSegmentUrisWithThePlaylistsExpiry) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  const int64_t exp = 4102444800;
  std::string master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2\n720p/index.m3u8\n";
  std::string got = SignPlaylist(master, "processed/v/hls/master.m3u8", signer, exp);
  EXPECT_EQ(got, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2\n" +
                     signer.SignUntil("processed/v/hls/720p/index.m3u8", exp) + "\n");

  std::string media =
      "#EXTM3U\r\n#EXT-X-MAP:URI=\"init.mp4\"\r\n#EXTINF:4.0,\r\nseg_00001.m4s\r\n"
      "#EXTINF:1.0,\r\n../720p/seg_00002.m4s\r\n#EXT-X-ENDLIST\r\n";
  got = SignPlaylist(media, "processed/v/hls/480p/index.m3u8", signer, exp);
  EXPECT_EQ(got,
            "#EXTM3U\n#EXT-X-MAP:URI=\"" + signer.SignUntil("processed/v/hls/480p/init.mp4", exp) +
                "\"\n#EXTINF:4.0,\n" + signer.SignUntil("processed/v/hls/480p/seg_00001.m4s", exp) +
                "\n#EXTINF:1.0,\n" + signer.SignUntil("processed/v/hls/720p/seg_00002.m4s", exp) +
                "\n#EXT-X-ENDLIST\n");
  for (const std::string& line : {std::string("seg.m4s"), std::string("init.mp4")}) {
    EXPECT_NE(got.find("signature="), std::string::npos) << line;
  }
}

TEST(PlaylistSigning, LeavesAbsoluteAndEscapingUrisAlone) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  std::string text = "https://cdn.example/a.m3u8\n/media/x\n../../../../etc/passwd\n";
  EXPECT_EQ(SignPlaylist(text, "processed/v/master.m3u8", signer, 1), text);
}

TEST(PlaylistSigning, SegmentsMayComeStraightFromTheStoreButPlaylistsNot) {
  http::UrlSigner signer("0123456789abcdef0123456789abcdef");
  const int64_t exp = 4102444800;
  auto direct = [](const std::string& key) { return "https://s3.example/bucket/" + key + "?sig"; };
  std::string master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n";
  EXPECT_EQ(SignPlaylist(master, "processed/v/hls/master.m3u8", signer, exp, direct),
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n" +
                signer.SignUntil("processed/v/hls/720p/index.m3u8", exp) + "\n");
  std::string media = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4.0,\nseg_00001.m4s\n";
  EXPECT_EQ(
      SignPlaylist(media, "processed/v/hls/720p/index.m3u8", signer, exp, direct),
      "#EXTM3U\n#EXT-X-MAP:URI=\"https://s3.example/bucket/processed/v/hls/720p/init.mp4?sig\"\n"
      "#EXTINF:4.0,\nhttps://s3.example/bucket/processed/v/hls/720p/seg_00001.m4s?sig\n");
  // A store without direct URLs (local files) leaves everything on the gateway.
  auto none = [](const std::string&) { return std::string(); };
  EXPECT_EQ(SignPlaylist(media, "processed/v/hls/720p/index.m3u8", signer, exp, none),
            SignPlaylist(media, "processed/v/hls/720p/index.m3u8", signer, exp));
}

}  // namespace
}  // namespace kinora::gateway
