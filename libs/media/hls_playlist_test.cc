#include "kinora/media/hls_playlist.h"

#include <gtest/gtest.h>

namespace kinora::media {

TEST(HlsPlaylist, MasterListsEveryVariantWithItsAttributes) {
  SourceFacts src;
  src.width = 1280;
  src.height = 720;
  src.fps = 30;
  src.video_codec = "h264";
  src.pixel_format = "yuv420p";
  src.has_audio = true;
  Plan plan = PlanRenditions(src).value();
  std::vector<Variant> variants;
  for (const Rung& r : plan.hls) {
    variants.push_back({r, plan.codecs_attribute(r), plan.fps, r.name + "/index.m3u8"});
  }
  std::string m = MasterPlaylist(variants);
  EXPECT_EQ(m.rfind("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n", 0), 0u);
  EXPECT_NE(m.find("RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=30\n"
                   "720p/index.m3u8\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("240p/index.m3u8"), std::string::npos);
  EXPECT_EQ(m.find("1080p"), std::string::npos);
  // Tallest first.
  EXPECT_LT(m.find("720p/index.m3u8"), m.find("480p/index.m3u8"));
}

TEST(HlsPlaylist, MediaPlaylistTargetDurationCoversTheLongestSegment) {
  std::string p = MediaPlaylist(
      "init.mp4", {{4.004, "seg_00000.m4s"}, {4.004, "seg_00001.m4s"}, {1.5, "seg_00002.m4s"}});
  EXPECT_EQ(p,
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:5\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:4.004,\nseg_00000.m4s\n#EXTINF:4.004,\nseg_00001.m4s\n"
            "#EXTINF:1.5,\nseg_00002.m4s\n#EXT-X-ENDLIST\n");
  EXPECT_NE(MediaPlaylist("i.mp4", {{4.0, "a.m4s"}}).find("#EXT-X-TARGETDURATION:4\n"),
            std::string::npos);
  EXPECT_NE(MediaPlaylist("i.mp4", {}).find("#EXT-X-TARGETDURATION:1\n"), std::string::npos);
}

}  // namespace kinora::media
