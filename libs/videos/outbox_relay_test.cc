// The relay against a real SQLite catalog and queue, with a queue that fails on demand.
#include "kinora/videos/outbox_relay.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "kinora/core/ids.h"
#include "kinora/queue/fault_injection.h"
#include "kinora/queue/sqlite_queue.h"

namespace kinora::videos {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kinora-relay-test-" + NewUuid());
    fs::create_directories(dir_);
    catalog_ =
        std::move(catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string()).value());
    real_queue_ = std::move(queue::NewSqliteQueue(dir_ / "queue.db", {}).value());
    queue_ = std::make_unique<queue::FaultInjectingQueue>(*real_queue_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Insert(std::chrono::seconds publish_after) {
    catalog::VideoRecord v;
    v.video_id = NewUuid();
    v.file_extension = "mp4";
    v.video_key = "videos/" + v.video_id + ".mp4";
    v.uploaded_at = std::chrono::system_clock::now();
    EXPECT_TRUE(catalog_->InsertWithJob(v, "job of " + v.video_id, publish_after));
    return v.video_id;
  }

  fs::path dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<queue::JobQueue> real_queue_;
  std::unique_ptr<queue::FaultInjectingQueue> queue_;
};

TEST_F(OutboxRelayTest, PublishesDueJobsOnceAndLeavesTheRestForLater) {
  const std::string due = Insert(0s);
  const std::string later = Insert(60s);  // the uploader's own to publish first
  OutboxRelay relay(*catalog_, *queue_);
  auto pass = relay.RunOnce();
  ASSERT_TRUE(pass) << pass.error().message;
  EXPECT_EQ(pass->published, 1);
  auto got = real_queue_->Receive(10, 0s, 30s).value();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "job of " + due);
  EXPECT_FALSE(catalog_->HasPendingJob(due).value());
  EXPECT_TRUE(catalog_->HasPendingJob(later).value());
  EXPECT_EQ(relay.RunOnce()->published, 0);
}

TEST_F(OutboxRelayTest, AFailedSendIsRetriedWithBackoffNotLost) {
  const std::string id = Insert(0s);
  queue_->FailAt(queue::QueueOp::kSend, 0);
  OutboxRelay relay(*catalog_, *queue_);
  auto pass = relay.RunOnce();
  ASSERT_TRUE(pass);
  EXPECT_EQ(pass->deferred, 1);
  EXPECT_TRUE(catalog_->HasPendingJob(id).value());
  EXPECT_EQ(relay.RunOnce()->published, 0);  // backing off, not spinning
  EXPECT_EQ(real_queue_->Stats().value().visible, 0);
  EXPECT_EQ(OutboxRelay::Backoff(0), 5s);
  EXPECT_EQ(OutboxRelay::Backoff(3), 40s);
  EXPECT_EQ(OutboxRelay::Backoff(30), 300s);
}

}  // namespace
}  // namespace kinora::videos
