#include "kinora/core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kinora {
namespace {

int OpenForLock(const std::filesystem::path& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int TryLock(int fd) {
  int r;
  do {
    r = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (r != 0 && errno == EINTR);
  return r == 0 ? 0 : errno;
}

}  // namespace

Result<void> FileLock::LockOpenFd(int fd) {
  if (int err = TryLock(fd); err != 0) {
    return MakeError(err == EWOULDBLOCK ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                     std::string("flock: ") + std::strerror(err));
  }
  return {};
}

Result<FileLock> FileLock::Acquire(const std::filesystem::path& path) {
  int fd = OpenForLock(path);
  if (fd < 0) {
    int err = errno;
    return MakeError(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kInternal,
                     "open " + path.filename().string() + " to lock: " + std::strerror(err));
  }
  FileLock lock(fd);
  KINORA_TRY_VOID(LockOpenFd(fd));
  return lock;
}

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    Release();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

void FileLock::Release() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor drops the lock
  fd_ = -1;
}

bool IsLockHeld(const std::filesystem::path& path) {
  int fd = OpenForLock(path);
  if (fd < 0) return false;
  // flock conflicts between open file descriptions even within one process, so this also sees
  // a lock our own process holds through another descriptor.
  bool held = TryLock(fd) == EWOULDBLOCK;
  ::close(fd);  // drops the probe's own lock if it got one
  return held;
}

}  // namespace kinora
