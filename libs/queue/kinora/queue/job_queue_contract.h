// The behaviour every JobQueue backend must show, as a value-parameterised GoogleTest suite.
// A backend's test file instantiates it with a factory that makes a fresh, empty queue whose
// dead-letter threshold is max_receives=2:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, JobQueueContract,
//                            ::testing::Values(JobQueueBackend{"sqlite", MakeSqlite}),
//                            JobQueueBackendName);
// and links kinora::queue_contract (an object library, so the tests are always linked in).
// Thread safety: test code; each test uses its own queue.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "kinora/queue/job_queue.h"

namespace kinora::queue::testing {

// The contract's tests assume this dead-letter threshold.
inline constexpr int kContractMaxReceives = 2;

// One fresh, empty queue for one test. `teardown` (may be empty) runs after `queue` is
// destroyed, to remove whatever the queue lived in (a temp file, an SQS queue).
struct QueueInstance {
  std::unique_ptr<JobQueue> queue;
  std::function<void()> teardown;
};

struct JobQueueBackend {
  std::string name;  // test-name suffix: [A-Za-z0-9_] only
  std::function<QueueInstance()> make;
  // Whether Delete with a stale receipt handle is reported (kNotFound). SQS cannot tell: it
  // answers success and leaves the message alone.
  bool reports_stale_deletes = true;
};

inline void PrintTo(const JobQueueBackend& b, std::ostream* os) { *os << b.name; }

inline std::string JobQueueBackendName(const ::testing::TestParamInfo<JobQueueBackend>& info) {
  return info.param.name;
}

class JobQueueContract : public ::testing::TestWithParam<JobQueueBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  JobQueue& queue() { return *instance_.queue; }
  // A stale receipt handle's Delete: kNotFound where the backend can tell, else a no-op.
  void ExpectStaleDelete(std::string_view receipt_handle);

 private:
  QueueInstance instance_;
};

}  // namespace kinora::queue::testing
