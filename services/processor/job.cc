// One job, from received message to PROCESSED or FAILED (Processor::Handle and its helpers).
#include "kinora/videos/job.h"

#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <fstream>
#include <random>
#include <thread>

#include "kinora/core/file_lock.h"
#include "kinora/core/log.h"
#include "kinora/core/public_text.h"
#include "kinora/media/transcode.h"
#include "kinora/processor/child_protocol.h"
#include "kinora/processor/processor.h"
#include "kinora/videos/keys.h"
#include "kinora/videos/library.h"
#include "publish.h"

namespace kinora::processor {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Processor::Job {
  const queue::Message& message;
  videos::ProcessingJob msg;
  catalog::VideoRecord record;
  // A reprocess of a PROCESSED video: the row as it was, which a failure restores (its outputs
  // stay published until a new set replaces them).
  std::optional<catalog::VideoRecord> before;
  fs::path scratch;
  FileLock scratch_lock;  // held while the job runs: tells our scratch from a dead process's
  Clock::time_point started = Clock::now();
  std::atomic<bool> cancel{false};
  bool shutdown = false;  // cancelled because we are stopping (not because the job is gone)
};

namespace {

std::string ScratchName(const std::string& video_id) {
  std::random_device rd;
  return video_id + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000);
}

// The child's JSON report (success or {"error", "permanent"}); empty if missing or unreadable.
boost::json::object ReadReport(const fs::path& file) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(text, ec);
  return !ec && doc.is_object() ? std::move(doc.get_object()) : boost::json::object();
}

std::string TrimmedTail(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

Result<void> Processor::SaveRecord(Job& job) {
  // Never write a row we could not read first: it would overwrite the real one with blanks.
  if (job.record.video_key.empty()) return Unavailable("row not loaded");
  return videos::Library(catalog_, store_).Save(job.record);
}

JobOutcome Processor::Handle(const queue::Message& m) {
  auto parsed = videos::ParseProcessingJob(m.body);
  if (!parsed && parsed.error().code == ErrorCode::kUnsupported) {
    // A job for a newer worker (a rolling update): leave it for one, as any failure would.
    log::Warn("leaving a job this worker does not understand",
              {{"message_id", m.id}, {"error", parsed.error().message}});
    (void)queue_.ChangeVisibility(m.receipt_handle, options_.lease);
    jobs_.With({"retrying"}).Inc();
    return JobOutcome::kRetrying;
  }
  if (!parsed) {  // poison: no retry can fix it
    log::Error("dropping an unreadable job message",
               {{"message_id", m.id}, {"error", parsed.error().message}});
    (void)queue_.Delete(m.receipt_handle);
    jobs_.With({"dropped"}).Inc();
    return JobOutcome::kDropped;
  }
  Job job{m, *parsed, {}, {}, {}, {}};
  auto record = catalog_.Get(job.msg.video_id);
  if (!record) {
    if (record.error().code == ErrorCode::kNotFound) {  // deleted before we got to it
      log::Info("job for a deleted video dropped", {{"video_id", job.msg.video_id}});
      (void)queue_.Delete(m.receipt_handle);
      jobs_.With({"dropped"}).Inc();
      return JobOutcome::kDropped;
    }
    job.record.video_id = job.msg.video_id;
    return Retry(job, "the catalog is unavailable: " + record.error().message);
  }
  job.record = std::move(*record);
  if (job.record.status == catalog::VideoStatus::kProcessed && job.msg.reprocess) {
    log::Info("reprocessing", {{"video_id", job.msg.video_id}});
    job.before = job.record;
  } else if (job.record.status == catalog::VideoStatus::kProcessed) {  // a duplicate delivery
    log::Info("job already done", {{"video_id", job.msg.video_id}});
    // A crash between the final row write and its mirror leaves the mirror behind the row and
    // the message undeleted; this redelivery is where the mirror catches up.
    (void)videos::Library(catalog_, store_).WriteMirror(job.record);
    (void)queue_.Delete(m.receipt_handle);
    jobs_.With({"duplicate"}).Inc();
    return JobOutcome::kDropped;
  }

  running_.Add(1);
  job.scratch = options_.work_dir / ScratchName(job.msg.video_id);
  std::error_code ec;
  if (fs::create_directories(job.scratch, ec); !ec) {
    if (auto lock = FileLock::Acquire(job.scratch)) job.scratch_lock = std::move(*lock);
  }
  JobOutcome outcome = Run(job);
  job.scratch_lock.Release();
  fs::remove_all(job.scratch, ec);
  running_.Add(-1);
  job_seconds_.Observe(std::chrono::duration<double>(Clock::now() - job.started).count());
  static constexpr const char* kNames[] = {"processed", "failed", "retrying", "released",
                                           "dropped"};
  jobs_.With({kNames[static_cast<int>(outcome)]}).Inc();
  return outcome;
}

JobOutcome Processor::Run(Job& job) {
  const std::string& id = job.record.video_id;
  log::Info("processing started", {{"video_id", id},
                                   {"correlation_id", job.msg.correlation_id},
                                   {"attempt", std::to_string(job.message.receive_count)}});
  job.record.status = catalog::VideoStatus::kProcessing;
  job.record.progress = 0;
  job.record.error.clear();
  if (auto r = catalog_.Update(job.record); !r) {
    return Retry(job, "the catalog is unavailable: " + r.error().message);
  }

  std::error_code ec;
  const fs::path out_dir = job.scratch / "out";
  fs::create_directories(out_dir, ec);
  if (ec) return Retry(job, "cannot create scratch space: " + ec.message());
  const fs::path input = job.scratch / ("source." + job.record.file_extension);
  if (auto r = Download(store_, job.record.video_key, input); !r) {
    if (r.error().code == ErrorCode::kNotFound) {
      return Fail(job, "the original file is missing from storage");
    }
    return Retry(job, "cannot read the original: " + r.error().message);
  }

  // The child: the same binary's pipeline, in its own process with limits.
  const fs::path report_file = job.scratch / "report.json";
  const std::vector<std::string> argv =
      ChildArgv(options_.executable, ChildRequest{.input = input,
                                                  .out_dir = out_dir,
                                                  .report = report_file,
                                                  .progress_fd = sandbox::kProgressFd,
                                                  .preset = options_.x264_preset,
                                                  .crf = options_.crf,
                                                  .quiet = true,
                                                  .limits = options_.media_limits});
  auto last_lease = Clock::now();
  auto last_saved = Clock::now();
  double saved_progress = 0;
  sandbox::Callbacks cb;
  cb.cancel = &job.cancel;
  cb.on_line = [&](std::string_view line) {
    const std::optional<double> share = ParseProgressLine(line);
    if (!share) return;
    const double p = *share;
    job.record.progress = std::round(p * 100) / 100;
    // Throttled: a catalog write per 5 % or 2 s at most.
    if (p - saved_progress < 0.05 && Clock::now() - last_saved < std::chrono::seconds(2)) return;
    saved_progress = p;
    last_saved = Clock::now();
    if (auto r = catalog_.Update(job.record); !r && r.error().code == ErrorCode::kNotFound) {
      job.cancel = true;  // the video was deleted while we worked on it
    }
  };
  cb.on_tick = [&] {
    if (stopping_) {
      job.shutdown = true;
      job.cancel = true;
    }
    if (Clock::now() - last_lease < options_.lease / 3) return;
    last_lease = Clock::now();
    auto r = queue_.ChangeVisibility(job.message.receipt_handle, options_.lease);
    if (!r && r.error().code == ErrorCode::kNotFound) job.cancel = true;  // someone else has it
  };
  auto outcome = sandbox::Run(argv, options_.limits, cb);
  if (!outcome) return Retry(job, "cannot start the processing child: " + outcome.error().message);
  if (outcome->cancelled) {
    if (job.shutdown) return Release(job);
    log::Info("job abandoned (video deleted or lease lost)", {{"video_id", id}});
    // Deleted video: the job is done with. Lost lease: the handle is stale and this is a no-op.
    (void)queue_.Delete(job.message.receipt_handle);
    return JobOutcome::kDropped;
  }
  if (!outcome->ok()) {
    std::string reason;
    bool permanent = outcome->signal != 0 || outcome->timed_out || outcome->stalled;
    if (auto failure = ParseFailureReport(ReadReport(report_file))) {
      reason = failure->error;
      permanent = permanent || outcome->exit_code == child::kExitUnprocessable;
    } else {
      reason = outcome->Describe(options_.limits);
      std::string tail = TrimmedTail(outcome->stderr_tail);
      log::Warn("processing child failed",
                {{"video_id", id}, {"reason", reason}, {"stderr", tail.substr(0, 500)}});
    }
    return permanent ? Fail(job, reason) : Retry(job, reason);
  }

  const boost::json::object doc = ReadReport(report_file);
  if (doc.empty()) return Retry(job, "the processing report is unreadable");
  auto report = media::TranscodeReportFromJson(doc);
  if (!report) return Retry(job, report.error().message);

  auto published = Publish(store_, id, out_dir, report->files);
  if (!published) return Retry(job, "cannot store the outputs: " + published.error().message);

  catalog::VideoRecord& v = job.record;
  ApplyReport(*report, *published, v);
  v.status = catalog::VideoStatus::kProcessed;
  v.progress = 1;
  v.error.clear();
  v.processed_at = std::chrono::system_clock::now();
  v.processing_seconds =
      std::round(std::chrono::duration<double>(Clock::now() - job.started).count() * 1000) / 1000;
  if (auto r = SaveRecord(job); !r) {
    if (r.error().code == ErrorCode::kNotFound) {  // deleted meanwhile: leave nothing behind
      (void)videos::Library(catalog_, store_).DeleteOutputs(id);
      (void)queue_.Delete(job.message.receipt_handle);
      return JobOutcome::kDropped;
    }
    return Retry(job, "cannot record the result: " + r.error().message);
  }
  (void)queue_.Delete(job.message.receipt_handle);
  log::Info("processing finished", {{"video_id", id},
                                    {"correlation_id", job.msg.correlation_id},
                                    {"seconds", std::to_string(*v.processing_seconds)},
                                    {"renditions", std::to_string(report->renditions.size())}});
  return JobOutcome::kProcessed;
}

JobOutcome Processor::Fail(Job& job, const std::string& reason) {
  const std::string& id = job.record.video_id;
  log::Warn("processing failed",
            {{"video_id", id}, {"correlation_id", job.msg.correlation_id}, {"reason", reason}});
  if (job.before) {  // a failed reprocess leaves the video as it was, still playable
    const std::string error = "reprocessing failed: " + WithoutServerPaths(reason);
    job.record = *job.before;
    job.record.error = error;
    if (auto r = SaveRecord(job); !r && r.error().code != ErrorCode::kNotFound) {
      return Retry(job, "cannot record the failure: " + r.error().message);
    }
    (void)queue_.Delete(job.message.receipt_handle);
    return JobOutcome::kFailed;
  }
  // No partial outputs stay visible.
  (void)videos::Library(catalog_, store_).DeleteOutputs(id);
  ClearOutputs(job.record);
  job.record.status = catalog::VideoStatus::kFailed;
  job.record.progress = 0;
  job.record.error = WithoutServerPaths(reason);  // public; the log above keeps the paths
  if (auto r = SaveRecord(job); !r && r.error().code != ErrorCode::kNotFound) {
    return Retry(job, "cannot record the failure: " + r.error().message);
  }
  (void)queue_.Delete(job.message.receipt_handle);
  return JobOutcome::kFailed;
}

JobOutcome Processor::Retry(Job& job, const std::string& reason) {
  const int attempt = job.message.receive_count;
  const int max = queue_.max_receives();
  if (attempt >= max) {  // the last attempt: the video shows FAILED, the job goes to the DLQ
    job.record.status = catalog::VideoStatus::kFailed;
    job.record.progress = 0;
    job.record.error = "processing gave up after " + std::to_string(attempt) +
                       " attempts: " + WithoutServerPaths(reason);
    (void)SaveRecord(job);
    (void)queue_.ChangeVisibility(job.message.receipt_handle, std::chrono::seconds(0));
    log::Error("processing gave up", {{"video_id", job.record.video_id}, {"reason", reason}});
    return JobOutcome::kFailed;
  }
  const auto backoff = std::min<std::chrono::seconds>(
      options_.max_backoff, std::chrono::seconds(5) * (1 << std::min(attempt - 1, 10)));
  job.record.error = "attempt " + std::to_string(attempt) + " of " + std::to_string(max) +
                     " failed (" + WithoutServerPaths(reason) + "); retrying in " +
                     std::to_string(backoff.count()) + " s";
  if (!job.record.video_key.empty()) {
    if (auto r = catalog_.Update(job.record); !r) {
      log::Warn("cannot record the retry in the catalog",
                {{"video_id", job.record.video_id}, {"error", r.error().message}});
    }
  }
  log::Warn("processing will be retried", {{"video_id", job.record.video_id},
                                           {"reason", reason},
                                           {"backoff_seconds", std::to_string(backoff.count())}});
  if (auto delayed = queue_.ChangeVisibility(job.message.receipt_handle, backoff); !delayed) {
    log::Error("cannot delay the retry in the queue; holding the job for its backoff",
               {{"video_id", job.record.video_id}, {"error", delayed.error().message}});
    HoldForBackoff(job, backoff);
  }
  return JobOutcome::kRetrying;
}

void Processor::HoldForBackoff(Job& job, std::chrono::seconds backoff) {
  const auto until = Clock::now() + backoff;
  while (!stopping_ && Clock::now() < until) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::seconds(1), until - Clock::now()));
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - Clock::now());
    if (left <= std::chrono::seconds(0)) break;
    auto delayed = queue_.ChangeVisibility(job.message.receipt_handle, left);
    if (delayed) {
      log::Info("retry delay recorded", {{"video_id", job.record.video_id},
                                         {"backoff_seconds", std::to_string(left.count())}});
      return;
    }
    if (delayed.error().code == ErrorCode::kNotFound) return;  // another worker has it now
  }
  // Stopping, or the backoff is over: the job may run again as soon as the queue lets it.
}

JobOutcome Processor::Release(Job& job) {
  (void)queue_.ChangeVisibility(job.message.receipt_handle, std::chrono::seconds(0));
  log::Info("job released for another worker (shutting down)", {{"video_id", job.record.video_id}});
  return JobOutcome::kReleased;
}

}  // namespace kinora::processor
