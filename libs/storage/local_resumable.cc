#include "local_resumable.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "posix_file.h"

namespace kinora::storage::local {
namespace {

namespace fs = std::filesystem;
using posix::ErrnoError;
using posix::UniqueFd;

// How often a long write is made durable (fdatasync) and offered as a checkpoint: each one stalls
// the request while the disk flushes (every 16 MiB cost a 64 MiB PATCH ~12 % of its MB/s), and a
// kill -9 loses at most this much, re-sent by the client (as kinora upload's default chunk).
constexpr uint64_t kCheckpointEvery = 64 << 20;
// Writeback of appended bytes is started every so often (sync_file_range, not waited for), so the
// disk writes while the network receives and the fdatasync of a durable point has little left to
// wait for: without it every PATCH ended in a write of its whole chunk.
constexpr uint64_t kWritebackEvery = 1 << 20;

fs::path FileFor(const fs::path& root, std::string_view upload_id) {
  return root / kLocalResumableDir / std::string(upload_id);
}

class LocalResumableWriter final : public ResumableWriter {
 public:
  LocalResumableWriter(std::string key, fs::path tmp, fs::path final_path, UniqueFd fd,
                       uint64_t offset)
      : key_(std::move(key)),
        tmp_(std::move(tmp)),
        final_(std::move(final_path)),
        fd_(std::move(fd)),
        offset_(offset),
        synced_(offset),
        started_(offset) {}

  uint64_t offset() const override { return offset_; }

  Result<void> Write(std::span<const char> data) override {
    if (!fd_.valid()) return MakeError(ErrorCode::kInternal, "write after complete: " + key_);
    KINORA_TRY_VOID(posix::WriteAll(fd_.get(), data, tmp_.native()));
    offset_ += data.size();
    if (offset_ - started_ >= kWritebackEvery) {
      // Only a hint: a failure here shows up in the fdatasync that counts.
      (void)::sync_file_range(fd_.get(), static_cast<off_t>(started_),
                              static_cast<off_t>(offset_ - started_), SYNC_FILE_RANGE_WRITE);
      started_ = offset_;
    }
    return {};
  }

  std::optional<ResumableCheckpoint> TakeCheckpoint() override {
    if (offset_ - synced_ < kCheckpointEvery) return std::nullopt;
    auto point = Flush();
    if (!point) return std::nullopt;  // the next Flush reports the error
    return *point;
  }

  Result<ResumableCheckpoint> Flush() override {
    if (!fd_.valid()) return MakeError(ErrorCode::kInternal, "flush after complete: " + key_);
    if (offset_ != synced_ && ::fdatasync(fd_.get()) != 0) {
      return ErrnoError(errno, "fdatasync", tmp_.native());
    }
    synced_ = offset_;
    return ResumableCheckpoint{.offset = offset_, .state = {}};
  }

  Result<void> Discard() override {
    if (!fd_.valid()) return MakeError(ErrorCode::kInternal, "discard after complete: " + key_);
    if (::ftruncate(fd_.get(), static_cast<off_t>(synced_)) != 0 ||
        ::lseek(fd_.get(), static_cast<off_t>(synced_), SEEK_SET) < 0) {
      return ErrnoError(errno, "truncate", tmp_.native());
    }
    offset_ = synced_;
    started_ = std::min(started_, synced_);
    return {};
  }

  Result<ObjectInfo> Complete() override {
    if (!fd_.valid()) return MakeError(ErrorCode::kInternal, "complete twice: " + key_);
    if (::fsync(fd_.get()) != 0) return ErrnoError(errno, "fsync", tmp_.native());
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) return ErrnoError(errno, "stat", tmp_.native());
    KINORA_TRY_VOID(fd_.Close(tmp_.native()));
    const fs::path dir = final_.parent_path();
    KINORA_TRY_VOID(posix::MakeDirs(dir));
    if (::rename(tmp_.c_str(), final_.c_str()) != 0) {
      return ErrnoError(errno, "rename into place", key_);
    }
    KINORA_TRY_VOID(posix::FsyncDir(dir));
    KINORA_TRY_VOID(posix::FsyncDir(tmp_.parent_path()));
    auto mtime =
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
    return ObjectInfo{.key = key_,
                      .size = static_cast<uint64_t>(st.st_size),
                      .etag = {},
                      .content_type = std::string(GuessContentType(key_)),
                      .last_modified = std::chrono::system_clock::time_point(
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(mtime))};
  }

 private:
  std::string key_;
  fs::path tmp_, final_;
  UniqueFd fd_;
  uint64_t offset_, synced_;
  uint64_t started_;  // writeback was started for the bytes before this offset
};

}  // namespace

Result<void> ValidateUploadId(std::string_view upload_id) {
  const bool ok =
      upload_id.size() == 32 && std::all_of(upload_id.begin(), upload_id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (!ok) return MakeError(ErrorCode::kInvalidArgument, "not an upload id");
  return {};
}

Result<std::string> CreateResumable(const fs::path& root, std::string_view upload_id) {
  KINORA_TRY_VOID(ValidateUploadId(upload_id));
  const fs::path file = FileFor(root, upload_id);
  KINORA_TRY_VOID(posix::MakeDirs(file.parent_path()));
  KINORA_TRY(UniqueFd fd, posix::Open(file, O_RDWR | O_CREAT | O_EXCL, 0644));
  if (::fsync(fd.get()) != 0) return ErrnoError(errno, "fsync", file.native());
  KINORA_TRY_VOID(fd.Close(file.native()));
  KINORA_TRY_VOID(posix::FsyncDir(file.parent_path()));
  return std::string();
}

Result<std::unique_ptr<ResumableWriter>> ResumePut(const fs::path& root, std::string_view upload_id,
                                                   std::string key, fs::path final_path,
                                                   const ResumableCheckpoint& at) {
  KINORA_TRY_VOID(ValidateUploadId(upload_id));
  const fs::path file = FileFor(root, upload_id);
  KINORA_TRY(UniqueFd fd, posix::Open(file, O_WRONLY));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ErrnoError(errno, "stat", file.native());
  if (static_cast<uint64_t>(st.st_size) < at.offset) {
    return MakeError(ErrorCode::kInternal, "the upload's file has " + std::to_string(st.st_size) +
                                               " bytes, fewer than its recorded " +
                                               std::to_string(at.offset));
  }
  // Bytes past the recorded offset were never confirmed to anyone: drop them.
  if (static_cast<uint64_t>(st.st_size) > at.offset &&
      ::ftruncate(fd.get(), static_cast<off_t>(at.offset)) != 0) {
    return ErrnoError(errno, "truncate", file.native());
  }
  if (::lseek(fd.get(), static_cast<off_t>(at.offset), SEEK_SET) < 0) {
    return ErrnoError(errno, "seek", file.native());
  }
  return std::unique_ptr<ResumableWriter>(std::make_unique<LocalResumableWriter>(
      std::move(key), file, std::move(final_path), std::move(fd), at.offset));
}

Result<void> AbortResumable(const fs::path& root, std::string_view upload_id) {
  KINORA_TRY_VOID(ValidateUploadId(upload_id));
  const fs::path file = FileFor(root, upload_id);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError(errno, "delete", file.native());
  }
  return {};
}

}  // namespace kinora::storage::local
