#include "kinora/processor/job_message.h"

#include <gtest/gtest.h>

namespace kinora::processor {
namespace {

constexpr const char* kId = "0b6f3c52-1e0a-4f43-9d5c-6b1f7d0f2a11";

TEST(JobMessage, ParsesTheSeedMessage) {
  auto m = ParseJobMessage(std::string(R"({"video_id":")") + kId +
                           R"(","s3_bucket":"local","s3_video_key":"videos/x.mp4",)"
                           R"("s3_metadata_key":"metadata/x.json","original_filename":"a.mp4",)"
                           R"("correlation_id":"c1"})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->video_id, kId);
  EXPECT_EQ(m->video_key, "videos/x.mp4");
  EXPECT_EQ(m->correlation_id, "c1");
}

TEST(JobMessage, RefusesWhatCannotBeAJob) {
  EXPECT_FALSE(ParseJobMessage("not json"));
  EXPECT_FALSE(ParseJobMessage("[]"));
  EXPECT_FALSE(ParseJobMessage(R"({"video_id":"../../etc","s3_video_key":"videos/x.mp4"})"));
  EXPECT_FALSE(ParseJobMessage(std::string(R"({"video_id":")") + kId + R"("})"));
}

TEST(JobMessage, OutputKeysFollowTheSeedLayout) {
  EXPECT_EQ(OutputKey(kId, "thumbnail.jpg"), std::string("thumbnails/") + kId + ".jpg");
  EXPECT_EQ(OutputKey(kId, "hls/720p/seg_00001.m4s"),
            std::string("processed/") + kId + "/hls/720p/seg_00001.m4s");
  EXPECT_EQ(OutputKey(kId, "video.mp4"), std::string("processed/") + kId + "/video.mp4");
}

}  // namespace
}  // namespace kinora::processor
