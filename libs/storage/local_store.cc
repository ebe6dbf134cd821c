// The local backend ignores the content_type given to BeginPut: it keeps no metadata beside
// the file, so ObjectInfo::content_type is always GuessContentType(key). Keys that would put
// a file where a directory for longer keys already is (or the reverse: "a" and "a/b") are
// refused with kAlreadyExists, and the top-level name ".tmp" is reserved.
#include "kinora/storage/local_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "key_rules.h"
#include "kinora/core/file_lock.h"
#include "kinora/core/ids.h"
#include "local_resumable.h"
#include "posix_file.h"

namespace kinora::storage {
namespace {

namespace fs = std::filesystem;
using posix::ErrnoError;
using posix::UniqueFd;

constexpr std::string_view kTmpDir = ".tmp";
constexpr std::string_view kTmpSuffix = ".part";

ObjectInfo InfoFromStat(std::string key, const struct stat& st) {
  ObjectInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  auto mtime =
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  uint64_t mtime_ns = static_cast<uint64_t>(mtime.count());
  // size + mtime + inode: a rename-into-place overwrite always gets a new inode, so the
  // validator changes even when size and mtime (coarse on some filesystems) do not.
  char etag[80];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx-%llx\"", static_cast<unsigned long long>(info.size),
                static_cast<unsigned long long>(mtime_ns),
                static_cast<unsigned long long>(st.st_ino));
  info.etag = etag;
  info.content_type = GuessContentType(key);
  info.last_modified = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(mtime));
  info.key = std::move(key);
  return info;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

class LocalWriter final : public ObjectWriter {
 public:
  LocalWriter(std::string key, fs::path final_path, fs::path tmp_path, UniqueFd fd)
      : key_(std::move(key)),
        final_(std::move(final_path)),
        tmp_(std::move(tmp_path)),
        fd_(std::move(fd)) {}
  ~LocalWriter() override { Abort(); }

  Result<void> Write(std::span<const char> data) override {
    if (!fd_.valid())
      return MakeError(ErrorCode::kInternal, "write after commit or abort: " + key_);
    auto r = posix::WriteAll(fd_.get(), data, key_);
    if (!r) return r;
    written_ += data.size();
    return {};
  }

  Result<ObjectInfo> Commit() override {
    if (!fd_.valid())
      return MakeError(ErrorCode::kInternal, "commit after commit or abort: " + key_);
    auto info = CommitImpl();
    if (!info) Abort();
    return info;
  }

  void Abort() override {
    if (!fd_.valid() && done_) return;
    fd_.Reset();
    ::unlink(tmp_.c_str());  // may already be gone; nothing useful to do on failure
    done_ = true;
  }

  uint64_t bytes_written() const override { return written_; }
  bool can_read_back() const override { return true; }
  Result<size_t> ReadBack(uint64_t offset, std::span<char> buf) override {
    if (!fd_.valid())
      return MakeError(ErrorCode::kInternal, "read back after commit or abort: " + key_);
    if (offset >= written_) return size_t{0};
    buf = buf.first(std::min<uint64_t>(buf.size(), written_ - offset));
    size_t done = 0;
    while (done < buf.size()) {
      KINORA_TRY(size_t n, posix::PRead(fd_.get(), buf.subspan(done), offset + done, key_));
      if (n == 0) break;
      done += n;
    }
    return done;
  }

 private:
  Result<ObjectInfo> CommitImpl() {
    if (::fsync(fd_.get()) != 0) return ErrnoError(errno, "fsync", key_);
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) return ErrnoError(errno, "stat", key_);
    KINORA_TRY_VOID(fd_.Close(key_));
    fs::path dir = final_.parent_path();
    // A concurrent Delete may remove the (then empty) parent between MakeDirs and rename.
    for (int attempt = 0;; ++attempt) {
      KINORA_TRY_VOID(posix::MakeDirs(dir));
      if (::rename(tmp_.c_str(), final_.c_str()) == 0) break;
      int err = errno;
      if (err != ENOENT || attempt >= 8) return ErrnoError(err, "rename into place", key_);
    }
    done_ = true;  // the temp name is gone; nothing to clean up
    KINORA_TRY_VOID(posix::FsyncDir(dir));
    return InfoFromStat(key_, st);
  }

  std::string key_;
  fs::path final_;
  fs::path tmp_;
  UniqueFd fd_;
  uint64_t written_ = 0;
  bool done_ = false;
};

class LocalReader final : public ObjectReader {
 public:
  LocalReader(UniqueFd fd, ObjectInfo info, uint64_t first, uint64_t end)
      : fd_(std::move(fd)), info_(std::move(info)), pos_(first), end_(end) {}

  Result<size_t> Read(std::span<char> buf) override {
    uint64_t want = std::min<uint64_t>(buf.size(), end_ - pos_);
    if (want == 0) return size_t{0};
    KINORA_TRY(size_t n,
               posix::PRead(fd_.get(), buf.first(static_cast<size_t>(want)), pos_, info_.key));
    // Objects are immutable once renamed into place, so a short file means outside tampering.
    if (n == 0) return MakeError(ErrorCode::kInternal, "object shrank while reading: " + info_.key);
    pos_ += n;
    return n;
  }

  const ObjectInfo& info() const override { return info_; }

 private:
  UniqueFd fd_;
  ObjectInfo info_;
  uint64_t pos_;
  uint64_t end_;  // exclusive
};

class LocalStore final : public ObjectStore {
 public:
  explicit LocalStore(fs::path root) : root_(std::move(root)), tmp_(root_ / kTmpDir) {}

  Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                 std::string_view /*content_type*/) override {
    KINORA_TRY(fs::path path, PathFor(key));
    std::string name = std::to_string(::getpid()) + "-" + NewUuid() + std::string(kTmpSuffix);
    fs::path tmp = tmp_ / name;
    KINORA_TRY(UniqueFd fd, posix::Open(tmp, O_RDWR | O_CREAT | O_EXCL, 0644));
    // The writer's lock is what tells a live temp file from a crash leftover (file_lock.h).
    if (auto locked = FileLock::LockOpenFd(fd.get()); !locked) {
      ::unlink(tmp.c_str());
      return Annotate(locked.error(), key);
    }
    return std::unique_ptr<ObjectWriter>(std::make_unique<LocalWriter>(
        std::string(key), std::move(path), std::move(tmp), std::move(fd)));
  }

  Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                            std::optional<ByteRange> range) override {
    KINORA_TRY(fs::path path, PathFor(key));
    auto fd = posix::Open(path, O_RDONLY);
    if (!fd) return fd.error();
    struct stat st {};
    if (::fstat(fd->get(), &st) != 0) return ErrnoError(errno, "stat", key);
    if (!S_ISREG(st.st_mode)) return ErrnoError(ENOENT, "get", key);  // a directory of longer keys
    ObjectInfo info = InfoFromStat(std::string(key), st);
    uint64_t first = 0;
    uint64_t end = info.size;
    if (range) {
      if (range->first > range->last || range->last >= info.size) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "range " + std::to_string(range->first) + "-" +
                             std::to_string(range->last) + " is outside object " +
                             std::string(key) + " of " + std::to_string(info.size) + " bytes");
      }
      first = range->first;
      end = range->last + 1;
    }
    return std::unique_ptr<ObjectReader>(
        std::make_unique<LocalReader>(std::move(*fd), std::move(info), first, end));
  }

  Result<ObjectInfo> Head(std::string_view key) override {
    KINORA_TRY(fs::path path, PathFor(key));
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return ErrnoError(errno, "head", key);
    if (!S_ISREG(st.st_mode)) return ErrnoError(ENOENT, "head", key);
    return InfoFromStat(std::string(key), st);
  }

  Result<ListPage> List(std::string_view prefix, std::string_view after, size_t max_keys) override {
    if (max_keys < 1 || max_keys > 1000) {
      return MakeError(ErrorCode::kInvalidArgument, "max_keys must be 1-1000");
    }
    KINORA_TRY_VOID(ValidatePrefix(prefix));
    std::vector<std::string> keys;  // sorted, all after `after`
    if (auto rest = TakeContinuation(prefix, after)) {
      keys = std::move(*rest);
    } else {
      // Only the subtree the prefix's complete segments name can hold matches.
      std::string dir(prefix.substr(0, prefix.rfind('/') + 1));
      KINORA_TRY_VOID(Walk(dir.empty() ? root_ : root_ / dir, dir, prefix, after, keys));
      std::sort(keys.begin(), keys.end());  // all of them: the next pages come from here
    }
    const size_t take = std::min(keys.size(), max_keys);
    ListPage page;
    for (size_t i = 0; i < take; ++i) {
      struct stat st {};
      // Skip objects deleted since the walk.
      if (::stat((root_ / keys[i]).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      page.objects.push_back(InfoFromStat(keys[i], st));
    }
    if (keys.size() > max_keys) {
      page.next = keys[take - 1];
      keys.erase(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(take));
      KeepContinuation(prefix, *page.next, std::move(keys));
    }
    return page;
  }
  Result<void> Delete(std::string_view key) override {
    KINORA_TRY(fs::path path, PathFor(key));
    if (::unlink(path.c_str()) != 0) {
      int err = errno;
      // Missing (or only a directory of longer keys): nothing to delete, as S3 answers.
      if (err == ENOENT || err == ENOTDIR || err == EISDIR) return {};
      return ErrnoError(err, "delete", key);
    }
    // Drop directories the delete left empty; rmdir refuses non-empty ones, which ends it.
    for (fs::path dir = path.parent_path(); dir != root_ && dir.has_relative_path();
         dir = dir.parent_path()) {
      if (::rmdir(dir.c_str()) != 0) break;
    }
    return {};
  }

  Result<void> Ping() override {
    struct stat st {};
    if (::stat(tmp_.c_str(), &st) != 0) return ErrnoError(errno, "stat", tmp_.native());
    if (::access(tmp_.c_str(), W_OK) != 0) return ErrnoError(errno, "access", tmp_.native());
    return {};
  }

  std::string Describe() const override { return "local:" + root_.string(); }

  Result<std::string> CreateResumable(std::string_view upload_id, std::string_view key,
                                      std::string_view /*content_type*/,
                                      uint64_t /*length*/) override {
    KINORA_TRY_VOID(PathFor(key));
    return local::CreateResumable(root_, upload_id);
  }
  Result<std::unique_ptr<ResumableWriter>> ResumePut(std::string_view upload_id,
                                                     std::string_view key,
                                                     const ResumableCheckpoint& at) override {
    KINORA_TRY(fs::path path, PathFor(key));
    return local::ResumePut(root_, upload_id, std::string(key), std::move(path), at);
  }
  Result<void> AbortResumable(std::string_view upload_id, std::string_view /*key*/,
                              std::string_view /*state*/) override {
    return local::AbortResumable(root_, upload_id);
  }

  // Removes every temp file no live writer holds a lock on. Names carry a pid only for
  // operators; a pid says nothing once a container's PID 1 is reused by the next start.
  Result<void> CleanStaleTemps() {
    std::error_code ec;
    fs::directory_iterator it(tmp_, ec);
    if (ec) return ErrnoError(ec.value(), "list", tmp_.native());
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      // Unfinished resumable puts live on until the catalog says they expired.
      if (it->path().filename() == fs::path(kLocalResumableDir).filename()) continue;
      if (IsLockHeld(it->path())) continue;
      std::error_code rec;
      fs::remove_all(it->path(), rec);  // best effort
    }
    if (ec) return ErrnoError(ec.value(), "list", tmp_.native());
    return {};
  }

 private:
  Result<fs::path> PathFor(std::string_view key) const {
    KINORA_TRY_VOID(ValidateKey(key));
    if (key == kTmpDir || StartsWith(key, std::string(kTmpDir) + "/")) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "object key '.tmp/...' is reserved by the local store");
    }
    return root_ / key;
  }

  // Collects keys under `dir` (which holds keys starting with `rel`) that start with prefix
  // and sort after `after`, skipping subtrees that cannot hold one.
  Result<void> Walk(const fs::path& dir, const std::string& rel, std::string_view prefix,
                    std::string_view after, std::vector<std::string>& out) const {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return {};
      return ErrnoError(ec.value(), "list", dir.native());
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      std::string key = rel + it->path().filename().string();
      if (rel.empty() && key == kTmpDir) continue;
      std::error_code tec;
      if (it->is_directory(tec)) {
        std::string sub = key + "/";
        if (sub.size() > 1024 || !(StartsWith(sub, prefix) || StartsWith(prefix, sub))) continue;
        // Every key under sub sorts before `after` when after is past sub but not inside it.
        if (!after.empty() && std::string_view(sub) < after && !StartsWith(after, sub)) continue;
        KINORA_TRY_VOID(Walk(it->path(), sub, prefix, after, out));
      } else if (it->is_regular_file(tec)) {
        if (StartsWith(key, prefix) && std::string_view(key) > after && ValidateKey(key)) {
          out.push_back(std::move(key));
        }
      }
    }
    // A directory removed under us (concurrent Delete) simply has no more keys.
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return ErrnoError(ec.value(), "list", dir.native());
    }
    return {};
  }

  // A listing in pages walks the directories once: the keys after its first page wait here for
  // the next call, which names the last key it got as `after` (a walk per page made listing n
  // keys cost n²/1000 directory entries: 100 walks of 100,000 for the reconciler's pass). Those
  // pages show the keys as the walk found them: objects deleted since are skipped (each key is
  // checked before it is returned), objects put since show up in the next listing. One listing
  // is kept at a time, for at most kContinuationLife.
  struct Continuation {
    std::string prefix;
    std::string after;
    std::vector<std::string> keys;  // sorted, all after `after`
    std::chrono::steady_clock::time_point made;
  };
  static constexpr std::chrono::seconds kContinuationLife{30};

  std::optional<std::vector<std::string>> TakeContinuation(std::string_view prefix,
                                                           std::string_view after) {
    std::lock_guard lock(continuation_mu_);
    if (!continuation_ || after.empty() || continuation_->prefix != prefix ||
        continuation_->after != after ||
        std::chrono::steady_clock::now() - continuation_->made > kContinuationLife) {
      return std::nullopt;
    }
    std::vector<std::string> keys = std::move(continuation_->keys);
    continuation_.reset();
    return keys;
  }
  void KeepContinuation(std::string_view prefix, std::string after, std::vector<std::string> keys) {
    std::lock_guard lock(continuation_mu_);
    continuation_ = Continuation{std::string(prefix), std::move(after), std::move(keys),
                                 std::chrono::steady_clock::now()};
  }

  fs::path root_;
  fs::path tmp_;
  std::mutex continuation_mu_;
  std::optional<Continuation> continuation_;  // guarded by continuation_mu_
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> NewLocalStore(const std::filesystem::path& root) {
  if (root.empty()) return MakeError(ErrorCode::kInvalidArgument, "local store root is empty");
  std::error_code ec;
  fs::path abs = fs::absolute(root, ec).lexically_normal();
  if (ec) return ErrnoError(ec.value(), "resolve", root.native());
  if (abs.has_relative_path() && !abs.has_filename())
    abs = abs.parent_path();  // drop a trailing '/'
  auto store = std::make_unique<LocalStore>(abs);
  KINORA_TRY_VOID(posix::MakeDirs(abs / kTmpDir));
  KINORA_TRY_VOID(store->CleanStaleTemps());
  return std::unique_ptr<ObjectStore>(std::move(store));
}

}  // namespace kinora::storage
