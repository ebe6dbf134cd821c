// The reconciler against a real SQLite catalog and queue and the in-memory store, each test
// staging what a kill -9 at one point of an upload, a job or a delete leaves behind.
#include "kinora/videos/reconciler.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "kinora/core/ids.h"
#include "kinora/queue/sqlite_queue.h"
#include "kinora/storage/mem_store.h"
#include "kinora/videos/job.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"

namespace kinora::videos {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ReconcilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kinora-reconciler-test-" + NewUuid());
    fs::create_directories(dir_);
    catalog_ =
        std::move(catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string()).value());
    queue_ = std::move(queue::NewSqliteQueue(dir_ / "queue.db", {}).value());
    reconciler_ = std::make_unique<Reconciler>(
        *catalog_, *store_, *queue_, ReconcilerOptions{.stuck_grace = 60s, .orphan_grace = 3600s});
  }
  void TearDown() override { fs::remove_all(dir_); }

  catalog::VideoRecord Record(SysTime uploaded) {
    catalog::VideoRecord v;
    v.video_id = NewUuid();
    v.file_extension = "mp4";
    v.video_key = OriginalKey(v.video_id, "mp4");
    v.uploaded_at = std::chrono::time_point_cast<std::chrono::milliseconds>(uploaded);
    return v;
  }

  bool Exists(const std::string& key) { return store_->Head(key).has_value(); }
  ReconcilePass Run(SysTime now) {
    auto pass = reconciler_->RunOnce(now);
    EXPECT_TRUE(pass) << pass.error().message;
    return pass ? *pass : ReconcilePass{};
  }

  const SysTime now_ = std::chrono::system_clock::now();
  fs::path dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::ObjectStore> store_ = storage::NewMemStore();
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<Reconciler> reconciler_;
};

// Killed after the row, before the mirror: the mirror is written.
TEST_F(ReconcilerTest, AMissingMirrorIsWritten) {
  catalog::VideoRecord v = Record(now_);
  ASSERT_TRUE(catalog_->Insert(v));
  EXPECT_EQ(Run(now_).mirrors_written, 1);
  auto back = Library(*catalog_, *store_).ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->video_key, v.video_key);
  EXPECT_EQ(Run(now_).mirrors_written, 0);
}

// Killed after the original, before the row: removed once the grace period is over.
TEST_F(ReconcilerTest, AnOriginalWithNoRowIsRemovedAfterTheGracePeriod) {
  const std::string key = OriginalKey(NewUuid(), "mp4");
  ASSERT_TRUE(storage::PutBytes(*store_, key, "bytes"));
  EXPECT_EQ(Run(std::chrono::system_clock::now()).originals_removed, 0);  // maybe uploading
  EXPECT_TRUE(Exists(key));
  EXPECT_EQ(Run(std::chrono::system_clock::now() + 2h).originals_removed, 1);
  EXPECT_FALSE(Exists(key));
}

// An original with a mirror but no row is not garbage: the catalog may be new (reindex).
TEST_F(ReconcilerTest, AVideoTheCatalogHasNeverSeenIsLeftForReindex) {
  catalog::VideoRecord v = Record(now_);
  ASSERT_TRUE(storage::PutBytes(*store_, v.video_key, "bytes"));
  ASSERT_TRUE(storage::PutBytes(*store_, MetadataKey(v.video_id),
                                ToJsonText(JobFor(v, "")) /* any document */));
  auto pass = Run(now_ + 2h);
  EXPECT_EQ(pass.originals_removed, 0);
  EXPECT_EQ(pass.unindexed, 1);
  EXPECT_TRUE(Exists(v.video_key));
}

// A delete killed after the row: the tombstone lets the reconciler finish it.
TEST_F(ReconcilerTest, ACutShortDeleteIsFinished) {
  catalog::VideoRecord v = Record(now_);
  ASSERT_TRUE(Library(*catalog_, *store_).Create(v));
  ASSERT_TRUE(storage::PutBytes(*store_, v.video_key, "bytes"));
  ASSERT_TRUE(storage::PutBytes(*store_, OutputKey(v.video_id, "video.mp4"), "mp4"));
  ASSERT_TRUE(catalog_->Delete(v.video_id));  // and then the process died
  EXPECT_EQ(Run(now_).deletes_finished, 1);
  EXPECT_TRUE(store_->List("", "", 100).value().objects.empty());
}

// A pending video whose job is nowhere (not in the outbox, nothing in the queue) gets it again
// once the grace period is over; one whose job is in the queue does not.
TEST_F(ReconcilerTest, AStuckVideoIsQueuedAgain) {
  catalog::VideoRecord v = Record(now_ - 10min);
  ASSERT_TRUE(Library(*catalog_, *store_).Create(v));
  EXPECT_EQ(Run(now_ - 10min).requeued, 0);  // too young
  ASSERT_TRUE(queue_->Send("another video's job"));
  EXPECT_EQ(Run(now_).requeued, 0);  // a job in the queue may be this video's
  auto m = queue_->Receive(1, 0s, 30s).value();
  ASSERT_TRUE(queue_->Delete(m.at(0).receipt_handle));
  EXPECT_EQ(Run(now_).requeued, 1);
  EXPECT_TRUE(catalog_->HasPendingJob(v.video_id).value());
  EXPECT_EQ(Run(now_).requeued, 0);  // already waiting in the outbox
  auto due = catalog_->ClaimDueJobs(10, 30s).value();
  ASSERT_EQ(due.size(), 1u);
  auto job = ParseProcessingJob(due[0].body);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->video_id, v.video_id);
}

// Counters reach the mirror, so reindex can bring them back.
TEST_F(ReconcilerTest, NewCountsAreMirrored) {
  catalog::VideoRecord v = Record(now_);
  ASSERT_TRUE(Library(*catalog_, *store_).Create(v));
  ASSERT_TRUE(catalog_->IncrementViews(v.video_id));
  ASSERT_TRUE(catalog_->IncrementViews(v.video_id));
  ASSERT_TRUE(catalog_->IncrementLikes(v.video_id));
  EXPECT_EQ(Run(now_).counters_mirrored, 1);
  auto back = Library(*catalog_, *store_).ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->views, 2);
  EXPECT_EQ(back->likes, 1);
  EXPECT_EQ(Run(now_).counters_mirrored, 0);  // unchanged since
}

// A later pass lists an unchanged row by its head only; what it repairs is still written from
// the whole row.
TEST_F(ReconcilerTest, AMirrorLostLaterIsWrittenFromTheWholeRow) {
  catalog::VideoRecord v = Record(now_);
  v.title = "Lighthouse at dusk";
  ASSERT_TRUE(Library(*catalog_, *store_).Create(v));
  ASSERT_TRUE(catalog_->IncrementViews(v.video_id));
  EXPECT_EQ(Run(now_).counters_mirrored, 1);
  ASSERT_TRUE(store_->Delete(MetadataKey(v.video_id)));
  EXPECT_EQ(Run(now_).mirrors_written, 1);
  auto back = Library(*catalog_, *store_).ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->title, "Lighthouse at dusk");
  EXPECT_EQ(back->video_key, v.video_key);
  EXPECT_EQ(back->views, 1);
}

// A restart forgets which counters this process mirrored: a mirror that already holds the row's
// counters is read, not rewritten (a library of viewed videos is not rewritten on every start),
// and one that is behind is rewritten.
TEST_F(ReconcilerTest, ARestartRewritesOnlyTheMirrorsBehindTheirRows) {
  catalog::VideoRecord current = Record(now_);
  catalog::VideoRecord behind = Record(now_);
  ASSERT_TRUE(Library(*catalog_, *store_).Create(current));
  ASSERT_TRUE(Library(*catalog_, *store_).Create(behind));
  ASSERT_TRUE(catalog_->IncrementViews(current.video_id));
  ASSERT_TRUE(catalog_->IncrementViews(behind.video_id));
  EXPECT_EQ(Run(now_).counters_mirrored, 2);
  ASSERT_TRUE(catalog_->IncrementLikes(behind.video_id));  // then the process stops

  reconciler_ = std::make_unique<Reconciler>(*catalog_, *store_, *queue_, ReconcilerOptions{});
  ReconcilePass pass = Run(now_);
  EXPECT_EQ(pass.counters_mirrored, 1);
  EXPECT_EQ(pass.mirrors_written, 0);
  auto back = Library(*catalog_, *store_).ReadMirror(MetadataKey(behind.video_id));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->views, 1);
  EXPECT_EQ(back->likes, 1);
  EXPECT_EQ(Run(now_).counters_mirrored, 0);
  ASSERT_TRUE(catalog_->IncrementViews(current.video_id));
  EXPECT_EQ(Run(now_).counters_mirrored, 1);
}

}  // namespace
}  // namespace kinora::videos
