// ObjectStore: the blob storage every role uses (videos, metadata, thumbnails, renditions).
// Backends: local directory (embedded default), S3-compatible (scale-out, a later issue).
// Chosen by URL through OpenObjectStore(). Every backend passes object_store_contract.h.
// Thread safety: an ObjectStore may be used from many threads at once. A single ObjectWriter
// or ObjectReader is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::storage {

class ResumableWriter;
struct ResumableCheckpoint;

// Keys are '/'-separated relative paths: 1–1024 bytes of [A-Za-z0-9._-/], no empty, "." or ".."
// segment, no leading or trailing '/'. Anything else is refused with kInvalidArgument.
Result<void> ValidateKey(std::string_view key);

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;          // strong validator, quoted form e.g. "\"1a2b-3c\""
  std::string content_type;  // as given at put time, or guessed from the extension
  std::chrono::system_clock::time_point last_modified;
};

// Inclusive byte range [first, last], already resolved against the object size.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t length() const { return last - first + 1; }
};

// Receives an object's bytes in order. Nothing is visible under the key until Commit()
// succeeds; destroying an uncommitted writer (or Abort()) leaves no trace.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // REQUIRES: not committed or aborted.
  virtual Result<void> Write(std::span<const char> data) = 0;
  // Makes the object durable and visible atomically, replacing any previous object.
  virtual Result<ObjectInfo> Commit() = 0;
  // Discards everything written. Idempotent; never fails.
  virtual void Abort() = 0;
  virtual uint64_t bytes_written() const = 0;
  // Whether ReadBack works: the bytes written so far can be read again before Commit (local
  // files and memory can; S3 cannot, its parts are already on their way). Lets a caller that
  // must look at the bytes before committing (the upload probe) avoid keeping its own copy.
  virtual bool can_read_back() const { return false; }
  // Reads up to buf.size() written bytes from `offset` (fewer only at bytes_written()).
  // REQUIRES: can_read_back(), not committed or aborted.
  virtual Result<size_t> ReadBack(uint64_t offset, std::span<char> buf) {
    (void)offset;
    (void)buf;
    return MakeError(ErrorCode::kInternal, "this store cannot read back an uncommitted object");
  }
};

// Streams an object's bytes (or a range of them) from the start of the range.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  // Fills up to buf.size() bytes; returns 0 only at the end of the object/range.
  virtual Result<size_t> Read(std::span<char> buf) = 0;
  // Metadata of the whole object (not the range).
  virtual const ObjectInfo& info() const = 0;
};

// One part of a direct multipart upload (see ObjectStore::CreateMultipart).
struct UploadedPart {
  int number = 0;     // 1–10000
  uint64_t size = 0;  // as listed; not needed to complete
  std::string etag;   // as S3 answered the part's PUT (quoted)
};

struct ListPage {
  std::vector<ObjectInfo> objects;  // sorted by key
  std::optional<std::string> next;  // pass as `after` to get the following page
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Begins a streaming put. content_type may be empty (guessed from the key's extension).
  virtual Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                         std::string_view content_type) = 0;
  // Opens the object for reading; with a range, reads exactly that range.
  // kNotFound if missing; kInvalidArgument if the range lies outside the object.
  virtual Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                                    std::optional<ByteRange> range) = 0;
  // kNotFound if missing.
  virtual Result<ObjectInfo> Head(std::string_view key) = 0;
  // Objects whose key starts with prefix and sorts after `after` (exclusive), at most
  // max_keys (1–1000) of them. Prefix "" lists everything. Never lists unfinished puts.
  virtual Result<ListPage> List(std::string_view prefix, std::string_view after,
                                size_t max_keys) = 0;
  // Removes the object. Deleting a missing key succeeds (as S3 does).
  virtual Result<void> Delete(std::string_view key) = 0;
  // Removes several objects (up to 1000), in as few requests as the backend allows. Missing
  // keys succeed. On failure some may have been removed; repeating the call is safe.
  virtual Result<void> DeleteMany(const std::vector<std::string>& keys) {
    for (const std::string& k : keys) KINORA_TRY_VOID(Delete(k));
    return {};
  }
  // Cheap liveness check of the backend (used by GET /ready).
  virtual Result<void> Ping() = 0;
  // A URL a client can GET the object from directly until ttl has passed, or "" when the
  // backend has no such thing (local files: the gateway serves them). Does not check that the
  // object exists.
  virtual std::string PresignedGet(std::string_view key, std::chrono::seconds ttl) const {
    (void)key;
    (void)ttl;
    return {};
  }
  // Resumable puts (resumable.h). `upload_id` names the put (32 hex characters, the caller's),
  // `key` its final object. kUnsupported from stores without them.
  // Starts one: the state for offset 0. `length` is the object's whole size.
  virtual Result<std::string> CreateResumable(std::string_view upload_id, std::string_view key,
                                              std::string_view content_type, uint64_t length);
  // Continues one from a recorded checkpoint; bytes past it are dropped. kNotFound when its
  // bytes are gone; kInternal when fewer than `at.offset` bytes survive.
  virtual Result<std::unique_ptr<ResumableWriter>> ResumePut(std::string_view upload_id,
                                                             std::string_view key,
                                                             const ResumableCheckpoint& at);
  // Removes everything an unfinished put stored (temp file, S3 multipart upload and tails).
  // Missing ones succeed; repeating it is safe.
  virtual Result<void> AbortResumable(std::string_view upload_id, std::string_view key,
                                      std::string_view state);

  // Direct multipart uploads (docs/uploads.md "Direct to S3"): the client PUTs the parts to
  // presigned URLs itself; the server starts, lists, completes or aborts. `upload_id` is the
  // store's own (S3's UploadId). kUnsupported from stores without them (local, memory).
  virtual bool supports_direct_multipart() const { return false; }
  // Starts one for `key`; returns its upload id.
  virtual Result<std::string> CreateMultipart(std::string_view key, std::string_view content_type);
  // A URL the client PUTs part `part_number` (1–10000) to until ttl has passed.
  virtual Result<std::string> PresignUploadPart(std::string_view key, std::string_view upload_id,
                                                int part_number, std::chrono::seconds ttl) const;
  // The parts stored so far, by number. kUnsupported also from an S3 without ListParts.
  virtual Result<std::vector<UploadedPart>> ListParts(std::string_view key,
                                                      std::string_view upload_id);
  // Joins the parts (ascending numbers, their ETags) into the object; its metadata.
  virtual Result<ObjectInfo> CompleteMultipart(std::string_view key, std::string_view upload_id,
                                               const std::vector<UploadedPart>& parts);
  // Drops the upload and its parts. An unknown (or finished) one succeeds.
  virtual Result<void> AbortMultipart(std::string_view key, std::string_view upload_id);

  // The origin (scheme://host[:port] as a browser serializes it: lower case, no default port)
  // every URL from PresignedGet and PresignUploadPart starts with, so the web app's
  // Content-Security-Policy can let the browser fetch from and PUT to it; nullopt when the
  // store hands out no URLs (local files, memory: the gateway serves them on its own origin).
  virtual std::optional<std::string> PresignedOrigin() const { return std::nullopt; }

  // Human-readable location for logs (never includes secrets).
  virtual std::string Describe() const = 0;
};

// Convenience wrappers built on the interface.
Result<ObjectInfo> PutBytes(ObjectStore& store, std::string_view key, std::string_view data,
                            std::string_view content_type = {});
Result<std::string> GetBytes(ObjectStore& store, std::string_view key,
                             uint64_t max_bytes = 64 << 20);
// Deletes every object under prefix (e.g. "processed/{id}/").
Result<void> DeletePrefix(ObjectStore& store, std::string_view prefix);

// Guesses a Content-Type from a key's extension ("video/mp4", "application/json", ...).
std::string_view GuessContentType(std::string_view key);

// Opens a store from a URL: file:///abs/dir (local) or s3://bucket[/prefix] (see s3_store.h).
// Unknown schemes -> kInvalidArgument.
Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url);

}  // namespace kinora::storage
