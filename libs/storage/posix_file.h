// POSIX helpers private to the local ObjectStore: an owning file descriptor, the one place
// errno becomes a kinora::Error, and the small syscall loops (write-all, pread, mkdir -p,
// fsync of a directory) the store is built from.
// Thread safety: free functions are safe to call concurrently; a UniqueFd is owned by one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::storage::posix {

// The only errno -> Error mapping of the local backend. `op` and `path` become the context
// ("open videos/a.mp4: No such file or directory").
Error ErrnoError(int err, std::string_view op, std::string_view path);

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();
  // Closes now and reports the error close() gave (NFS reports write errors here).
  Result<void> Close(std::string_view path);

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC added, retrying EINTR. Returns the errno on failure.
Result<UniqueFd> Open(const std::filesystem::path& path, int flags, int mode = 0);

// Writes every byte, retrying short writes and EINTR.
Result<void> WriteAll(int fd, std::span<const char> data, std::string_view path);

// pread(2) retrying EINTR; returns the number of bytes read (0 at end of file).
Result<size_t> PRead(int fd, std::span<char> buf, uint64_t offset, std::string_view path);

// mkdir -p for `dir`, tolerating directories that already exist or appear concurrently.
Result<void> MakeDirs(const std::filesystem::path& dir);

// Flushes a directory's entries (after a rename or create inside it).
Result<void> FsyncDir(const std::filesystem::path& dir);

}  // namespace kinora::storage::posix
