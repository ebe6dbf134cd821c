// Ingest against a real SQLite catalog and queue and the in-memory store, with a stand-in probe.
// Every failure point of an upload — each store, catalog and queue call it makes — is made to
// fail in turn, and each time nothing of the upload may remain anywhere.
#include "kinora/uploader/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "kinora/core/ids.h"
#include "kinora/queue/fault_injection.h"
#include "kinora/queue/sqlite_queue.h"
#include "kinora/storage/fault_injection.h"
#include "kinora/storage/mem_store.h"
#include "kinora/videos/job.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"

namespace kinora::uploader {
namespace {

namespace fs = std::filesystem;

// Anything starting with "VIDEO" is a video to this probe.
Result<media::ProbeResult> FakeProbe(std::string_view head, std::string_view, uint64_t) {
  if (!head.starts_with("VIDEO")) return MakeError(ErrorCode::kUnsupported, "no video stream");
  media::ProbeResult p;
  p.container = "mov,mp4,m4a,3gp,3g2,mj2";
  p.video_codec = "h264";
  p.width = 640;
  p.height = 360;
  p.duration_seconds = 2.5;
  return p;
}

// The catalog, with Insert made to fail on demand.
class FlakyCatalog final : public catalog::Catalog {
 public:
  explicit FlakyCatalog(catalog::Catalog& target) : t_(target) {}
  bool fail_insert = false;
  bool fail_delete = false;

  Result<void> Insert(const catalog::VideoRecord& v) override {
    if (fail_insert) return InjectedFault();
    return t_.Insert(v);
  }
  Result<catalog::VideoRecord> Get(std::string_view id) override { return t_.Get(id); }
  Result<void> Update(const catalog::VideoRecord& v) override { return t_.Update(v); }
  Result<catalog::VideoRecord> Edit(std::string_view id, const catalog::VideoEdit& e) override {
    return t_.Edit(id, e);
  }
  Result<void> Delete(std::string_view id) override {
    if (fail_delete) return InjectedFault();
    return t_.Delete(id);
  }
  Result<bool> WasDeleted(std::string_view id) override { return t_.WasDeleted(id); }
  Result<int64_t> InsertWithJob(const catalog::VideoRecord& v, std::string_view job,
                                std::chrono::seconds after) override {
    if (fail_insert) return InjectedFault();
    return t_.InsertWithJob(v, job, after);
  }
  Result<int64_t> AddJob(std::string_view id, std::string_view job) override {
    return t_.AddJob(id, job);
  }
  Result<std::vector<catalog::OutboxEntry>> ClaimDueJobs(int n, std::chrono::seconds l) override {
    return t_.ClaimDueJobs(n, l);
  }
  Result<void> JobPublished(int64_t id) override { return t_.JobPublished(id); }
  Result<void> JobDeferred(int64_t id, std::chrono::seconds d, std::string_view e) override {
    return t_.JobDeferred(id, d, e);
  }
  Result<bool> HasPendingJob(std::string_view id) override { return t_.HasPendingJob(id); }
  Result<catalog::ListPage> List(const catalog::ListQuery& q) override { return t_.List(q); }
  using catalog::Catalog::Stats;
  Result<catalog::CatalogStats> Stats(const catalog::StatsScope& s) override { return t_.Stats(s); }
  Result<int64_t> IncrementViews(std::string_view id) override { return t_.IncrementViews(id); }
  Result<int64_t> IncrementLikes(std::string_view id) override { return t_.IncrementLikes(id); }
  Result<catalog::LikeResult> Like(std::string_view id, std::string_view user) override {
    return t_.Like(id, user);
  }
  Result<catalog::LikeResult> Unlike(std::string_view id, std::string_view user) override {
    return t_.Unlike(id, user);
  }
  Result<bool> Likes(std::string_view id, std::string_view user) override {
    return t_.Likes(id, user);
  }
  Result<catalog::OwnerUsage> Usage(std::string_view owner, int64_t since) override {
    return t_.Usage(owner, since);
  }
  Result<int64_t> AdoptUnowned(std::string_view owner) override { return t_.AdoptUnowned(owner); }
  Result<void> InsertUpload(const catalog::UploadRow& u) override { return t_.InsertUpload(u); }
  Result<catalog::UploadRow> GetUpload(std::string_view id) override { return t_.GetUpload(id); }
  Result<void> AdvanceUpload(std::string_view id, int64_t expected, int64_t offset,
                             std::string_view state, int64_t expires) override {
    return t_.AdvanceUpload(id, expected, offset, state, expires);
  }
  Result<void> CompleteUpload(std::string_view id, int64_t expires) override {
    return t_.CompleteUpload(id, expires);
  }
  Result<void> DeleteUpload(std::string_view id) override { return t_.DeleteUpload(id); }
  Result<std::vector<catalog::UploadRow>> ExpiredUploads(int64_t now, int limit) override {
    return t_.ExpiredUploads(now, limit);
  }
  Result<int64_t> PendingUploadBytes(std::string_view owner, int64_t now) override {
    return t_.PendingUploadBytes(owner, now);
  }
  Result<void> Ping() override { return t_.Ping(); }
  std::string Describe() const override { return t_.Describe(); }

 private:
  catalog::Catalog& t_;
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kinora-ingest-test-" + NewUuid());
    fs::create_directories(dir_);
    real_catalog_ =
        std::move(catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string()).value());
    real_queue_ = std::move(queue::NewSqliteQueue(dir_ / "queue.db", {}).value());
    catalog_ = std::make_unique<FlakyCatalog>(*real_catalog_);
    queue_ = std::make_unique<queue::FaultInjectingQueue>(*real_queue_);
    ingest_ = std::make_unique<Ingest>(
        store_, *catalog_, *queue_,
        IngestOptions{.bucket = "media", .probe = FakeProbe, .limits = {}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One upload of `bytes` named `name`, in two pieces as a form would deliver it.
  Result<catalog::VideoRecord> Upload(std::string_view name, std::string_view bytes) {
    KINORA_TRY(IncomingFile f, ingest_->Begin(name));
    const size_t half = bytes.size() / 2;
    KINORA_TRY_VOID(f.Append(bytes.substr(0, half)));
    KINORA_TRY_VOID(f.Append(bytes.substr(half)));
    return ingest_->Finish(std::move(f), {.title = "",
                                          .description = "d",
                                          .correlation_id = "c",
                                          .owner_id = "u",
                                          .visibility = "public"});
  }

  // Nothing of any upload anywhere: no object, no row, no job.
  void ExpectNothingLeft() {
    EXPECT_TRUE(mem_->List("", "", 1000).value().objects.empty());
    EXPECT_EQ(real_catalog_->List({}).value().total, 0);
    EXPECT_EQ(real_queue_->Stats().value().visible, 0);
  }

  fs::path dir_;
  std::unique_ptr<storage::ObjectStore> mem_ = storage::NewMemStore();
  storage::FaultInjectingStore store_{*mem_};
  std::unique_ptr<catalog::Catalog> real_catalog_;
  std::unique_ptr<queue::JobQueue> real_queue_;
  std::unique_ptr<FlakyCatalog> catalog_;
  std::unique_ptr<queue::FaultInjectingQueue> queue_;
  std::unique_ptr<Ingest> ingest_;
};

TEST_F(IngestTest, AVideoExistsEverywhereAtOnce) {
  auto v = Upload("../Holiday Clip.MP4", "VIDEO and then some bytes");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->title, "Holiday Clip");
  EXPECT_EQ(v->original_filename, "Holiday Clip.MP4");
  EXPECT_EQ(v->file_extension, "mp4");
  EXPECT_EQ(v->bucket, "media");
  EXPECT_EQ(v->width, 640);
  EXPECT_EQ(v->correlation_id, "c");
  EXPECT_EQ(v->video_key, videos::OriginalKey(v->video_id, "mp4"));
  EXPECT_EQ(storage::GetBytes(*mem_, v->video_key).value(), "VIDEO and then some bytes");
  EXPECT_TRUE(mem_->Head(videos::MetadataKey(v->video_id)));
  EXPECT_EQ(real_catalog_->Get(v->video_id)->status, catalog::VideoStatus::kUploaded);
  auto jobs = real_queue_->Receive(10, queue::Seconds{0}, queue::Seconds{30}).value();
  ASSERT_EQ(jobs.size(), 1u);
  auto job = videos::ParseProcessingJob(jobs[0].body);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->video_id, v->video_id);
  EXPECT_EQ(job->video_key, v->video_key);
  EXPECT_EQ(job->metadata_key, videos::MetadataKey(v->video_id));
  EXPECT_EQ(job->correlation_id, "c");
}

// The probe sees the same first and last bytes whether the store reads the upload back (no
// copy kept per upload) or cannot and a ProbeWindow keeps them.
TEST_F(IngestTest, TheProbeGetsTheHeadAndTailFromTheStoreOrTheWindow) {
  std::string bytes = "VIDEO";
  for (int i = 0; bytes.size() < 5u * 1024 * 1024 + 77; ++i) bytes += std::to_string(i) + ",";
  struct Seen {
    std::string head, tail;
    uint64_t total = 0;
  } seen;
  auto probe = [&](std::string_view head, std::string_view tail, uint64_t total) {
    seen = {std::string(head), std::string(tail), total};
    return FakeProbe(head, tail, total);
  };
  Ingest readback(*mem_, *catalog_, *queue_, {.bucket = "media", .probe = probe, .limits = {}});
  auto f = readback.Begin("a.mp4").value();
  for (size_t at = 0; at < bytes.size(); at += 65536)
    ASSERT_TRUE(f.Append(bytes.substr(at, 65536)));
  ASSERT_TRUE(readback.Finish(std::move(f), {}));
  const size_t head = ProbeWindow::kHeadBytes, tail = ProbeWindow::kTailBytes;
  EXPECT_EQ(seen.total, bytes.size());
  EXPECT_TRUE(seen.head == bytes.substr(0, head));
  EXPECT_TRUE(seen.tail == bytes.substr(bytes.size() - tail));

  // A writer that cannot read back: the window keeps the same bytes.
  ProbeWindow window;
  for (size_t at = 0; at < bytes.size(); at += 65536)
    window.Append(std::string_view(bytes).substr(at, 65536));
  EXPECT_TRUE(window.head() == seen.head);
  EXPECT_TRUE(window.tail() == seen.tail);
}

TEST_F(IngestTest, RefusalsLeaveNothing) {
  auto empty = Upload("a.mp4", "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  auto text = Upload("notes.mp4", "just some text");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(text.error().message.find("not a video"), std::string::npos);
  auto name = Upload("notes.txt", "VIDEO");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().code, ErrorCode::kInvalidArgument);
  {
    auto abandoned = ingest_->Begin("gone.mp4");  // the client went away mid-upload
    ASSERT_TRUE(abandoned);
    ASSERT_TRUE(abandoned->Append("VIDEO"));
  }
  ExpectNothingLeft();
}

TEST_F(IngestTest, EveryFailurePointLeavesNothing) {
  // A clean run counts the calls an upload makes.
  ASSERT_TRUE(Upload("count.mp4", "VIDEO bytes"));
  const std::vector<std::pair<storage::StoreOp, int>> store_points = {
      {storage::StoreOp::kBeginPut, store_.calls(storage::StoreOp::kBeginPut)},
      {storage::StoreOp::kWrite, store_.calls(storage::StoreOp::kWrite)},
      {storage::StoreOp::kCommit, store_.calls(storage::StoreOp::kCommit)}};
  const int sends = queue_->calls(queue::QueueOp::kSend);
  ASSERT_EQ(sends, 1);
  ASSERT_EQ(store_points[2].second, 2);  // the original and its mirror
  // Start again from nothing.
  auto first = real_catalog_->List({}).value().videos.at(0).video_id;
  ASSERT_TRUE(videos::Library(*real_catalog_, *mem_).Delete(first));
  auto job = real_queue_->Receive(10, queue::Seconds{0}, queue::Seconds{30}).value();
  ASSERT_EQ(job.size(), 1u);
  ASSERT_TRUE(real_queue_->Delete(job.at(0).receipt_handle));
  ExpectNothingLeft();

  int points = 0;
  for (auto [op, count] : store_points) {
    for (int nth = 0; nth < count; ++nth) {
      SCOPED_TRACE("store op " + std::to_string(static_cast<int>(op)) + " call " +
                   std::to_string(nth));
      store_.Reset();
      store_.FailAt(op, nth);
      auto r = Upload("clip.mp4", "VIDEO bytes");
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
      ExpectNothingLeft();
      ++points;
    }
  }
  store_.Reset();
  catalog_->fail_insert = true;
  EXPECT_FALSE(Upload("clip.mp4", "VIDEO bytes"));
  ExpectNothingLeft();
  EXPECT_GE(points, 6);  // two puts (original, mirror), each begun, written and committed
}

// The queue being down does not lose the upload or its job: the job waits in the outbox, in
// the row's transaction, for the relay.
TEST_F(IngestTest, AQueueThatIsDownLeavesTheJobInTheOutbox) {
  queue_->FailAt(queue::QueueOp::kSend, queue_->calls(queue::QueueOp::kSend));
  auto v = Upload("clip.mp4", "VIDEO bytes");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(real_catalog_->Get(v->video_id));
  EXPECT_TRUE(mem_->Head(videos::MetadataKey(v->video_id)));
  EXPECT_EQ(real_queue_->Stats().value().visible, 0);
  EXPECT_TRUE(real_catalog_->HasPendingJob(v->video_id).value());
  // A normal upload's job is published at once and leaves no outbox entry behind.
  auto w = Upload("clip.mp4", "VIDEO bytes");
  ASSERT_TRUE(w);
  EXPECT_FALSE(real_catalog_->HasPendingJob(w->video_id).value());
  EXPECT_EQ(real_queue_->Stats().value().visible, 1);
}

}  // namespace
}  // namespace kinora::uploader
