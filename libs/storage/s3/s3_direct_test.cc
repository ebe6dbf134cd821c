// Direct multipart uploads (ObjectStore::CreateMultipart and friends) against a real S3 peer
// (npm s3rver on loopback, started by tests/peers/with_peers.py): the browser's part of the
// flow is played by an HTTP client PUTting to the presigned UploadPart URLs with no
// credentials of its own. Also the XML pieces, which need no server.
#include "s3_direct.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "kinora/aws/http_client.h"
#include "kinora/storage/mem_store.h"
#include "kinora/storage/s3_store.h"

namespace kinora::storage {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

S3Config PeerConfig(const std::string& prefix) {
  S3Config c;
  c.endpoint = Env("KINORA_TEST_S3_ENDPOINT");
  c.bucket = Env("KINORA_TEST_S3_BUCKET");
  c.prefix = prefix;
  c.region = "us-east-1";
  c.path_style = true;
  c.credentials = {Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), ""};
  return c;
}

struct Peer {
  std::unique_ptr<ObjectStore> store;
  std::string prefix;
  ~Peer() {
    store.reset();
    if (auto cleaner = NewS3Store(PeerConfig(prefix))) (void)DeletePrefix(**cleaner, "");
  }
};

std::unique_ptr<Peer> MakePeer() {
  static std::atomic<int> counter{0};
  if (Env("KINORA_TEST_S3_ENDPOINT").empty()) {
    ADD_FAILURE() << "KINORA_TEST_S3_ENDPOINT is not set: run through tests/peers/with_peers.py";
    return nullptr;
  }
  auto p = std::make_unique<Peer>();
  p->prefix = "d" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "/";
  auto store = NewS3Store(PeerConfig(p->prefix));
  EXPECT_TRUE(store) << store.error().message;
  if (!store) return nullptr;
  p->store = std::move(*store);
  return p;
}

std::string Bytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed;
  for (auto& c : s) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  return s;
}

// PUTs one part to its presigned URL as a browser would; its ETag.
std::string PutPart(const std::string& url, std::string_view data) {
  aws::HttpClient http;
  auto resp = http.Send(aws::HttpRequest{.method = "PUT", .url = url, .headers = {}, .body = data});
  EXPECT_TRUE(resp) << resp.error().message;
  if (!resp) return {};
  EXPECT_EQ(resp->status, 200) << resp->body;
  EXPECT_FALSE(resp->Header("ETag").empty());
  return resp->Header("ETag");
}

TEST(S3Direct, PresignedPartsCompleteIntoTheObject) {
  auto peer = MakePeer();
  ASSERT_TRUE(peer);
  ObjectStore& store = *peer->store;
  EXPECT_TRUE(store.supports_direct_multipart());
  const std::string key = "videos/direct.mp4";
  const std::string data = Bytes((5 << 20) * 2 + 4321, 7);
  auto id = store.CreateMultipart(key, "video/mp4");
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_FALSE(id->empty());
  std::vector<UploadedPart> parts;
  for (size_t off = 0, n = 1; off < data.size(); off += 5 << 20, ++n) {
    auto url = store.PresignUploadPart(key, *id, static_cast<int>(n), std::chrono::minutes(15));
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_NE(url->find("partNumber=" + std::to_string(n)), std::string::npos) << *url;
    EXPECT_NE(url->find("X-Amz-Signature="), std::string::npos) << *url;
    const std::string_view piece =
        std::string_view(data).substr(off, std::min<size_t>(5 << 20, data.size() - off));
    parts.push_back(
        UploadedPart{.number = static_cast<int>(n), .size = 0, .etag = PutPart(*url, piece)});
  }
  ASSERT_EQ(parts.size(), 3u);
  // s3rver has no ListParts: kUnsupported (the endpoint then answers an empty list).
  auto listed = store.ListParts(key, *id);
  if (!listed) {
    EXPECT_EQ(listed.error().code, ErrorCode::kUnsupported) << listed.error().message;
  }
  auto info = store.CompleteMultipart(key, *id, parts);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->size, data.size());
  EXPECT_EQ(info->content_type, "video/mp4");
  auto back = GetBytes(store, key, 64 << 20);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(*back == data);
}

// (s3rver does not check the ETags a completion names, so a wrong one cannot be tested here;
// S3 answers 400 InvalidPart, which CompleteMultipart maps to kInvalidArgument.)
TEST(S3Direct, AbortAfterAPartLeavesNoObject) {
  auto peer = MakePeer();
  ASSERT_TRUE(peer);
  ObjectStore& store = *peer->store;
  const std::string key = "videos/aborted.mp4";
  auto id = store.CreateMultipart(key, "");
  ASSERT_TRUE(id) << id.error().message;
  auto url = store.PresignUploadPart(key, *id, 1, std::chrono::minutes(1));
  ASSERT_TRUE(url);
  PutPart(*url, "tiny");
  // s3rver cannot abort (405): treated as done, the bucket's lifecycle rule cleans up.
  EXPECT_TRUE(store.AbortMultipart(key, *id));
  EXPECT_EQ(store.Head(key).error().code, ErrorCode::kNotFound);
}

TEST(S3Direct, BadPartNumbersAndKeysAreRefused) {
  auto peer = MakePeer();
  ASSERT_TRUE(peer);
  for (int n : {0, 10001, -1}) {
    auto url = peer->store->PresignUploadPart("videos/x.mp4", "id", n, std::chrono::minutes(1));
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(peer->store->PresignUploadPart("../x", "id", 1, std::chrono::minutes(1)));
  auto unordered = peer->store->CompleteMultipart(
      "videos/x.mp4", "id",
      {{.number = 2, .size = 0, .etag = "a"}, {.number = 1, .size = 0, .etag = "b"}});
  ASSERT_FALSE(unordered);
  EXPECT_EQ(unordered.error().code, ErrorCode::kInvalidArgument);
}

TEST(S3Direct, OtherStoresHaveNone) {
  auto mem = NewMemStore();
  EXPECT_FALSE(mem->supports_direct_multipart());
  auto id = mem->CreateMultipart("videos/x.mp4", "");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kUnsupported);
}

TEST(S3DirectXml, ListPartsAndCompleteBodies) {
  bool truncated = true;
  std::string next;
  auto parts = s3::ParseListParts(
      "<?xml version=\"1.0\"?><ListPartsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>"
      "<Part><PartNumber>1</PartNumber><ETag>\"a1\"</ETag><Size>5242880</Size></Part>"
      "<Part><PartNumber>3</PartNumber><ETag>\"c3\"</ETag><Size>10</Size></Part>"
      "</ListPartsResult>",
      &truncated, &next);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1].number, 3);
  EXPECT_EQ((*parts)[1].size, 10u);
  EXPECT_EQ((*parts)[0].etag, "\"a1\"");
  EXPECT_FALSE(truncated);
  EXPECT_FALSE(s3::ParseListParts("<nope", &truncated, &next));
  EXPECT_EQ(s3::CompletePartsXml({{.number = 2, .size = 0, .etag = "\"x&y\""}}),
            "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>&quot;x&amp;y&quot;"
            "</ETag></Part></CompleteMultipartUpload>");
}

}  // namespace
}  // namespace kinora::storage
