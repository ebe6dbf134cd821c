// The S3 backend's pieces that need no server: URL and environment parsing, XML answers,
// error mapping. The contract suite against a real S3 peer is in s3_store_test.cc.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <optional>
#include <string>

#include "kinora/storage/s3_store.h"
#include "s3_client.h"

namespace kinora::storage {
namespace {

class S3UrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
                          "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"}) {
      unsetenv(v);
    }
    setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRET", 1);
  }
};

TEST_F(S3UrlTest, AwsDefaultsToVirtualHostedAddressing) {
  setenv("AWS_REGION", "eu-west-1", 1);
  setenv("AWS_SESSION_TOKEN", "TOKEN", 1);
  auto c = ParseS3Url("s3://kinora-media");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->bucket, "kinora-media");
  EXPECT_EQ(c->prefix, "");
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->endpoint, "");
  EXPECT_FALSE(c->path_style);
  EXPECT_EQ(c->credentials.session_token, "TOKEN");
}

TEST_F(S3UrlTest, EndpointFromEnvironmentOrQueryMeansPathStyle) {
  setenv("AWS_ENDPOINT_URL", "http://generic:1", 1);
  setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4568", 1);
  auto c = ParseS3Url("s3://b/site-a");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->endpoint, "http://127.0.0.1:4568");  // the S3-specific one wins
  EXPECT_EQ(c->prefix, "site-a/");
  EXPECT_TRUE(c->path_style);
  auto q = ParseS3Url("s3://b?endpoint=https://minio.local:9000&region=x-1&path_style=false");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->endpoint, "https://minio.local:9000");
  EXPECT_EQ(q->region, "x-1");
  EXPECT_FALSE(q->path_style);
}

TEST_F(S3UrlTest, MistakesAreExplained) {
  for (const char* bad : {"s3://", "s3:///x", "s3://b?colour=red", "s3://b?path_style=yes",
                          "s3://b?endpoint=ftp://x"}) {
    auto c = ParseS3Url(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  unsetenv("AWS_SECRET_ACCESS_KEY");
  auto c = ParseS3Url("s3://b");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

// The origin the web app's CSP lets the browser reach must be exactly the one its presigned
// URLs (media GETs, part PUTs) start with, for each way of addressing the bucket.
std::optional<std::string> OriginOf(std::string bucket, std::string endpoint, bool path_style,
                                    std::string region = "us-east-1") {
  S3Config config;
  config.bucket = std::move(bucket);
  config.endpoint = std::move(endpoint);
  config.path_style = path_style;
  config.region = std::move(region);
  config.credentials.access_key_id = "AKID";
  config.credentials.secret_access_key = "SECRET";
  auto store = NewS3Store(std::move(config));
  EXPECT_TRUE(store) << store.error().message;
  if (!store) return std::nullopt;
  auto origin = (*store)->PresignedOrigin();
  if (!origin) return origin;
  const auto ttl = std::chrono::seconds(60);
  const std::string get = (*store)->PresignedGet("videos/v.mp4", ttl);
  EXPECT_TRUE(get.starts_with(*origin + "/")) << get;
  auto part = (*store)->PresignUploadPart("videos/v.mp4", "upload-1", 3, ttl);
  EXPECT_TRUE(part && part->starts_with(*origin + "/")) << (part ? *part : part.error().message);
  return origin;
}

TEST(S3Origin, PathStyleCustomEndpointIsTheEndpoint) {
  EXPECT_EQ(OriginOf("kinora-test", "http://127.0.0.1:9000", true), "http://127.0.0.1:9000");
  EXPECT_EQ(OriginOf("b", "https://minio.local:9443", true), "https://minio.local:9443");
}

TEST(S3Origin, VirtualHostedIsTheBucketsHost) {
  EXPECT_EQ(OriginOf("kinora-media", "", false, "eu-west-1"),
            "https://kinora-media.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(OriginOf("kinora-media", "", true, "eu-west-1"), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(OriginOf("media", "https://storage.example:8443", false),
            "https://media.storage.example:8443");
}

TEST(S3Origin, IsSerializedAsABrowserDoes) {
  // Browsers leave out the scheme's default port and lower-case the host, in the origin the CSP
  // names and in the Host they send, which the presigned URL must have been signed for.
  EXPECT_EQ(OriginOf("b", "https://S3.Example.org:443", true), "https://s3.example.org");
  EXPECT_EQ(OriginOf("b", "http://minio:80", false), "http://b.minio");
}

TEST(S3Xml, ListObjectsV2) {
  auto r = s3::ParseListObjectsV2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>p/a &amp; b.mp4</Key><LastModified>2026-11-24T10:47:29.000Z</LastModified>
    <ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>p/c.json</Key><LastModified>2026-11-24T10:47:30.000Z</LastModified>
    <ETag>"def"</ETag><Size>0</Size></Contents>
</ListBucketResult>)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->truncated);
  ASSERT_EQ(r->objects.size(), 2u);
  EXPECT_EQ(r->objects[0].key, "p/a & b.mp4");
  EXPECT_EQ(r->objects[0].etag, "\"abc\"");
  EXPECT_EQ(r->objects[0].size, 12u);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(r->objects[0].last_modified), 1795517249);
  EXPECT_FALSE(s3::ParseListObjectsV2("<oops"));
}

TEST(S3Xml, MultipartDocuments) {
  EXPECT_EQ(s3::ParseUploadId("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                              "<UploadId>xyz+1</UploadId></InitiateMultipartUploadResult>")
                .value(),
            "xyz+1");
  EXPECT_EQ(s3::CompleteMultipartXml({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag>"
            "</Part><Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
  auto failed = s3::ParseCompleteEtag("<Error><Code>InternalError</Code></Error>");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
}

TEST(S3Errors, StatusesMapToKinoraErrors) {
  aws::HttpResponse r;
  r.body = "<Error><Code>NoSuchKey</Code><Message>The key does not exist</Message></Error>";
  r.status = 404;
  auto e = s3::ErrorFrom(r, "get k");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "get k: S3 answered 404 NoSuchKey (The key does not exist)");
  r.status = 403;
  EXPECT_EQ(s3::ErrorFrom(r, "x").code, ErrorCode::kPermissionDenied);
  r.status = 503;
  EXPECT_EQ(s3::ErrorFrom(r, "x").code, ErrorCode::kUnavailable);
  r.status = 416;
  EXPECT_EQ(s3::ErrorFrom(r, "x").code, ErrorCode::kInvalidArgument);
}

// Found by fuzz/aws_answers_fuzz.cc (corpus/aws_answers/regress_s3_time_out_of_range): a date
// past system_clock's range overflowed its nanosecond count.
TEST(S3Xml, DatesOutsideTheClocksRangeCountAsUnparseable) {
  for (const char* s :
       {"1013-11-24T10:47:29.000Z", "9999-12-31T23:59:59.000Z", "Sat, 01 Jan 3000 00:00:00 GMT"}) {
    const auto before = std::chrono::system_clock::now();
    const auto t = s3::ParseS3Time(s);
    EXPECT_GE(t, before) << s;
    EXPECT_LE(t, std::chrono::system_clock::now()) << s;
  }
  EXPECT_EQ(std::chrono::system_clock::to_time_t(s3::ParseS3Time("2026-11-24T10:47:29.000Z")),
            1795517249);
}

}  // namespace
}  // namespace kinora::storage
