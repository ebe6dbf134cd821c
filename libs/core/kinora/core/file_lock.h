// Liveness of crash leftovers (temp files, scratch directories) judged by an flock(2) held by
// the writer, not by its pid: in a container the restarted server is PID 1 again, so a pid says
// nothing, while the kernel drops a dead process's locks the moment it dies.
// Thread safety: a FileLock is owned by one thread; IsLockHeld may be called from any thread.
#pragma once

#include <filesystem>

#include "kinora/core/error.h"

namespace kinora {

// An exclusive advisory lock on a file or directory, held while this object lives.
class FileLock {
 public:
  FileLock() = default;
  // Takes the lock on an open descriptor the caller keeps (e.g. a temp file being written);
  // the FileLock does not close it. REQUIRES: fd stays open as long as the lock matters.
  static Result<void> LockOpenFd(int fd);
  // Opens `path` (a file or a directory) and locks it; fails with kUnavailable if someone else
  // holds it. The descriptor is close-on-exec, so child processes never inherit the lock.
  static Result<FileLock> Acquire(const std::filesystem::path& path);

  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { Release(); }

  bool held() const { return fd_ >= 0; }
  void Release();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// True when a live open file description (any process, this one included) holds a lock on
// `path`. False for a missing path or one nobody locks: a leftover of a dead process.
bool IsLockHeld(const std::filesystem::path& path);

}  // namespace kinora
