#include "posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kinora::storage::posix {

Error ErrnoError(int err, std::string_view op, std::string_view path) {
  std::string msg(op);
  msg += ' ';
  msg += path;
  msg += ": ";
  msg += std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:  // a component of the path is a file: the object does not exist
      return MakeError(ErrorCode::kNotFound, std::move(msg));
    case EEXIST:
    case EISDIR:
    case ENOTEMPTY:  // the key collides with a directory made for longer keys, or vice versa
      return MakeError(ErrorCode::kAlreadyExists, std::move(msg));
    case EACCES:
    case EPERM:
    case EROFS:
      return MakeError(ErrorCode::kPermissionDenied, std::move(msg));
    case ENOSPC:
    case EDQUOT:
      return MakeError(ErrorCode::kInsufficientStorage, std::move(msg));
    case EIO:
    case EMFILE:
    case ENFILE:
    case EAGAIN:
    case EINTR:
      return MakeError(ErrorCode::kUnavailable, std::move(msg));
    case ENAMETOOLONG:
    case ELOOP:
      return MakeError(ErrorCode::kInvalidArgument, std::move(msg));
    default:
      return MakeError(ErrorCode::kInternal, std::move(msg));
  }
}

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    Reset();
    fd_ = o.Release();
  }
  return *this;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);  // errors are reported only through Close()
  fd_ = -1;
}

Result<void> UniqueFd::Close(std::string_view path) {
  int fd = Release();
  // Linux releases the descriptor even when close() fails, so never retry it.
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) return ErrnoError(errno, "close", path);
  return {};
}

Result<UniqueFd> Open(const std::filesystem::path& path, int flags, int mode) {
  for (;;) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EINTR) return ErrnoError(errno, "open", path.native());
  }
}

Result<void> WriteAll(int fd, std::span<const char> data, std::string_view path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

Result<size_t> PRead(int fd, std::span<char> buf, uint64_t offset, std::string_view path) {
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return ErrnoError(errno, "read", path);
  }
}

Result<void> MakeDirs(const std::filesystem::path& dir) {
  // A concurrent Delete may remove an empty parent between our mkdir calls, so retry a little.
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (::mkdir(dir.c_str(), 0755) == 0) return {};
    int err = errno;
    if (err == EEXIST) {
      struct stat st {};
      if (::stat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        return ErrnoError(EEXIST, "mkdir (an object already uses this name)", dir.native());
      }
      continue;  // a concurrent Delete removed it between our mkdir and stat: try again
    }
    if (err != ENOENT || !dir.has_parent_path() || dir.parent_path() == dir) {
      return ErrnoError(err, "mkdir", dir.native());
    }
    KINORA_TRY_VOID(MakeDirs(dir.parent_path()));
  }
  return ErrnoError(ENOENT, "mkdir (parent kept vanishing)", dir.native());
}

Result<void> FsyncDir(const std::filesystem::path& dir) {
  KINORA_TRY(UniqueFd fd, Open(dir, O_RDONLY | O_DIRECTORY));
  if (::fsync(fd.get()) != 0) return ErrnoError(errno, "fsync", dir.native());
  return {};
}

}  // namespace kinora::storage::posix
