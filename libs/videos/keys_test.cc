#include "kinora/videos/keys.h"

#include <gtest/gtest.h>

namespace kinora::videos {
namespace {

constexpr const char* kId = "0b6f3c52-1e0a-4f43-9d5c-6b1f7d0f2a11";

TEST(Keys, FollowTheSeedLayout) {
  const std::string id = kId;
  EXPECT_EQ(OriginalKey(id, "mkv"), "videos/" + id + ".mkv");
  EXPECT_EQ(MetadataKey(id), "metadata/" + id + ".json");
  EXPECT_EQ(ThumbnailKey(id), "thumbnails/" + id + ".jpg");
  EXPECT_EQ(ProcessedPrefix(id), "processed/" + id + "/");
  EXPECT_EQ(OutputKey(id, "thumbnail.jpg"), "thumbnails/" + id + ".jpg");
  EXPECT_EQ(OutputKey(id, "hls/720p/seg_00001.m4s"), "processed/" + id + "/hls/720p/seg_00001.m4s");
  EXPECT_EQ(OutputKey(id, "video.mp4"), "processed/" + id + "/video.mp4");
}

TEST(Keys, MetadataKeysNameTheirVideo) {
  EXPECT_EQ(VideoIdOfMetadataKey(MetadataKey(kId)), kId);
  for (const char* other :
       {"metadata/.json", "metadata/a/b.json", "videos/x.json", "metadata/x.txt", "metadata/"}) {
    EXPECT_FALSE(VideoIdOfMetadataKey(other)) << other;
  }
}

}  // namespace
TEST(Keys, MediaKeysNameTheirVideo) {
  EXPECT_EQ(VideoIdOfMediaKey("videos/abc.mp4"), "abc");
  EXPECT_EQ(VideoIdOfMediaKey("thumbnails/abc.jpg"), "abc");
  EXPECT_EQ(VideoIdOfMediaKey("processed/abc/hls/720p/seg_00001.m4s"), "abc");
  EXPECT_EQ(VideoIdOfMediaKey("processed/abc/video.mp4"), "abc");
  EXPECT_EQ(VideoIdOfMediaKey("metadata/abc.json"), std::nullopt);
  EXPECT_EQ(VideoIdOfMediaKey("videos/a/b.mp4"), std::nullopt);
  EXPECT_EQ(VideoIdOfMediaKey("videos/.mp4"), std::nullopt);
  EXPECT_EQ(VideoIdOfMediaKey("processed/abc"), std::nullopt);
  EXPECT_EQ(VideoIdOfMediaKey("signing.key"), std::nullopt);
}

}  // namespace kinora::videos
