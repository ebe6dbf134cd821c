#include "kinora/videos/job.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace kinora::videos {
namespace {

constexpr const char* kId = "0b6f3c52-1e0a-4f43-9d5c-6b1f7d0f2a11";

TEST(ProcessingJob, ParsesTheSeedMessage) {
  auto m = ParseProcessingJob(std::string(R"({"video_id":")") + kId +
                              R"(","s3_bucket":"local","s3_video_key":"videos/x.mp4",)"
                              R"("s3_metadata_key":"metadata/x.json","original_filename":"a.mp4",)"
                              R"("correlation_id":"c1"})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->video_id, kId);
  EXPECT_EQ(m->bucket, "local");
  EXPECT_EQ(m->video_key, "videos/x.mp4");
  EXPECT_EQ(m->metadata_key, "metadata/x.json");
  EXPECT_EQ(m->original_filename, "a.mp4");
  EXPECT_EQ(m->correlation_id, "c1");
}

TEST(ProcessingJob, RoundTripsWithTheSeedFieldsAndItsVersion) {
  catalog::VideoRecord v;
  v.video_id = kId;
  v.bucket = "media";
  v.video_key = std::string("videos/") + kId + ".mov";
  v.original_filename = "holiday.mov";
  const std::string text = ToJsonText(JobFor(v, "corr-1"));
  const boost::json::object o = boost::json::parse(text).as_object();
  for (const char* seed : {"video_id", "s3_bucket", "s3_video_key", "s3_metadata_key",
                           "original_filename", "correlation_id"}) {
    EXPECT_TRUE(o.contains(seed)) << seed;
  }
  EXPECT_EQ(o.at("type").as_string(), "process");
  EXPECT_EQ(o.at("version").as_int64(), 1);
  EXPECT_EQ(o.at("s3_metadata_key").as_string(), std::string("metadata/") + kId + ".json");
  auto back = ParseProcessingJob(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->video_key, v.video_key);
  EXPECT_EQ(back->bucket, "media");
  EXPECT_EQ(back->original_filename, "holiday.mov");
  EXPECT_EQ(back->correlation_id, "corr-1");
}

// A reprocess job is version 2 with "reprocess": true; a plain job stays version 1, so workers
// from before reprocessing still take it.
TEST(ProcessingJob, AReprocessJobIsVersionTwo) {
  catalog::VideoRecord v;
  v.video_id = kId;
  v.video_key = std::string("videos/") + kId + ".mp4";
  ProcessingJob job = JobFor(v, "c");
  job.reprocess = true;
  const std::string text = ToJsonText(job);
  const boost::json::object o = boost::json::parse(text).as_object();
  EXPECT_EQ(o.at("version").as_int64(), 2);
  EXPECT_EQ(o.at("reprocess"), boost::json::value(true));
  auto back = ParseProcessingJob(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->reprocess);
  EXPECT_FALSE(ParseProcessingJob(ToJsonText(JobFor(v, "c")))->reprocess);
  EXPECT_FALSE(boost::json::parse(ToJsonText(JobFor(v, "c"))).as_object().contains("reprocess"));
  auto bad = ParseProcessingJob(std::string(R"({"version":2,"reprocess":"yes","video_id":")") +
                                kId + R"(","s3_video_key":"v"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(ProcessingJob, RefusesWhatCannotBeAJob) {
  for (std::string bad :
       {std::string("not json"), std::string("[]"),
        std::string(R"({"video_id":"../../etc","s3_video_key":"videos/x.mp4"})"),
        std::string(R"({"video_id":")") + kId + R"("})",
        std::string(R"({"version":"one","video_id":")") + kId + R"(","s3_video_key":"v"})"}) {
    auto r = ParseProcessingJob(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ProcessingJob, LeavesNewerJobsToNewerWorkers) {
  for (std::string newer :
       {std::string(R"({"version":3,"video_id":")") + kId + R"(","s3_video_key":"v"})",
        std::string(R"({"type":"reindex","video_id":")") + kId + R"(","s3_video_key":"v"})"}) {
    auto r = ParseProcessingJob(newer);
    ASSERT_FALSE(r) << newer;
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported) << newer;
  }
}

}  // namespace
}  // namespace kinora::videos
