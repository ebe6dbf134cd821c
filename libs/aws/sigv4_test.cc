// SigV4 cases the AWS suites do not cover (S3 and SQS as Kinora sends them), checked against
// botocore 1.29.27 (Debian python3-botocore) with its clock pinned to 2015-08-30T12:36:00Z,
// plus the encoding helpers.
#include "kinora/aws/sigv4.h"

#include <gtest/gtest.h>

#include "kinora/aws/crypto.h"

namespace kinora::aws {
namespace {

std::chrono::system_clock::time_point T() {
  return std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + std::chrono::hours{12} +
         std::chrono::minutes{36};
}

const Credentials kCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const Credentials kTempCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                             "SESSIONTOKEN/+="};

std::string Header(const Signature& s, std::string_view name) {
  for (const auto& [k, v] : s.headers) {
    if (k == name) return v;
  }
  return {};
}

TEST(Sigv4S3, PathIsNotNormalisedAndPayloadHashIsSigned) {
  SignRequest req{.method = "PUT",
                  .path = "/kinora-test/videos//a b/../c.mp4",
                  .headers = {{"Content-Type", "video/mp4"}, {"Host", "127.0.0.1:9000"}},
                  .payload_hash = Sha256Hex("")};
  SignOptions opts{.region = "us-east-1",
                   .service = "s3",
                   .time = T(),
                   .normalize_path = false,
                   .sign_body = true};
  const Signature s = SignWithHeaders(req, kCreds, opts);
  EXPECT_EQ(s.canonical_request.substr(0, s.canonical_request.find('\n', 4)),
            "PUT\n/kinora-test/videos//a%20b/../c.mp4");
  EXPECT_EQ(Header(s, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
            "Signature=47ab0cd5279fa8d14b26d593afd2cb5ece0af6fab5a00ba5ce436623f04717d3");
}

TEST(Sigv4S3, UnsignedPayloadForAStreamedPart) {
  SignRequest req{
      .method = "PUT",
      .path = "/videos/a b.mp4",
      .query = {{"partNumber", "2"}, {"uploadId", "abc+def"}},
      .headers = {{"Content-Length", "5242880"}, {"Host", "kinora.s3.us-east-1.amazonaws.com"}},
      .payload_hash = "UNSIGNED-PAYLOAD"};
  SignOptions opts{.region = "us-east-1",
                   .service = "s3",
                   .time = T(),
                   .normalize_path = false,
                   .sign_body = true};
  const Signature s = SignWithHeaders(req, kCreds, opts);
  EXPECT_EQ(Header(s, "X-Amz-Content-Sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(Header(s, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, "
            "SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date, "
            "Signature=87e779c7efba5116bd8d7ea1b683f382669b968880a094b8a1765a855d9289eb");
}

TEST(Sigv4S3, PresignedGetWithSessionToken) {
  SignRequest req{.method = "GET",
                  .path = "/processed/x/hls/master.m3u8",
                  .headers = {{"Host", "kinora.s3.eu-west-1.amazonaws.com"}},
                  .payload_hash = "UNSIGNED-PAYLOAD"};
  SignOptions opts{.region = "eu-west-1", .service = "s3", .time = T(), .normalize_path = false};
  const Signature s = Presign(req, kTempCreds, opts, std::chrono::seconds(900));
  EXPECT_EQ(s.signature, "6f8bdd198a82a94bb172e7bb5640785b95ad4139113c35b3965e0898c66c5190");
  EXPECT_EQ(CanonicalQuery(s.query),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Feu-west-"
            "1%2Fs3%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-Security-"
            "Token=SESSIONTOKEN%2F%2B%3D&X-Amz-Signature=6f8bdd198a82a94bb172e7bb5640785b95ad4139"
            "113c35b3965e0898c66c5190&X-Amz-SignedHeaders=host");
}

TEST(Sigv4Sqs, JsonProtocolPostWithSessionToken) {
  const std::string body =
      R"({"QueueUrl":"http://127.0.0.1:9324/000000000000/jobs","MaxNumberOfMessages":1})";
  SignRequest req{.method = "POST",
                  .path = "/",
                  .headers = {{"Content-Type", "application/x-amz-json-1.0"},
                              {"Host", "127.0.0.1:9324"},
                              {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}},
                  .payload_hash = Sha256Hex(body)};
  SignOptions opts{.region = "us-east-1", .service = "sqs", .time = T()};
  const Signature s = SignWithHeaders(req, kTempCreds, opts);
  EXPECT_EQ(Header(s, "X-Amz-Security-Token"), "SESSIONTOKEN/+=");
  EXPECT_EQ(Header(s, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sqs/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            "Signature=c04af08a1db5b888c2af43a4107aa47a5e2aebfb41d06076d36d2c9deac3e256");
}

TEST(Sigv4, EncodingHelpers) {
  EXPECT_EQ(UriEncode("a b/c~d+e=f&ü", false), "a%20b/c~d%2Be%3Df%26%C3%BC");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(CanonicalUri("", true), "/");
  EXPECT_EQ(CanonicalUri("/a/./b/../c//", true), "/a/c/");
  EXPECT_EQ(CanonicalUri("/a/./b/../c//", false), "/a/./b/../c//");
  EXPECT_EQ(CanonicalQuery({{"b", "2"}, {"a", "x y"}, {"a", "1"}, {"list-type", ""}}),
            "a=1&a=x%20y&b=2&list-type=");
  EXPECT_EQ(AmzDate(T()), "20150830T123600Z");
}

TEST(Sigv4, PresignRefusesExpiryOutsideWhatAwsAccepts) {
  SignRequest req{.method = "GET", .path = "/", .headers = {{"Host", "h"}}};
  SignOptions opts{.region = "us-east-1", .service = "s3", .time = T()};
  EXPECT_THROW(Presign(req, kCreds, opts, std::chrono::seconds(0)), std::invalid_argument);
  EXPECT_THROW(Presign(req, kCreds, opts, std::chrono::hours(24 * 8)), std::invalid_argument);
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256Hasher h;
  h.Update("Param1=");
  h.Update("value1");
  EXPECT_EQ(h.FinishHex(), Sha256Hex("Param1=value1"));
  EXPECT_EQ(Sha256Hex("Param1=value1"),
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(h.FinishHex(), Sha256Hex(""));
}

}  // namespace
}  // namespace kinora::aws
