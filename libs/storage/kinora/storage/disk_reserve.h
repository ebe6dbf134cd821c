// The free space of the filesystem under Kinora's data directory, and the reserve below which
// Kinora takes no new work there (KINORA_MIN_FREE_BYTES): uploads are refused with 507, the
// processor receives no job, /ready says why, and all of it resumes once space is freed.
// Thread safety: DiskReserve is immutable after construction; Check() may run on any thread.
#pragma once

#include <cstdint>
#include <filesystem>

#include "kinora/core/error.h"

namespace kinora::storage {

struct DiskUsage {
  uint64_t free_bytes = 0;  // available to an unprivileged writer (statvfs f_bavail)
  uint64_t total_bytes = 0;
};

// The usage of the filesystem holding `dir`, or of its nearest existing parent.
// kUnavailable when it cannot be read.
Result<DiskUsage> DiskUsageOf(const std::filesystem::path& dir);

class DiskReserve {
 public:
  // A min_free_bytes of 0 turns the check off (Check() always succeeds).
  DiskReserve(std::filesystem::path dir, uint64_t min_free_bytes)
      : dir_(std::move(dir)), min_free_bytes_(min_free_bytes) {}

  // kInsufficientStorage, saying how much is free and how much is wanted, when less than the
  // reserve is free; kUnavailable when the space cannot be read. Names no path.
  Result<void> Check() const;

  // Free bytes now (for the metrics gauge); -1 when they cannot be read.
  double FreeBytes() const;
  uint64_t min_free_bytes() const { return min_free_bytes_; }

 private:
  std::filesystem::path dir_;
  uint64_t min_free_bytes_;
};

}  // namespace kinora::storage
