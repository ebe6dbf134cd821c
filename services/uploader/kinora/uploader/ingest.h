// Ingest: the domain side of an upload, apart from HTTP. A file arrives through Begin (its
// name checked, an id chosen, an uncommitted put opened) and Append; Finish checks that it is
// a video and then makes it exist everywhere at once: the object committed, the catalog row and
// its processing job written in one transaction (the outbox), its metadata/{id}.json mirror
// written, the job sent to the queue. Every transport ends here, and any failure before the
// row undoes what was done, so a refused or failed upload leaves nothing in the store, the
// catalog or the queue. A queue that is down does not fail the upload: the job waits in the
// outbox for the relay (kinora/videos/outbox_relay.h).
// Thread safety: an Ingest may be shared by concurrent uploads; an IncomingFile belongs to one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "kinora/catalog/catalog.h"
#include "kinora/media/probe.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/probe_window.h"

namespace kinora::uploader {

// Lowercase extension of an accepted video filename, or kInvalidArgument saying what is allowed.
Result<std::string> AcceptedExtension(std::string_view filename);
// The client's filename made safe to show: no directories, no control characters, invalid
// UTF-8 replaced by U+FFFD, ≤ 255 bytes cut at a character boundary.
std::string SafeDisplayName(std::string_view filename);

// Reads what a file is from its first and last bytes (kUnsupported: not a video, or not one
// within the limits; kUnavailable: the probe could not run). Called off the I/O threads; the
// server's own is SandboxedProber (probe_child.h).
using Prober = std::function<Result<media::ProbeResult>(std::string_view head,
                                                        std::string_view tail, uint64_t total)>;

struct IngestOptions {
  std::string bucket = "local";  // reported as s3_bucket
  Prober probe;                  // empty: media::ProbeHeadTail in this process, with `limits`
  media::MediaLimits limits;
};

// A file being received: its bytes stream into an uncommitted put. The probe reads its head and
// tail back from the put where the store can (local files: nothing is kept in memory per
// upload); otherwise they are kept in a ProbeWindow. Dropping it before Finish leaves nothing
// behind.
class IncomingFile {
 public:
  const std::string& video_id() const { return video_id_; }
  uint64_t size() const { return size_; }
  Result<void> Append(std::string_view data);

 private:
  friend class Ingest;
  std::string video_id_, extension_, display_name_;
  std::unique_ptr<storage::ObjectWriter> writer_;
  std::unique_ptr<ProbeWindow> window_;  // only when the writer cannot read back
  uint64_t size_ = 0;
};

// What the uploader says about the file besides its bytes.
struct UploadDetails {
  std::string title;  // empty: the file name without its extension
  std::string description;
  std::string correlation_id;
  std::string owner_id;               // the uploading user
  std::string visibility = "public";  // checked by the caller
};

// A file that already sits in the store under its final key (a completed resumable upload): no
// catalog row points at it yet.
struct StoredFile {
  std::string video_id, extension, display_name;
  storage::ObjectInfo object;  // under videos::OriginalKey(video_id, extension)
};

class Ingest {
 public:
  Ingest(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
         IngestOptions options);

  // kInvalidArgument for a name Kinora does not accept; a store error if the put cannot start.
  Result<IncomingFile> Begin(std::string_view filename);
  // Refuses an empty file (kInvalidArgument) or one that is not a video within the limits
  // (kUnsupported), then commits, records and enqueues it. Returns the new row. On any error
  // nothing remains. A failed send is not an error: the relay publishes the job from the outbox.
  // Blocks (the probe runs a child): call it off the I/O threads.
  Result<catalog::VideoRecord> Finish(IncomingFile file, const UploadDetails& details);
  // The same for a file already stored (resumable uploads): probed from the store (head and
  // tail ranges), then recorded and enqueued; a refused file is deleted from the store.
  Result<catalog::VideoRecord> FinishStored(const StoredFile& file, const UploadDetails& details);

 private:
  // Records and enqueues a committed, probed original; deletes it if the row cannot be made.
  Result<catalog::VideoRecord> Publish(const StoredFile& file, const media::ProbeResult& probe,
                                       const UploadDetails& details);

  storage::ObjectStore& store_;
  catalog::Catalog& catalog_;
  queue::JobQueue& queue_;
  IngestOptions options_;
};

}  // namespace kinora::uploader
