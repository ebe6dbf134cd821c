#include "group_commit.h"

namespace kinora::catalog {

Result<int64_t> GroupCommit::Submit(std::string_view video_id, bool views) {
  CounterOp op{video_id, views};
  std::unique_lock lock(mu_);
  pending_.push_back(&op);
  while (!op.done) {
    if (leader_) {
      cv_.wait(lock);
      continue;
    }
    leader_ = true;
    std::vector<CounterOp*> batch;
    batch.swap(pending_);
    lock.unlock();
    run_(batch);
    lock.lock();
    for (CounterOp* o : batch) o->done = true;
    leader_ = false;
    cv_.notify_all();  // the batch's callers return; one waiter with a queued op leads next
  }
  return op.result;
}

}  // namespace kinora::catalog
