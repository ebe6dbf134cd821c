// The processor role: a pool of workers that long-poll the job queue, run the processing
// pipeline for each job in a sandboxed child process (the same binary's `process` subcommand),
// publish the outputs to the object store and record the result in the catalog.
//
// A job's message is deleted only after every output, the catalog row and metadata/{id}.json
// are durably written. While a job runs its lease is extended; a crash or kill of this process
// lets the lease lapse so another worker (or this one after a restart) does the job again, and
// outputs are published under fixed keys, so running a job twice gives the same result.
// Failures: input the pipeline cannot process, a crash, a hang or a runaway child fail the
// video at once with a reason; anything else (storage or catalog unavailable) is retried with
// exponential backoff, and the last permitted attempt marks the video FAILED and leaves the
// message to the dead-letter queue. A sweep marks FAILED any video whose job reached the
// dead-letter queue another way (e.g. the whole process kept crashing). A retry's backoff holds
// even when the queue cannot record it (a full disk): the worker then holds the job itself; and
// while the disk reserve is not met no worker takes a job at all.
// Thread safety: Start/Stop from one thread; workers run on their own threads.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/media/input_policy.h"
#include "kinora/metrics/registry.h"
#include "kinora/queue/job_queue.h"
#include "kinora/sandbox/sandbox.h"
#include "kinora/storage/object_store.h"

namespace kinora::processor {

struct ProcessorOptions {
  int workers = 1;
  std::chrono::seconds lease{60};      // visibility timeout per lease, extended every lease/3
  std::chrono::seconds poll_wait{20};  // long poll
  std::filesystem::path work_dir;      // scratch space: downloads and outputs, per job
  std::string executable;              // runs `<executable> process ...`; default: this binary
  sandbox::Limits limits;              // for each job's child process
  media::MediaLimits media_limits;     // what a source may be (pixels, duration)
  std::string x264_preset = "veryfast";
  int crf = 23;
  std::chrono::seconds max_backoff{300};
  // The disk reserve of the scratch space (storage::DiskReserve::Check): while it fails, no
  // worker receives a job, so a full disk burns no attempts. Empty: no check.
  std::function<Result<void>()> disk_check;
};

// What happened to one message.
enum class JobOutcome { kProcessed, kFailed, kRetrying, kReleased, kDropped };

class Processor {
 public:
  Processor(storage::ObjectStore& store, queue::JobQueue& queue, catalog::Catalog& catalog,
            metrics::Registry& metrics, ProcessorOptions options);
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  // Removes scratch directories left by dead processes, then starts the workers.
  void Start();
  // Stops taking jobs, kills running children and makes their jobs visible again at once.
  // Call JobQueue::Interrupt() first so workers are not left in a long poll.
  void Stop();
  // Stop() without waiting: workers finish or release their current job and exit. Safe from
  // a signal-handling thread.
  void RequestStop() { stopping_ = true; }

  // Handles one received message to the end (the worker loop's body; public for tests).
  JobOutcome Handle(const queue::Message& m);
  // Marks FAILED the videos whose jobs are in the dead-letter queue but still look pending.
  void SweepDeadLetters();

 private:
  struct Job;
  void Work(int index);
  JobOutcome Run(Job& job);
  JobOutcome Fail(Job& job, const std::string& reason);
  JobOutcome Retry(Job& job, const std::string& reason);
  JobOutcome Release(Job& job);
  // When the queue could not record a retry's delay: hold the job here for the backoff,
  // trying to record it again, so the delay holds whatever state could not be written.
  void HoldForBackoff(Job& job, std::chrono::seconds backoff);
  // False (after waiting a little) while the disk reserve is not met.
  bool DiskAllowsWork(bool& paused);
  Result<void> SaveRecord(Job& job);

  storage::ObjectStore& store_;
  queue::JobQueue& queue_;
  catalog::Catalog& catalog_;
  ProcessorOptions options_;
  metrics::Family<metrics::Counter>& jobs_;
  metrics::Histogram& job_seconds_;
  metrics::Gauge& running_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace kinora::processor
