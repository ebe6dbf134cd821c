#include "kinora/catalog/video.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kinora/core/json_text.h"

namespace kinora::catalog {
namespace {

namespace json = boost::json;

VideoRecord Full() {
  VideoRecord v;
  SetAnalysis(v, json::parse(R"({"status":"complete","integrated_lufs":-6.5,"true_peak_dbtp":0.4,)"
                             R"("scene_count":2,"black_seconds":0,"frozen_seconds":0,)"
                             R"("silent_seconds":0,"flags":["too_loud","clipping"]})")
                     .as_object());
  v.video_id = "0b6f0a52-8f5e-4a57-9a4f-2b1f4f0d9c11";
  v.title = "Cat";
  v.description = "A cat";
  v.original_filename = "cat.MOV";
  v.file_extension = "mov";
  v.content_type = "video/quicktime";
  v.size = 1000;
  v.bucket = "local";
  v.video_key = "videos/" + v.video_id + ".mov";
  v.uploaded_at = SysTime{std::chrono::milliseconds(1764000000123)};
  v.status = VideoStatus::kProcessed;
  v.progress = 1;
  v.views = 3;
  v.likes = 1;
  v.duration_seconds = 3725.9;
  v.width = 640;
  v.height = 360;
  v.fps = 25;
  v.container = "mov,mp4,m4a,3gp,3g2,mj2";
  v.video_codec = "h264";
  v.bitrate = 800000;
  v.renditions_json = R"([{"height":360}])";
  v.mp4_key = "processed/x/video.mp4";
  v.processed_at = v.uploaded_at + std::chrono::seconds(5);
  v.processing_seconds = 4.25;
  v.processed_bytes = 500;
  v.correlation_id = "c1";
  v.owner_id = "u-42";
  v.visibility = "private";
  v.media_generation = 2;
  return v;
}

TEST(CatalogVideoStatus, StringsRoundTripCaseInsensitively) {
  for (auto s : {VideoStatus::kUploaded, VideoStatus::kProcessing, VideoStatus::kProcessed,
                 VideoStatus::kFailed}) {
    EXPECT_EQ(ParseVideoStatus(ToString(s)), s);
  }
  EXPECT_EQ(ParseVideoStatus("processed"), VideoStatus::kProcessed);
  EXPECT_EQ(ParseVideoStatus("Failed"), VideoStatus::kFailed);
  EXPECT_FALSE(ParseVideoStatus("DONE"));
  EXPECT_FALSE(ParseVideoStatus(""));
}

TEST(CatalogVideo, EngagementIsLikesPerView) {
  VideoRecord v;
  EXPECT_EQ(Engagement(v), 0);
  v.likes = 2;
  EXPECT_EQ(Engagement(v), 2);  // no views yet: divided by 1
  v.views = 8;
  EXPECT_EQ(Engagement(v), 0.25);
}

TEST(CatalogVideo, ToJsonEmitsEveryContractField) {
  json::object o = ToJson(Full());
  for (const char* f : {"video_id",
                        "title",
                        "description",
                        "filename",
                        "original_filename",
                        "file_extension",
                        "content_type",
                        "size",
                        "file_size",
                        "s3_bucket",
                        "s3_key",
                        "s3_video_key",
                        "timestamp",
                        "uploaded_at",
                        "upload_timestamp",
                        "status",
                        "error",
                        "progress",
                        "views",
                        "likes",
                        "engagement",
                        "runtime",
                        "duration_seconds",
                        "width",
                        "height",
                        "fps",
                        "container",
                        "video_codec",
                        "audio_codec",
                        "bitrate",
                        "renditions",
                        "processed_url",
                        "thumbnail_url",
                        "video_url",
                        "hls_url",
                        "thumbnail_key",
                        "mp4_key",
                        "hls_key",
                        "processed_timestamp",
                        "processing_seconds",
                        "processed_bytes",
                        "correlation_id",
                        "owner_id",
                        "visibility",
                        "media_generation"}) {
    EXPECT_TRUE(o.contains(f)) << f;
  }
  auto v = Full();
  EXPECT_EQ(o["filename"], json::value("cat.MOV"));  // the seed's: the name as uploaded
  EXPECT_EQ(o["size"], o["file_size"]);
  EXPECT_EQ(o["s3_key"], json::value(v.video_key));
  EXPECT_EQ(o["s3_video_key"], json::value(v.video_key));
  EXPECT_EQ(o["timestamp"], json::value(1764000000));  // the seed's integer epoch seconds
  EXPECT_EQ(o["upload_timestamp"], o["timestamp"]);
  EXPECT_EQ(o["uploaded_at"], json::value("2025-11-24T16:00:00.123Z"));
  EXPECT_EQ(o["status"], json::value("PROCESSED"));
  EXPECT_TRUE(o["error"].is_null());
  EXPECT_TRUE(o["audio_codec"].is_null());
  EXPECT_TRUE(o["thumbnail_key"].is_null());
  EXPECT_TRUE(o["video_url"].is_null());
  EXPECT_TRUE(o["processed_url"].is_null());
  EXPECT_EQ(o["engagement"].as_double(), 0.3333);
  EXPECT_EQ(o["runtime"], json::value(3725));  // the seed's integer seconds
  EXPECT_EQ(o["renditions"], json::parse(R"([{"height":360}])"));
  EXPECT_EQ(o["processed_timestamp"], json::value("2025-11-24T16:00:05.123Z"));
  EXPECT_EQ(o["processing_seconds"].as_double(), 4.25);
  EXPECT_EQ(o["owner_id"], json::value("u-42"));
  EXPECT_EQ(o["visibility"], json::value("private"));
  EXPECT_EQ(o["media_generation"], json::value(2));
  EXPECT_TRUE(ToJson(VideoRecord{})["owner_id"].is_null());  // no owner (before accounts)
  EXPECT_EQ(ToJson(VideoRecord{})["visibility"], json::value("public"));
}

// The order is part of the contract (the integration tests compare documents as text); it follows
// the column table (columns.h) with the derived fields placed by video.cc.
TEST(CatalogVideo, FieldsComeInTheContractsOrder) {
  const VideoUrls urls{"o", "v", "h", "t", "p", "m"};
  std::string text;
  AppendJson(text, Full(), &urls);
  std::vector<std::string> keys;
  const json::value doc = json::parse(text);
  for (const auto& kv : doc.as_object()) keys.emplace_back(kv.key());
  const std::vector<std::string> want = {"video_id",
                                         "title",
                                         "description",
                                         "filename",
                                         "original_filename",
                                         "file_extension",
                                         "content_type",
                                         "size",
                                         "file_size",
                                         "s3_bucket",
                                         "s3_key",
                                         "s3_video_key",
                                         "timestamp",
                                         "uploaded_at",
                                         "upload_timestamp",
                                         "status",
                                         "error",
                                         "progress",
                                         "views",
                                         "likes",
                                         "engagement",
                                         "runtime",
                                         "duration_seconds",
                                         "width",
                                         "height",
                                         "fps",
                                         "container",
                                         "video_codec",
                                         "audio_codec",
                                         "bitrate",
                                         "renditions",
                                         "probe",
                                         "processed_url",
                                         "thumbnail_url",
                                         "video_url",
                                         "hls_url",
                                         "poster_url",
                                         "original_url",
                                         "thumbnail_key",
                                         "mp4_key",
                                         "hls_key",
                                         "poster_key",
                                         "processed_timestamp",
                                         "processing_seconds",
                                         "processed_bytes",
                                         "analysis",
                                         "correlation_id",
                                         "owner_id",
                                         "visibility",
                                         "media_generation"};
  EXPECT_EQ(keys, want);
}

TEST(CatalogVideo, RuntimeIsWholeSeconds) {
  auto runtime = [](std::optional<double> d) {
    VideoRecord v;
    v.duration_seconds = d;
    return ToJson(v)["runtime"];
  };
  EXPECT_EQ(runtime(0.4), json::value(0));
  EXPECT_EQ(runtime(59.99), json::value(59));
  EXPECT_EQ(runtime(3600), json::value(3600));
  EXPECT_EQ(runtime(std::nullopt), json::value(0));  // the seed's "not known yet"
  EXPECT_EQ(runtime(-1), json::value(0));
  VideoRecord none;
  EXPECT_TRUE(ToJson(none)["duration_seconds"].is_null());
  EXPECT_TRUE(ToJson(none)["processed_timestamp"].is_null());
  EXPECT_TRUE(ToJson(none)["processing_seconds"].is_null());
}

TEST(CatalogVideo, FromJsonInvertsToJson) {
  auto v = Full();
  auto back_r = FromJson(ToJson(v));
  ASSERT_TRUE(back_r) << back_r.error().message;
  auto& back = back_r.value();
  EXPECT_EQ(ToJson(back), ToJson(v));
  EXPECT_EQ(back.renditions_json, R"([{"height":360}])");
  EXPECT_EQ(UnixMillis(back.uploaded_at), UnixMillis(v.uploaded_at));
  EXPECT_EQ(back.duration_seconds, v.duration_seconds);
  EXPECT_EQ(back.views, 3);
  EXPECT_EQ(back.owner_id, "u-42");
  EXPECT_EQ(back.visibility, "private");
  EXPECT_EQ(back.media_generation, 2);
  EXPECT_EQ(back.analysis_json, v.analysis_json);
  EXPECT_EQ(back.analysis_flags, ",too_loud,clipping,");  // derived from the summary's flags
}

// The analysis summary is an object in the JSON ("none" before any analysis), and its flags
// become the filter column.
TEST(CatalogVideo, AnalysisIsTheSummaryObject) {
  const json::object none = ToJson(VideoRecord{})["analysis"].as_object();
  EXPECT_EQ(none.at("status"), json::value("none"));
  EXPECT_TRUE(none.at("integrated_lufs").is_null());
  EXPECT_TRUE(none.at("flags").as_array().empty());
  VideoRecord v;
  SetAnalysis(v, json::parse(R"({"status":"incomplete","flags":["no_audio", 3, ""]})").as_object());
  EXPECT_EQ(v.analysis_flags, ",no_audio,");
  EXPECT_EQ(ToJson(v)["analysis"].at("status"), json::value("incomplete"));
  std::string text;
  AppendJson(text, v, nullptr);
  EXPECT_EQ(json::parse(text).at("analysis"), ToJson(v)["analysis"]);
  EXPECT_EQ(FlagToken("black"), ",black,");
}

TEST(CatalogVideo, FromJsonToleratesSeedShapedDocuments) {
  auto o = json::parse(R"({"video_id":"abc","s3_key":"videos/abc.mp4","s3_bucket":"b",
      "timestamp":"2024-05-01T10:00:00Z","file_size":42,"status":"uploaded"})")
               .as_object();
  auto v_r = FromJson(o);
  ASSERT_TRUE(v_r) << v_r.error().message;
  auto& v = v_r.value();
  EXPECT_EQ(v.video_key, "videos/abc.mp4");
  EXPECT_EQ(v.file_extension, "mp4");
  EXPECT_EQ(v.size, 42);
  EXPECT_EQ(v.status, VideoStatus::kUploaded);
  EXPECT_EQ(FormatIso8601(v.uploaded_at), "2024-05-01T10:00:00Z");  // Kinora's older ISO text
  EXPECT_EQ(v.renditions_json, "[]");
  EXPECT_FALSE(v.duration_seconds);
  // Made before accounts: no owner, public, generation 0.
  EXPECT_EQ(v.owner_id, "");
  EXPECT_EQ(v.visibility, "public");
  EXPECT_EQ(v.media_generation, 0);
}

// metadata/{id}.json as the seed's uploader and processor write it.
TEST(CatalogVideo, FromJsonReadsTheSeedsMetadata) {
  auto o = json::parse(R"({"video_id":"abc","filename":"My holiday.mp4",
      "original_filename":"My holiday.mp4","file_extension":"mp4","content_type":"video/mp4",
      "size":2048,"file_size":2048,"s3_bucket":"video-analytics-uploads",
      "s3_key":"videos/abc.mp4","s3_video_key":"videos/abc.mp4","processed_url":null,
      "thumbnail_url":"thumbnails/abc.jpg","timestamp":1714557600,
      "upload_timestamp":1714557600,"runtime":65,"status":"PROCESSED","views":7,"likes":2,
      "engagement":9})")
               .as_object();
  auto v_r = FromJson(o);
  ASSERT_TRUE(v_r) << v_r.error().message;
  auto& v = v_r.value();
  EXPECT_EQ(v.original_filename, "My holiday.mp4");
  EXPECT_EQ(v.size, 2048);
  EXPECT_EQ(v.bucket, "video-analytics-uploads");
  EXPECT_EQ(FormatIso8601(v.uploaded_at), "2024-05-01T10:00:00Z");
  EXPECT_EQ(v.duration_seconds, 65.0);
  EXPECT_EQ(v.thumbnail_key, "thumbnails/abc.jpg");
  EXPECT_EQ(v.status, VideoStatus::kProcessed);
  EXPECT_EQ(v.views, 7);
  EXPECT_EQ(v.likes, 2);
  // And back out in the seed's types.
  json::object back = ToJson(v);
  EXPECT_EQ(back["timestamp"], json::value(1714557600));
  EXPECT_EQ(back["runtime"], json::value(65));
  EXPECT_EQ(back["filename"], json::value("My holiday.mp4"));
  // Only filename given: it is the original name; runtime 0 means unknown.
  auto bare = FromJson(json::parse(R"({"video_id":"a","s3_key":"videos/a.mp4",
      "filename":"x.mp4","upload_timestamp":1714557600.5,"runtime":0})")
                           .as_object());
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->original_filename, "x.mp4");
  EXPECT_EQ(UnixMillis(bare->uploaded_at), 1714557600500);
  EXPECT_FALSE(bare->duration_seconds);
}

TEST(CatalogVideo, FromJsonRejectsMissingIdentityAndWrongTypes) {
  for (const char* doc : {R"({"s3_video_key":"videos/a.mp4"})", R"({"video_id":"a"})",
                          R"({"video_id":"","s3_video_key":"k"})",
                          R"({"video_id":"a","s3_video_key":"k","views":"many"})",
                          R"({"video_id":"a","s3_video_key":"k","title":5})",
                          R"({"video_id":"a","s3_video_key":"k","status":"DONE"})",
                          R"({"video_id":"a","s3_video_key":"k","timestamp":"yesterday"})",
                          R"({"video_id":"a","s3_video_key":"k","timestamp":-5})",
                          R"({"video_id":"a","s3_video_key":"k","upload_timestamp":true})",
                          R"({"video_id":"a","s3_video_key":"k","renditions":{}})",
                          R"({"video_id":"a","s3_video_key":"k","views":1.5})",
                          R"({"video_id":"a","s3_video_key":"k","visibility":"secret"})",
                          R"({"video_id":"a","s3_video_key":"k","visibility":"Public"})",
                          R"({"video_id":"a","s3_video_key":"k","visibility":1})",
                          R"({"video_id":"a","s3_video_key":"k","owner_id":7})",
                          R"({"video_id":"a","s3_video_key":"k","media_generation":-1})"}) {
    auto v = FromJson(json::parse(doc).as_object());
    ASSERT_FALSE(v) << doc;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument) << doc;
  }
}

}  // namespace
}  // namespace kinora::catalog

namespace kinora::catalog {
namespace {

TEST(CatalogVideo, AppendJsonIsTheSameDocumentAsToJson) {
  VideoRecord v = Full();
  v.title = "Quotes \" and \\ and \n and \x01 and ünïcødé";
  v.renditions_json = R"([{"height":720,"bandwidth":2500000}])";
  VideoUrls urls{"/media/o?x=1", "/media/v", "", "/media/t", "/media/p", "/media/v"};
  v.probe_json = R"({"rotation":90,"fps":29.97})";
  const VideoUrls* cases[] = {nullptr, &urls};
  for (const VideoUrls* u : cases) {
    std::string text;
    AppendJson(text, v, u);
    EXPECT_EQ(text, ToJsonText(ToJson(v, u)));  // byte for byte, with the same number format
    EXPECT_TRUE(boost::json::parse(text).is_object());
  }
  VideoRecord empty;
  std::string text;
  AppendJson(text, empty, nullptr);
  EXPECT_EQ(text, ToJsonText(ToJson(empty)));
}

}  // namespace
}  // namespace kinora::catalog
