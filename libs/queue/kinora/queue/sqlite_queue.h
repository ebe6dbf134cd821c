// SQLite JobQueue: messages live in one table of a WAL-mode database file, so they survive
// restarts and a kill -9. Receives are transactions (BEGIN IMMEDIATE), so several processes
// sharing the file never get the same message at once. Long polls wake on sends from this
// process at once and re-check the file every 100 ms for sends from other processes.
// Thread safety: as JobQueue.
#pragma once

#include <filesystem>
#include <memory>

#include "kinora/queue/job_queue.h"

namespace kinora::queue {

struct SqliteQueueOptions {
  int max_receives = 5;  // receives before a message goes to the dead-letter queue
};

Result<std::unique_ptr<JobQueue>> NewSqliteQueue(const std::filesystem::path& file,
                                                 SqliteQueueOptions options = {});

}  // namespace kinora::queue
