// The job lifecycle against real engines (SQLite queue and catalog, local object store), with a
// shell script standing in for the `kinora process` child so every outcome can be staged.
#include "kinora/processor/processor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "kinora/core/file_lock.h"
#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/queue/fault_injection.h"
#include "kinora/queue/sqlite_queue.h"
#include "kinora/videos/job.h"

namespace kinora::processor {
namespace {

namespace fs = std::filesystem;
using catalog::VideoStatus;
using namespace std::chrono_literals;

// A stand-in child: "$3" is the output dir, "$5" the report file (see job.cc's argv).
constexpr const char* kSucceeds = R"(#!/bin/sh
out="$4"; report="$6"
mkdir -p "$out/hls/240p"
echo 'progress 0.5' >&3
printf '#EXTM3U\n' > "$out/hls/master.m3u8"
printf '#EXTM3U\n#EXTINF:2.0,\nseg_00001.m4s\n' > "$out/hls/240p/index.m3u8"
printf 'seg' > "$out/hls/240p/seg_00001.m4s"
printf 'mp4' > "$out/video.mp4"
printf 'jpg' > "$out/thumbnail.jpg"
printf 'jpg' > "$out/poster.jpg"
cat > "$report" <<JSON
{"probe":{"container":"mov,mp4,m4a,3gp,3g2,mj2","duration_seconds":2.0,"video_codec":"h264",
"width":320,"height":240,"rotation":0,"sample_aspect_ratio":"1:1","fps":25,"bit_depth":8},
"display_width":320,"display_height":240,"fps":25,
"renditions":[{"name":"240p","width":320,"height":240,"bandwidth":580800,"copy":false,
"codecs":"avc1.64000d","playlist":"hls/240p/index.m3u8","segments":1,"duration_seconds":2.0}],
"mp4":{"name":"240p","width":320,"height":240},
"files":["hls/240p/index.m3u8","hls/240p/seg_00001.m4s","hls/master.m3u8","poster.jpg",
"thumbnail.jpg","video.mp4"]}
JSON
)";

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kinora-processor-test-" + NewUuid());
    fs::create_directories(dir_);
    store_ = std::move(storage::OpenObjectStore("file://" + (dir_ / "objects").string()).value());
    queue_ = std::move(queue::NewSqliteQueue(dir_ / "queue.db", {.max_receives = 2}).value());
    catalog_ =
        std::move(catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string()).value());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Processor> MakeProcessor(
      const std::string& script, queue::JobQueue* queue = nullptr,
      const std::function<void(ProcessorOptions&)>& tune = {}) {
    const fs::path exe = dir_ / ("child-" + NewUuid() + ".sh");
    std::ofstream(exe) << script;
    fs::permissions(exe, fs::perms::owner_all);
    ProcessorOptions o;
    o.work_dir = dir_ / "work";
    o.executable = exe.string();
    o.limits.wall = 20s;
    if (tune) tune(o);
    return std::make_unique<Processor>(*store_, queue ? *queue : *queue_, *catalog_, registry_, o);
  }

  // An uploaded video with its queued job, as the uploader leaves it.
  std::string Upload() {
    catalog::VideoRecord v;
    v.video_id = NewUuid();
    v.file_extension = "mp4";
    v.video_key = "videos/" + v.video_id + ".mp4";
    v.uploaded_at = std::chrono::system_clock::now();
    EXPECT_TRUE(storage::PutBytes(*store_, v.video_key, "original bytes"));
    EXPECT_TRUE(catalog_->Insert(v));
    EXPECT_TRUE(queue_->Send(R"({"video_id":")" + v.video_id + R"(","s3_video_key":")" +
                             v.video_key + R"("})"));
    return v.video_id;
  }

  queue::Message ReceiveOne() {
    auto got = queue_->Receive(1, 0s, 60s);
    EXPECT_TRUE(got && got->size() == 1);
    return got && !got->empty() ? got->front() : queue::Message{};
  }

  bool Exists(const std::string& key) { return store_->Head(key).has_value(); }

  fs::path dir_;
  metrics::Registry registry_;
  std::unique_ptr<storage::ObjectStore> store_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(ProcessorTest, ASuccessfulJobPublishesEveryOutputThenDeletesTheMessage) {
  const std::string id = Upload();
  // A leftover of an earlier run with another ladder must not survive the new one.
  ASSERT_TRUE(storage::PutBytes(*store_, "processed/" + id + "/hls/1080p/index.m3u8", "old"));
  auto p = MakeProcessor(kSucceeds);
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kProcessed);

  auto v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kProcessed);
  EXPECT_EQ(v.progress, 1);
  EXPECT_EQ(v.hls_key, "processed/" + id + "/hls/master.m3u8");
  EXPECT_EQ(v.mp4_key, "processed/" + id + "/video.mp4");
  EXPECT_EQ(v.thumbnail_key, "thumbnails/" + id + ".jpg");
  EXPECT_EQ(v.poster_key, "processed/" + id + "/poster.jpg");
  EXPECT_NE(v.renditions_json.find("\"240p\""), std::string::npos);
  EXPECT_NE(v.probe_json.find("\"bit_depth\":8"), std::string::npos);
  EXPECT_TRUE(v.processing_seconds.has_value());
  for (const auto& key : {v.hls_key, v.mp4_key, v.thumbnail_key, v.poster_key,
                          "processed/" + id + "/hls/240p/seg_00001.m4s"}) {
    EXPECT_TRUE(Exists(key)) << key;
  }
  EXPECT_FALSE(Exists("processed/" + id + "/hls/1080p/index.m3u8"));
  auto meta = storage::GetBytes(*store_, "metadata/" + id + ".json").value();
  EXPECT_NE(meta.find("\"PROCESSED\""), std::string::npos);
  auto st = queue_->Stats().value();
  EXPECT_EQ(st.visible + st.in_flight + st.dead, 0);
  EXPECT_TRUE(fs::is_empty(dir_ / "work"));  // scratch space is cleaned up
}

TEST_F(ProcessorTest, UnprocessableInputFailsAtOnceWithTheReason) {
  const std::string id = Upload();
  auto p = MakeProcessor(R"(#!/bin/sh
echo '{"error":"the video stream has no frames","permanent":true}' > "$6"; exit 3)");
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kFailed);
  auto v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kFailed);
  EXPECT_EQ(v.error, "the video stream has no frames");
  EXPECT_TRUE(v.hls_key.empty());
  EXPECT_EQ(queue_->Stats().value().in_flight, 0);
  auto listed = store_->List("processed/", "", 10).value();
  EXPECT_TRUE(listed.objects.empty());
}

TEST_F(ProcessorTest, ACrashingChildFailsTheJobNotTheProcess) {
  const std::string id = Upload();
  auto p = MakeProcessor(
      "#!/bin/sh\nmkdir -p \"$4/hls\"; echo partial > \"$4/hls/x\"\n"
      "kill -SEGV $$\n");
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kFailed);
  auto v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kFailed);
  EXPECT_EQ(v.error, "the decoder crashed (SIGSEGV)");
}

TEST_F(ProcessorTest, TransientFailuresRetryThenTheLastAttemptFailsAndDeadLetters) {
  const std::string id = Upload();
  auto p = MakeProcessor(R"SH(#!/bin/sh
echo '{"error":"cannot write (No space left on device)","permanent":false}' > "$6"; exit 1)SH");
  queue::Message first = ReceiveOne();
  EXPECT_EQ(p->Handle(first), JobOutcome::kRetrying);
  auto v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kProcessing);
  EXPECT_NE(v.error.find("attempt 1 of 2 failed"), std::string::npos) << v.error;
  EXPECT_TRUE(queue_->Receive(1, 0s, 60s).value().empty());  // backing off

  ASSERT_TRUE(queue_->ChangeVisibility(first.receipt_handle, 0s));  // skip the wait
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kFailed);
  v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kFailed);
  EXPECT_NE(v.error.find("gave up after 2 attempts"), std::string::npos) << v.error;
  EXPECT_TRUE(queue_->Receive(1, 0s, 60s).value().empty());
  EXPECT_EQ(queue_->Stats().value().dead, 1);
}

constexpr const char* kDiskFull = R"SH(#!/bin/sh
echo '{"error":"cannot finish /srv/kinora/data/work/x-1-2/out/video.mp4 (No space left on device)","permanent":false}' > "$6"; exit 1)SH";

// Disk full: the queue cannot record the retry's delay. Before, the job came back as soon as
// its receive lease lapsed (here 1 s) and burned its attempts; now the worker holds it and
// records the delay once the queue takes writes again, so the 5 s backoff holds.
TEST_F(ProcessorTest, ARetryDelayHoldsWhenTheQueueCannotRecordIt) {
  const std::string id = Upload();
  queue::FaultInjectingQueue faulty(*queue_);
  faulty.FailAt(queue::QueueOp::kChangeVisibility, 0,
                InsufficientStorage("database or disk is full"));
  auto p = MakeProcessor(kDiskFull, &faulty);
  const auto start = std::chrono::steady_clock::now();
  auto got = queue_->Receive(1, 0s, 1s);
  ASSERT_TRUE(got && got->size() == 1);
  EXPECT_EQ(p->Handle(got->front()), JobOutcome::kRetrying);
  EXPECT_GE(faulty.calls(queue::QueueOp::kChangeVisibility), 2);  // tried again, recorded
  std::this_thread::sleep_until(start + 1500ms);                  // past the receive lease
  EXPECT_TRUE(queue_->Receive(1, 0s, 60s).value().empty()) << "the backoff did not hold";
  // The public reason names no server path; the log keeps it.
  const std::string error = catalog_->Get(id).value().error;
  EXPECT_NE(error.find("cannot finish video.mp4 (No space left on device)"), std::string::npos)
      << error;
  EXPECT_EQ(error.find("/srv/"), std::string::npos) << error;
}

// While the disk reserve is not met no worker receives a job (no attempt is used up); once
// space is back the job runs, without a restart.
TEST_F(ProcessorTest, NoJobIsTakenWhileTheDiskReserveIsNotMet) {
  const std::string id = Upload();
  std::atomic<bool> low{true};
  auto p = MakeProcessor(kSucceeds, nullptr, [&](ProcessorOptions& o) {
    o.poll_wait = 1s;
    o.disk_check = [&]() -> Result<void> {
      if (low) return InsufficientStorage("low disk space");
      return {};
    };
  });
  p->Start();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(queue_->Stats().value().visible, 1);  // never received
  EXPECT_EQ(catalog_->Get(id).value().status, VideoStatus::kUploaded);
  low = false;
  for (int i = 0; i < 300 && catalog_->Get(id).value().status != VideoStatus::kProcessed; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  queue_->Interrupt();
  p->Stop();
  EXPECT_EQ(catalog_->Get(id).value().status, VideoStatus::kProcessed);
}

TEST_F(ProcessorTest, DeadLettersOfPendingVideosAreMarkedFailed) {
  const std::string id = Upload();
  for (int i = 0; i < 2; ++i) {
    queue::Message m = ReceiveOne();  // received and abandoned, as by a process that crashed
    ASSERT_TRUE(queue_->ChangeVisibility(m.receipt_handle, 0s));
  }
  EXPECT_TRUE(queue_->Receive(1, 0s, 60s).value().empty());  // now in the dead-letter queue
  auto p = MakeProcessor(kSucceeds);
  p->SweepDeadLetters();
  auto v = catalog_->Get(id).value();
  EXPECT_EQ(v.status, VideoStatus::kFailed);
  EXPECT_NE(v.error.find("dead-letter"), std::string::npos) << v.error;
}

TEST_F(ProcessorTest, JobsOfDeletedOrAlreadyProcessedVideosAreDropped) {
  const std::string gone = Upload();
  ASSERT_TRUE(catalog_->Delete(gone));
  auto p = MakeProcessor(kSucceeds);
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kDropped);

  const std::string id = Upload();
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kProcessed);
  ASSERT_TRUE(queue_->Send(R"({"video_id":")" + id + R"(","s3_video_key":"videos/)" + id +
                           R"(.mp4"})"));  // a duplicate delivery
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kDropped);
  EXPECT_EQ(catalog_->Get(id).value().status, VideoStatus::kProcessed);
}

// A reprocess job redoes a PROCESSED video's job, replacing its outputs (what the new set lacks
// is deleted); a failing one leaves the video PROCESSED with its outputs and the reason.
TEST_F(ProcessorTest, AReprocessJobRedoesAProcessedVideo) {
  const std::string id = Upload();
  auto p = MakeProcessor(kSucceeds);
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kProcessed);
  const auto first = catalog_->Get(id).value();
  ASSERT_TRUE(storage::PutBytes(*store_, "processed/" + id + "/hls/1080p/index.m3u8", "old"));
  videos::ProcessingJob job = videos::JobFor(first, "again");
  job.reprocess = true;
  ASSERT_TRUE(queue_->Send(videos::ToJsonText(job)));
  std::this_thread::sleep_for(5ms);  // a processed_at of its own
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kProcessed);
  const auto again = catalog_->Get(id).value();
  EXPECT_EQ(again.status, VideoStatus::kProcessed);
  EXPECT_GT(again.processed_at, first.processed_at);
  EXPECT_FALSE(Exists("processed/" + id + "/hls/1080p/index.m3u8"));
  EXPECT_TRUE(Exists(again.mp4_key));

  auto failing = MakeProcessor(R"(#!/bin/sh
echo '{"error":"the video stream has no frames","permanent":true}' > "$6"; exit 3)");
  ASSERT_TRUE(queue_->Send(videos::ToJsonText(job)));
  EXPECT_EQ(failing->Handle(ReceiveOne()), JobOutcome::kFailed);
  const auto kept = catalog_->Get(id).value();
  EXPECT_EQ(kept.status, VideoStatus::kProcessed);
  EXPECT_EQ(kept.mp4_key, again.mp4_key);
  EXPECT_NE(kept.error.find("reprocessing failed"), std::string::npos) << kept.error;
  EXPECT_TRUE(Exists(again.mp4_key));
  EXPECT_EQ(queue_->Stats().value().visible + queue_->Stats().value().in_flight, 0);
}

TEST_F(ProcessorTest, UnreadableMessagesAreDroppedNotRetried) {
  ASSERT_TRUE(queue_->Send("{not json"));
  auto p = MakeProcessor(kSucceeds);
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kDropped);
  auto st = queue_->Stats().value();
  EXPECT_EQ(st.visible + st.in_flight + st.dead, 0);
}

TEST_F(ProcessorTest, JobsForANewerWorkerAreLeftInTheQueue) {
  const std::string id = Upload();
  (void)ReceiveOne();  // the upload's own job is not what this test is about
  ASSERT_TRUE(queue_->Send(R"({"type":"process","version":99,"video_id":")" + id +
                           R"(","s3_video_key":"videos/)" + id + R"(.mp4"})"));
  auto p = MakeProcessor(kSucceeds);
  EXPECT_EQ(p->Handle(ReceiveOne()), JobOutcome::kRetrying);
  auto st = queue_->Stats().value();
  EXPECT_EQ(st.in_flight, 2);  // hidden for a lease, not deleted
  EXPECT_EQ(catalog_->Get(id).value().status, VideoStatus::kUploaded);
}

TEST_F(ProcessorTest, WorkersConsumeTheQueueUntilStopped) {
  const std::string id = Upload();
  auto p = MakeProcessor(kSucceeds);
  p->Start();
  for (int i = 0; i < 200 && catalog_->Get(id).value().status != VideoStatus::kProcessed; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  queue_->Interrupt();
  p->Stop();
  EXPECT_EQ(catalog_->Get(id).value().status, VideoStatus::kProcessed);
}

// Under PID 1 in a container the restarted server has the crashed one's pid: the scratch of a
// dead job is recognised by the lock nobody holds, not by the pid in its name.
TEST_F(ProcessorTest, ScratchOfADeadJobIsRemovedEvenWhenItNamesOurPid) {
  const std::string pid = std::to_string(::getpid());
  const fs::path dead = dir_ / "work" / (NewUuid() + "-" + pid + "-1");
  const fs::path live = dir_ / "work" / (NewUuid() + "-" + pid + "-2");
  fs::create_directories(dead / "out");
  fs::create_directories(live / "out");
  auto live_lock = FileLock::Acquire(live);
  ASSERT_TRUE(live_lock);
  auto p = MakeProcessor(kSucceeds);
  p->Start();
  queue_->Interrupt();
  p->Stop();
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
}

}  // namespace
}  // namespace kinora::processor
