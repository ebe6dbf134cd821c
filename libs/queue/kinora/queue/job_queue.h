// JobQueue: the processing-job queue with Amazon SQS semantics (at-least-once delivery,
// visibility timeout, receipt handles, receive counts, dead-letter after N receives).
// Backends: SQLite (embedded default), SQS (scale-out, sqs_queue.h); chosen by URL through
// OpenJobQueue(). Every backend passes job_queue_contract.h.
// Thread safety: a JobQueue may be used from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::queue {

using Seconds = std::chrono::seconds;

struct Message {
  std::string id;              // stable across receives
  std::string receipt_handle;  // valid only for this receive; a newer receive invalidates it
  std::string body;
  int receive_count = 0;  // 1 on first delivery
};

struct QueueStats {
  int64_t visible = 0;    // ready to be received
  int64_t in_flight = 0;  // received, visibility timeout not yet expired
  int64_t delayed = 0;    // sent with a delay that has not yet passed
  int64_t dead = 0;       // moved to the dead-letter queue
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // Enqueues body (1 byte – 256 KiB, else kInvalidArgument / kTooLarge), visible after
  // `delay` (0–900 s). Returns the message id.
  virtual Result<std::string> Send(std::string_view body, Seconds delay = Seconds{0}) = 0;

  // Returns up to max_messages (1–10) visible messages, waiting up to `wait` (0–20 s) for one
  // to arrive (long poll). Each returned message is hidden for `visibility` and its receive
  // count is incremented. A message that has already been received max_receives times is moved
  // to the dead-letter queue instead of being returned. An empty vector means none arrived.
  virtual Result<std::vector<Message>> Receive(int max_messages, Seconds wait,
                                               Seconds visibility) = 0;

  // Hides the message for `visibility` from now (0 makes it visible at once).
  // kNotFound if the receipt handle is stale (message re-received or deleted).
  virtual Result<void> ChangeVisibility(std::string_view receipt_handle, Seconds visibility) = 0;

  // Removes the message for good. A stale receipt handle gives kNotFound where the backend can
  // tell (SQLite); SQS answers success and leaves the message alone.
  virtual Result<void> Delete(std::string_view receipt_handle) = 0;

  virtual Result<QueueStats> Stats() = 0;

  // Messages in the dead-letter queue, oldest first (for operators and tests).
  virtual Result<std::vector<Message>> DeadLetters(int max_messages) = 0;

  virtual Result<void> Ping() = 0;
  virtual std::string Describe() const = 0;
  // How many receives a message gets before it goes to the dead-letter queue, so a consumer
  // knows when it holds a job's last attempt.
  virtual int max_receives() const = 0;

  // Wakes every Receive() that is waiting so shutdown does not wait out a long poll. From then
  // on every Receive() returns an empty vector at once, leasing nothing. Irreversible.
  virtual void Interrupt() = 0;
};

// sqlite:///abs/path/queue.db[?max_receives=5], or an SQS queue: sqs:<queue URL>, or the
// queue's own https:// (or, for SQS-compatible servers, http://) URL (see sqs_queue.h).
// Unknown schemes -> kInvalidArgument.
Result<std::unique_ptr<JobQueue>> OpenJobQueue(std::string_view url);

}  // namespace kinora::queue
