// Resumable puts: one object assembled by many requests, possibly in different processes and
// across a crash (the tus uploads of docs/uploads.md). The store hands out an opaque state
// string; the caller keeps it durably (the catalog's uploads row) together with the offset it
// covers and passes both back to continue. Bytes beyond a recorded offset are dropped when the
// put is resumed, so what the caller recorded is exactly what counts.
//   local files: one temp file per upload (<root>/.tmp/uploads/{upload_id}), appended in place,
//                made durable by fdatasync, renamed into place on completion;
//   S3:          one multipart upload of the final key; full parts are uploaded as they fill and
//                their ETags kept in the state; bytes short of a part at a flush are kept as an
//                object of their own (uploads/{upload_id}/tail-{n}) until the next resume.
// Thread safety: a ResumableWriter is used by one thread at a time, and one writer per upload
// at a time (the caller serializes requests on one upload).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "kinora/storage/object_store.h"

namespace kinora::storage {

// A durable point of a resumable put: `offset` bytes are stored for good, and `state` is what
// ResumePut needs to continue from there.
struct ResumableCheckpoint {
  uint64_t offset = 0;
  std::string state;
};

class ResumableWriter {
 public:
  virtual ~ResumableWriter() = default;
  // Bytes of the object received so far, durable or not.
  virtual uint64_t offset() const = 0;
  virtual Result<void> Write(std::span<const char> data) = 0;
  // A durable point reached by the writes since the last call, if there is one (every 64 MiB
  // locally, each S3 part). Cheap; call it after every Write.
  virtual std::optional<ResumableCheckpoint> TakeCheckpoint() = 0;
  // Makes every byte received durable and returns the point for offset().
  virtual Result<ResumableCheckpoint> Flush() = 0;
  // The caller has recorded the latest checkpoint: what it replaced may be removed (an older S3
  // tail object). Best effort.
  virtual void Recorded() {}
  // Drops the bytes received since the last durable point (a request whose checksum failed):
  // local files are cut back at once; S3's unrecorded parts are overwritten or left out later.
  virtual Result<void> Discard() = 0;
  // Makes the object visible under its key (local: rename; S3: CompleteMultipartUpload). The
  // put's state is spent afterwards. REQUIRES: offset() is the object's whole length.
  virtual Result<ObjectInfo> Complete() = 0;
};

// Where a local store keeps unfinished resumable puts, under its root; stale-temp cleaning
// leaves it alone (their lifetime is the catalog's).
inline constexpr std::string_view kLocalResumableDir = ".tmp/uploads";

}  // namespace kinora::storage
