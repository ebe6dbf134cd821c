#include "kinora/tus_client/file_upload.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <optional>
#include <span>
#include <thread>
#include <vector>

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

  // Fills `out` with exactly its size in bytes from `offset`.
  Result<void> ReadAt(uint64_t offset, std::span<char> out) const {
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t r =
          ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
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

// Chunks of the file: ranges sent straight from the file (read as the connection takes them, so
// memory stays flat whatever the chunk size), with their checksums. With checksums, the next
// chunk's is computed on another thread while one is sent (the header goes before the body and
// the server's answer is awaited before the next PATCH, so hashing would otherwise add to every
// round trip).
class ChunkReader {
 public:
  struct Chunk {
    uint64_t offset = 0;
    uint64_t size = 0;
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

  // The chunk at `offset` (the one computed ahead when it is that one), and starts on the next.
  // REQUIRES: offset < length.
  const Chunk& At(uint64_t offset) {
    std::optional<Chunk> next;
    if (ahead_.valid()) next = ahead_.get();
    if (!next || next->offset != offset || !next->read) next = Make(offset);
    current_ = std::move(*next);
    const uint64_t following = offset + current_.size;
    if (checksum_ && current_.read && following < length_) {
      ahead_ = std::async(std::launch::async, [this, following] { return Make(following); });
    }
    return current_;
  }

  // Reads bytes of the file for a PATCH body; on failure failure() says why.
  bool Read(uint64_t offset, std::span<char> out) {
    auto r = in_.ReadAt(offset, out);
    if (!r) failure_ = r.error();
    return static_cast<bool>(r);
  }
  const std::optional<Error>& failure() const { return failure_; }

 private:
  static constexpr size_t kHashPiece = 1 << 20;

  Chunk Make(uint64_t offset) const {
    Chunk c;
    c.offset = offset;
    c.size = std::min(chunk_size_, length_ - offset);
    if (!checksum_) return c;
    ChecksumHasher hasher;
    std::vector<char> piece(static_cast<size_t>(std::min<uint64_t>(kHashPiece, c.size)));
    for (uint64_t at = 0; at < c.size;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(piece.size(), c.size - at));
      c.read = in_.ReadAt(offset + at, std::span<char>(piece.data(), n));
      if (!c.read) return c;
      hasher.Update(std::string_view(piece.data(), n));
      at += n;
    }
    c.checksum = hasher.Final();
    return c;
  }

  const InputFile& in_;
  const uint64_t length_;
  const uint64_t chunk_size_;
  const bool checksum_;
  Chunk current_;
  std::future<Chunk> ahead_;
  std::optional<Error> failure_;
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
    const uint64_t n = chunk.size;
    uint64_t sent = 0;
    auto on_sent = [&](uint64_t s) {
      sent = s;
      progress(offset + s);
    };
    auto read = [&reader, start = offset](uint64_t at, std::span<char> bytes) {
      return reader.Read(start + at, bytes);
    };
    auto patched =
        client.Patch(url, offset, n, read, offset + n == length, on_sent, chunk.checksum);
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
    if (reader.failure()) return *reader.failure();  // the file, not the connection
    KINORA_TRY_VOID(retry(patched.error()));
    KINORA_TRY(status, head());
    offset = status.offset;
    out.offset = offset;
    progress(offset);
  }
}

}  // namespace kinora::tus
