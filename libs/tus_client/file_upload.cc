#include "kinora/tus_client/file_upload.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <thread>

#include "kinora/tus_client/checksum.h"

namespace kinora::tus {

namespace {

// An open file read at offsets; closed on scope exit.
class InputFile {
 public:
  static Result<InputFile> Open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return MakeError(ErrorCode::kNotFound, "open " + path.string() + ": " + std::strerror(errno));
    }
    return InputFile(fd);
  }
  InputFile(InputFile&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  InputFile& operator=(InputFile&&) = delete;
  ~InputFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Fills `buf` with exactly n bytes from `offset`.
  Result<void> ReadAt(uint64_t offset, size_t n, std::string& buf) const {
    buf.resize(n);
    size_t done = 0;
    while (done < n) {
      const ssize_t r =
          ::pread(fd_, buf.data() + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0)
        return MakeError(ErrorCode::kInternal, std::string("read: ") + std::strerror(errno));
      if (r == 0) return MakeError(ErrorCode::kInvalidArgument, "the file shrank while uploading");
      done += static_cast<size_t>(r);
    }
    return {};
  }

 private:
  explicit InputFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Chunks of the file with their checksums; while one is sent, the next is read and hashed on
// another thread (the server's answer to a PATCH is awaited before the next, so reading and
// hashing would otherwise add to every round trip).
class ChunkReader {
 public:
  struct Chunk {
    uint64_t offset = 0;
    std::string bytes;
    std::string checksum;  // empty without checksums
    Result<void> read{};
  };

  ChunkReader(const InputFile& in, uint64_t length, uint64_t chunk_size, bool checksum)
      : in_(in), length_(length), chunk_size_(chunk_size), checksum_(checksum) {}
  ~ChunkReader() {
    if (ahead_.valid()) ahead_.wait();
  }
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // The chunk at `offset` (the read-ahead when it is that one), and starts reading the next.
  // The previous chunk's bytes are reused. REQUIRES: offset < length.
  const Chunk& At(uint64_t offset) {
    Chunk next;
    if (ahead_.valid()) next = ahead_.get();
    if (!ahead_started_ || next.offset != offset || !next.read) {
      next = Read(offset, std::move(next.bytes));
    }
    spare_ = std::move(current_.bytes);
    current_ = std::move(next);
    ahead_started_ = false;
    const uint64_t following = offset + current_.bytes.size();
    if (current_.read && following < length_) {
      ahead_ = std::async(std::launch::async, [this, following, buf = std::move(spare_)]() mutable {
        return Read(following, std::move(buf));
      });
      ahead_started_ = true;
    }
    return current_;
  }

 private:
  Chunk Read(uint64_t offset, std::string buf) const {
    Chunk c;
    c.offset = offset;
    c.bytes = std::move(buf);
    c.read =
        in_.ReadAt(offset, static_cast<size_t>(std::min(chunk_size_, length_ - offset)), c.bytes);
    if (c.read && checksum_) c.checksum = UploadChecksum(c.bytes);
    return c;
  }

  const InputFile& in_;
  const uint64_t length_;
  const uint64_t chunk_size_;
  const bool checksum_;
  Chunk current_;
  std::string spare_;
  std::future<Chunk> ahead_;
  bool ahead_started_ = false;
};

// Retries in a row with the options' delays; Reset() after progress.
class Retrier {
 public:
  explicit Retrier(const FileUploadOptions& options) : options_(options) {}

  // After a failure: waits the next delay and returns success, or returns the error when it is
  // not retriable or no delay is left (or kCancelled when the wait was cut short).
  Result<void> After(const Error& e) {
    if (!IsRetriable(e) || attempt_ >= options_.retry_delays.size()) return e;
    const auto delay = options_.retry_delays[attempt_++];
    ++retries_;
    const bool go_on =
        options_.wait ? options_.wait(delay) : (std::this_thread::sleep_for(delay), true);
    if (!go_on) return MakeError(ErrorCode::kCancelled, "cancelled while waiting to retry");
    return {};
  }
  void Reset() { attempt_ = 0; }
  int retries() const { return retries_; }

 private:
  const FileUploadOptions& options_;
  size_t attempt_ = 0;  // retries in a row
  int retries_ = 0;     // in all
};

}  // namespace

Result<Created> CreateUpload(Client& client, uint64_t length, const Metadata& metadata,
                             const FileUploadOptions& options, int* retries) {
  Retrier retrier(options);
  for (;;) {
    auto created = client.Create(length, metadata);
    if (retries) *retries = retrier.retries();
    if (created) return created;
    KINORA_TRY_VOID(retrier.After(created.error()));
  }
}

Result<std::string> UploadFile(Client& client, const std::string& url,
                               const std::filesystem::path& file, uint64_t length,
                               const FileUploadOptions& options, FileUploadStats& out) {
  out = FileUploadStats{};
  Retrier retrier(options);
  auto retry = [&](const Error& e) -> Result<void> {
    auto r = retrier.After(e);
    out.retries = retrier.retries();
    return r;
  };
  auto head = [&]() -> Result<UploadStatus> {
    for (;;) {
      auto s = client.Head(url);
      if (s) return s;
      KINORA_TRY_VOID(retry(s.error()));
    }
  };
  auto progress = [&](uint64_t position) {
    if (options.on_progress) options.on_progress(position, length);
  };

  KINORA_TRY(UploadStatus status, head());
  if (status.length && *status.length != length) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the upload is for " + std::to_string(*status.length) +
                         " bytes but the file has " + std::to_string(length));
  }
  out.resumed_at = status.offset;
  out.offset = status.offset;
  KINORA_TRY(InputFile in, InputFile::Open(file));
  const uint64_t chunk_size = std::max<uint64_t>(options.chunk_size, 1);
  ChunkReader reader(in, length, chunk_size, client.checksum());
  uint64_t offset = status.offset;
  progress(offset);
  for (;;) {
    if (offset > length) {
      return MakeError(ErrorCode::kBadUpstream,
                       "the server's offset " + std::to_string(offset) + " is past the file's end");
    }
    if (offset == length) {
      if (!status.video_id.empty()) return status.video_id;
      // Complete but the id did not come with the answer: HEAD says it (docs/uploads.md).
      KINORA_TRY(status, head());
      if (status.offset == length && !status.video_id.empty()) continue;
      return MakeError(ErrorCode::kBadUpstream, "the upload is complete but no video id came");
    }
    const ChunkReader::Chunk& chunk = reader.At(offset);
    KINORA_TRY_VOID(chunk.read);
    const size_t n = chunk.bytes.size();
    uint64_t sent = 0;
    auto on_sent = [&](uint64_t s) {
      sent = s;
      progress(offset + s);
    };
    auto patched =
        client.Patch(url, offset, chunk.bytes, offset + n == length, on_sent, chunk.checksum);
    if (patched) {
      out.bytes_sent += n;
      if (patched->offset <= offset) {
        return MakeError(ErrorCode::kBadUpstream, "the server took none of the chunk");
      }
      retrier.Reset();
      offset = patched->offset;
      out.offset = offset;
      status = *patched;
      progress(offset);
      continue;
    }
    out.bytes_sent += sent;
    KINORA_TRY_VOID(retry(patched.error()));
    KINORA_TRY(status, head());
    offset = status.offset;
    out.offset = offset;
    progress(offset);
  }
}

}  // namespace kinora::tus
