// Decorators for tests of failure paths, in LevelDB's EnvWrapper manner: JobQueueWrapper
// forwards every call to a target queue, and FaultInjectingQueue makes chosen calls fail (the
// target never sees them).
// Thread safety: as JobQueue; the target must outlive the wrapper.
#pragma once

#include "kinora/core/fault_plan.h"
#include "kinora/queue/job_queue.h"

namespace kinora::queue {

class JobQueueWrapper : public JobQueue {
 public:
  explicit JobQueueWrapper(JobQueue& target) : target_(target) {}

  Result<std::string> Send(std::string_view body, Seconds delay = Seconds{0}) override {
    return target_.Send(body, delay);
  }
  Result<std::vector<Message>> Receive(int max_messages, Seconds wait,
                                       Seconds visibility) override {
    return target_.Receive(max_messages, wait, visibility);
  }
  Result<void> ChangeVisibility(std::string_view receipt_handle, Seconds visibility) override {
    return target_.ChangeVisibility(receipt_handle, visibility);
  }
  Result<void> Delete(std::string_view receipt_handle) override {
    return target_.Delete(receipt_handle);
  }
  Result<QueueStats> Stats() override { return target_.Stats(); }
  Result<std::vector<Message>> DeadLetters(int max_messages) override {
    return target_.DeadLetters(max_messages);
  }
  Result<void> Ping() override { return target_.Ping(); }
  std::string Describe() const override { return target_.Describe(); }
  int max_receives() const override { return target_.max_receives(); }
  void Interrupt() override { target_.Interrupt(); }

 private:
  JobQueue& target_;
};

enum class QueueOp { kSend, kReceive, kChangeVisibility, kDelete };

class FaultInjectingQueue : public JobQueueWrapper {
 public:
  explicit FaultInjectingQueue(JobQueue& target) : JobQueueWrapper(target) {}

  // The call of `op` numbered `nth` (0-based, since construction or Reset()) fails.
  void FailAt(QueueOp op, int nth, Error error = InjectedFault()) {
    plan_.FailAt(op, nth, std::move(error));
  }
  void Reset() { plan_.Reset(); }
  int calls(QueueOp op) const { return plan_.calls(op); }

  Result<std::string> Send(std::string_view body, Seconds delay = Seconds{0}) override {
    if (auto e = plan_.Next(QueueOp::kSend)) return *e;
    return JobQueueWrapper::Send(body, delay);
  }
  Result<std::vector<Message>> Receive(int max_messages, Seconds wait,
                                       Seconds visibility) override {
    if (auto e = plan_.Next(QueueOp::kReceive)) return *e;
    return JobQueueWrapper::Receive(max_messages, wait, visibility);
  }
  Result<void> ChangeVisibility(std::string_view receipt_handle, Seconds visibility) override {
    if (auto e = plan_.Next(QueueOp::kChangeVisibility)) return *e;
    return JobQueueWrapper::ChangeVisibility(receipt_handle, visibility);
  }
  Result<void> Delete(std::string_view receipt_handle) override {
    if (auto e = plan_.Next(QueueOp::kDelete)) return *e;
    return JobQueueWrapper::Delete(receipt_handle);
  }

 private:
  FaultPlan<QueueOp> plan_;
};

}  // namespace kinora::queue
