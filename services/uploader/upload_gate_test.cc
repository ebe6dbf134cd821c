#include "kinora/uploader/upload_gate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "kinora/catalog/sqlite_catalog.h"
#include "kinora/core/ids.h"
#include "kinora/core/time.h"

namespace kinora::uploader {
namespace {

constexpr uint64_t kLimit = 1000;

class UploadGateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("kinora-upload-gate-" + std::to_string(::getpid()) + "-" + NewUuid() + ".db");
    auto c = catalog::NewSqliteCatalog(file_);
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
  }
  void TearDown() override {
    catalog_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file_.string() + suffix);
    }
  }
  // A gate whose allowance gives a signed-in caller `quota` bytes of quota.
  UploadGate Gate(uint64_t quota) {
    return UploadGate(
        *catalog_,
        [quota](const http::Request& req, uint64_t* quota_left) -> Result<uint64_t> {
          if (!req.principal.signed_in()) return kLimit;
          if (quota == 0) return TooLarge("over quota");
          *quota_left = quota;
          return std::min(quota, kLimit);
        },
        kLimit);
  }
  void Pending(const std::string& owner, int64_t length) {
    catalog::UploadRow row;
    std::string id = NewUuid();
    std::erase(id, '-');
    row.upload_id = id;  // 32 hex characters, like a real one
    row.owner_id = owner;
    row.video_id = NewUuid();
    row.filename = "a.mp4";
    row.extension = "mp4";
    row.length = length;
    const int64_t now = UnixMillis(std::chrono::system_clock::now());
    row.created_at = now;
    row.expires_at = now + 60'000;
    ASSERT_TRUE(catalog_->InsertUpload(row));
  }

  std::filesystem::path file_;
  std::unique_ptr<catalog::Catalog> catalog_;
};

http::Request As(const std::string& user_id) {
  http::Request req;
  req.principal.caller.user_id = user_id;
  return req;
}

TEST_F(UploadGateTest, OneRequestHoldsAnUploadUntilItsHoldEnds) {
  UploadGate gate = Gate(kLimit);
  {
    UploadGate::Hold first = gate.TryLock("a");
    ASSERT_TRUE(first);
    EXPECT_FALSE(gate.TryLock("a"));  // the sweeper, or a second PATCH, waits its turn
    EXPECT_TRUE(gate.TryLock("b"));   // other uploads are free
    UploadGate::Hold moved = std::move(first);
    EXPECT_FALSE(first);  // NOLINT(bugprone-use-after-move): a moved-from hold is empty
    EXPECT_FALSE(gate.TryLock("a"));
  }
  EXPECT_TRUE(gate.TryLock("a"));
}

TEST_F(UploadGateTest, AnonymousCallersGetTheInstanceLimit) {
  UploadGate gate = Gate(10);
  uint64_t left = 0;
  Error why;
  EXPECT_EQ(gate.MaxSize(As(""), &left, &why), kLimit);
  EXPECT_EQ(left, kLimit);
}

TEST_F(UploadGateTest, UnfinishedUploadsCountAgainstTheQuota) {
  UploadGate gate = Gate(500);
  Pending("u1", 200);
  Pending("u2", 400);  // another user's does not count
  uint64_t left = 0;
  Error why;
  EXPECT_EQ(gate.MaxSize(As("u1"), &left, &why), 300u);
  EXPECT_EQ(left, 300u);
}

TEST_F(UploadGateTest, NothingLeftIsTooLargeWithTheReason) {
  Pending("u1", 500);
  uint64_t left = 0;
  Error why;
  EXPECT_EQ(Gate(500).MaxSize(As("u1"), &left, &why), 0u);
  EXPECT_EQ(why.code, ErrorCode::kTooLarge);
  Error refused;
  EXPECT_EQ(Gate(0).MaxSize(As("u1"), &left, &refused), 0u);
  EXPECT_EQ(refused.message, "over quota");
}

}  // namespace
}  // namespace kinora::uploader
