#include "kinora/storage/disk_reserve.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace kinora::storage {
namespace {

std::string Mebibytes(uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB (" + std::to_string(bytes) + " bytes)";
}

}  // namespace

Result<DiskUsage> DiskUsageOf(const std::filesystem::path& dir) {
  std::filesystem::path at = dir.empty() ? std::filesystem::path(".") : dir;
  for (;;) {
    struct statvfs st {};
    if (::statvfs(at.c_str(), &st) == 0) {
      return DiskUsage{.free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize,
                       .total_bytes = static_cast<uint64_t>(st.f_blocks) * st.f_frsize};
    }
    const int err = errno;
    // Not made yet (the data directory before the first start): ask its parent's filesystem.
    if (err == ENOENT && at.has_relative_path() && at.parent_path() != at) {
      at = at.parent_path();
      continue;
    }
    return Unavailable(std::string("cannot read the free disk space: ") + std::strerror(err));
  }
}

Result<void> DiskReserve::Check() const {
  if (min_free_bytes_ == 0) return {};
  KINORA_TRY(DiskUsage usage, DiskUsageOf(dir_));
  if (usage.free_bytes >= min_free_bytes_) return {};
  return InsufficientStorage("low disk space: " + Mebibytes(usage.free_bytes) +
                             " free for the data, below the reserve of " +
                             Mebibytes(min_free_bytes_) + " (KINORA_MIN_FREE_BYTES)");
}

double DiskReserve::FreeBytes() const {
  auto usage = DiskUsageOf(dir_);
  return usage ? static_cast<double>(usage->free_bytes) : -1.0;
}

}  // namespace kinora::storage
