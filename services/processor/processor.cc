#include "kinora/processor/processor.h"

#include <random>

#include "kinora/core/file_lock.h"
#include "kinora/core/log.h"
#include "kinora/videos/job.h"
#include "kinora/videos/library.h"

namespace kinora::processor {
namespace {

namespace fs = std::filesystem;

// Scratch directories are "<video_id>-<pid>-<random>", each locked by the job using it
// (file_lock.h); one nobody locks belongs to a dead process, whatever pid it names.
void RemoveOrphanedScratch(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (IsLockHeld(entry.path())) continue;  // a live job's
    std::error_code rec;
    fs::remove_all(entry.path(), rec);
  }
}

}  // namespace

Processor::Processor(storage::ObjectStore& store, queue::JobQueue& queue, catalog::Catalog& catalog,
                     metrics::Registry& metrics, ProcessorOptions options)
    : store_(store),
      queue_(queue),
      catalog_(catalog),
      options_(std::move(options)),
      jobs_(metrics.AddCounter("kinora_jobs_total", "Processing jobs by outcome.", {"outcome"})),
      job_seconds_(metrics
                       .AddHistogram("kinora_job_seconds", "Wall time of processing jobs.", {},
                                     {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600})
                       .With()),
      running_(metrics.AddGauge("kinora_jobs_running", "Jobs being processed now.").With()) {
  if (options_.executable.empty()) options_.executable = sandbox::SelfExecutable();
}

Processor::~Processor() { Stop(); }

void Processor::Start() {
  std::error_code ec;
  fs::create_directories(options_.work_dir, ec);
  RemoveOrphanedScratch(options_.work_dir);
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { Work(i); });
  log::Info("processor started", {{"workers", std::to_string(options_.workers)},
                                  {"lease_seconds", std::to_string(options_.lease.count())}});
}

void Processor::Stop() {
  stopping_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void Processor::Work(int index) {
  auto next_sweep = std::chrono::steady_clock::now();
  int failures = 0;
  bool disk_paused = false;
  while (!stopping_) {
    if (index == 0 && std::chrono::steady_clock::now() >= next_sweep) {
      SweepDeadLetters();
      next_sweep = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    }
    if (!DiskAllowsWork(disk_paused)) continue;
    auto got = queue_.Receive(1, options_.poll_wait, options_.lease);
    if (!got) {
      // The queue is unreachable: back off (up to 30 s) without spinning.
      failures = std::min(failures + 1, 5);
      log::Warn("cannot receive jobs", {{"error", got.error().message}});
      for (int i = 0; i < (1 << failures) && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      continue;
    }
    failures = 0;
    for (const queue::Message& m : *got) {
      if (stopping_) {
        (void)queue_.ChangeVisibility(m.receipt_handle, std::chrono::seconds(0));
        break;
      }
      Handle(m);
    }
  }
}

bool Processor::DiskAllowsWork(bool& paused) {
  if (!options_.disk_check) return true;
  auto ok = options_.disk_check();
  if (ok) {
    if (paused) log::Info("disk space is back; taking jobs again");
    paused = false;
    return true;
  }
  if (!paused) log::Warn("not taking jobs", {{"reason", ok.error().message}});
  paused = true;
  for (int i = 0; i < 10 && !stopping_; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

void Processor::SweepDeadLetters() {
  auto dead = queue_.DeadLetters(100);
  if (!dead) return;
  for (const queue::Message& m : *dead) {
    auto job = videos::ParseProcessingJob(m.body);
    if (!job) continue;
    auto v = catalog_.Get(job->video_id);
    if (!v || v->status == catalog::VideoStatus::kProcessed ||
        v->status == catalog::VideoStatus::kFailed) {
      continue;
    }
    v->status = catalog::VideoStatus::kFailed;
    v->progress = 0;
    v->error = "processing was abandoned after " + std::to_string(m.receive_count) +
               " attempts (the job is in the dead-letter queue)";
    if (videos::Library(catalog_, store_).Save(*v)) {
      log::Warn("job in the dead-letter queue; video marked FAILED",
                {{"video_id", v->video_id}, {"correlation_id", job->correlation_id}});
    }
  }
}

}  // namespace kinora::processor
