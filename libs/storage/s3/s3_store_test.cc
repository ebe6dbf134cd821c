// The ObjectStore contract against a real S3 peer (npm s3rver on loopback, started by
// tests/peers/with_peers.py, which exports KINORA_TEST_S3_ENDPOINT and KINORA_TEST_S3_BUCKET).
// Every test gets a fresh key prefix in the bucket, emptied afterwards. Parts are 5 MiB so the
// contract's multi-megabyte object goes through a real multipart upload.
#include "kinora/storage/s3_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "kinora/aws/http_client.h"
#include "kinora/storage/object_store_contract.h"

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
  c.part_size = 5 << 20;
  return c;
}

testing::StoreInstance MakeS3() {
  static std::atomic<int> counter{0};
  if (Env("KINORA_TEST_S3_ENDPOINT").empty()) {
    ADD_FAILURE()
        << "KINORA_TEST_S3_ENDPOINT is not set: run through tests/peers/with_peers.py --s3";
    return {};
  }
  const std::string prefix =
      "t" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "/";
  auto store = NewS3Store(PeerConfig(prefix));
  EXPECT_TRUE(store) << store.error().message;
  return {store ? std::move(*store) : nullptr, [prefix] {
            auto cleaner = NewS3Store(PeerConfig(prefix));
            if (cleaner) (void)DeletePrefix(**cleaner, "");
          }};
}

using testing::ObjectStoreContract;
INSTANTIATE_TEST_SUITE_P(S3, ObjectStoreContract,
                         ::testing::Values(testing::ObjectStoreBackend{"s3", MakeS3}),
                         testing::ObjectStoreBackendName);

std::string Bytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed;
  for (auto& c : s) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  return s;
}

// Several 5 MiB parts in flight at once, then a short last part; read back in ranges.
TEST(S3Store, MultipartUploadWithParallelPartsRoundTrips) {
  auto made = MakeS3();
  ASSERT_TRUE(made.store);
  const std::string data = Bytes((5 << 20) * 5 + 777, 11);
  auto w = made.store->BeginPut("videos/big.mp4", "");
  ASSERT_TRUE(w);
  for (size_t off = 0; off < data.size(); off += 1 << 20) {
    const size_t n = std::min<size_t>(1 << 20, data.size() - off);
    ASSERT_TRUE((*w)->Write(std::span<const char>(data.data() + off, n)));
  }
  auto info = (*w)->Commit();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->size, data.size());
  auto head = made.store->Head("videos/big.mp4");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size, data.size());
  EXPECT_EQ(head->content_type, "video/mp4");
  auto back = GetBytes(*made.store, "videos/big.mp4", 64 << 20);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(*back == data);
  auto r = made.store->Get("videos/big.mp4", ByteRange{(5 << 20) - 3, (5 << 20) + 2});
  ASSERT_TRUE(r);
  char buf[16];
  auto n = (*r)->Read(buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), data.substr((5 << 20) - 3, 6));
  made.store.reset();
  made.teardown();
}

// A big put that is abandoned after some parts went up leaves no object behind.
TEST(S3Store, AbortedMultipartUploadLeavesNothing) {
  auto made = MakeS3();
  ASSERT_TRUE(made.store);
  const std::string part = Bytes(6 << 20, 3);
  {
    auto w = made.store->BeginPut("videos/abandoned.mp4", "");
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(std::span<const char>(part.data(), part.size())));
  }  // destroyed without Commit: the multipart upload is aborted
  auto head = made.store->Head("videos/abandoned.mp4");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::kNotFound);
  auto page = made.store->List("", "", 10);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
  made.store.reset();
  made.teardown();
}

// A presigned URL fetches the object with no credentials of its own.
TEST(S3Store, PresignedGetUrlServesTheObject) {
  auto made = MakeS3();
  ASSERT_TRUE(made.store);
  ASSERT_TRUE(PutBytes(*made.store, "thumbnails/a-b_c.jpg", "jpeg bytes"));
  const std::string url = made.store->PresignedGet("thumbnails/a-b_c.jpg", std::chrono::minutes(5));
  ASSERT_FALSE(url.empty());
  EXPECT_NE(url.find("X-Amz-Signature="), std::string::npos) << url;
  EXPECT_NE(url.find("/thumbnails/a-b_c.jpg?"), std::string::npos) << url;
  aws::HttpClient http;
  auto resp = http.Send(aws::HttpRequest{.method = "GET", .url = url});
  ASSERT_TRUE(resp) << resp.error().message;
  EXPECT_EQ(resp->status, 200) << resp->body;
  EXPECT_EQ(resp->body, "jpeg bytes");
  EXPECT_EQ(resp->Header("Content-Type"), "image/jpeg");
  EXPECT_TRUE(made.store->PresignedGet("../bad", std::chrono::minutes(5)).empty());
  made.store.reset();
  made.teardown();
}

TEST(S3Store, PingAndDescribe) {
  auto store = NewS3Store(PeerConfig("ping/"));
  ASSERT_TRUE(store);
  EXPECT_TRUE((*store)->Ping());
  EXPECT_NE((*store)->Describe().find(Env("KINORA_TEST_S3_BUCKET")), std::string::npos);
  S3Config missing = PeerConfig("");
  missing.bucket = "no-such-bucket-here";
  auto other = NewS3Store(missing);
  ASSERT_TRUE(other);
  EXPECT_FALSE((*other)->Ping());
}

TEST(S3Store, UnreachableEndpointIsUnavailableAfterRetries) {
  S3Config c = PeerConfig("");
  c.endpoint = "http://127.0.0.1:1";  // nothing listens there
  c.max_attempts = 2;
  c.retry_base = std::chrono::milliseconds(1);
  auto store = NewS3Store(c);
  ASSERT_TRUE(store);
  auto head = (*store)->Head("videos/x.mp4");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(head.error().message.find("after 2 attempts"), std::string::npos)
      << head.error().message;
}

}  // namespace
}  // namespace kinora::storage
