// Sending a file through a tus upload until it completes, as tus-js-client does: fixed-size
// chunks, each PATCH from the server's offset; on a retriable failure wait the next delay,
// re-HEAD and continue from the offset the server reports (so a chunk cut short is re-sent
// from its last durable byte, never the whole file).
// A chunk is read from the file as the connection takes it (never held whole in memory).
// Thread safety: one call per Client at a time; with checksums UploadFile computes the next
// chunk's on a thread of its own, joined before it returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/tus_client/client.h"

namespace kinora::tus {

struct FileUploadOptions {
  uint64_t chunk_size = 8 * 1024 * 1024;
  // One delay per retry in a row (reset by any PATCH that moves the offset); after the last the
  // upload fails. tus-js-client's defaults.
  std::vector<std::chrono::milliseconds> retry_delays{
      std::chrono::milliseconds(0), std::chrono::milliseconds(1000),
      std::chrono::milliseconds(3000), std::chrono::milliseconds(5000),
      std::chrono::milliseconds(10000)};
  // Waits before a retry; returns false when the upload should stop (cancelled).
  std::function<bool(std::chrono::milliseconds)> wait;
  // Progress: bytes of the file the server has or that are on their way, and the length.
  std::function<void(uint64_t position, uint64_t length)> on_progress;
};

// What a call did, filled as it goes (so also after a failure or a cancel).
struct FileUploadStats {
  uint64_t resumed_at = 0;  // the server's offset when this call started
  uint64_t offset = 0;      // the server's last reported offset
  uint64_t bytes_sent = 0;  // PATCH body bytes handed to the connection, re-sent ones included
  int retries = 0;
};

// Creates an upload (POST), retried as a PATCH is. A creation whose answer was lost leaves an
// orphan upload on the server until it expires (as with tus-js-client).
Result<Created> CreateUpload(Client& client, uint64_t length, const Metadata& metadata,
                             const FileUploadOptions& options, int* retries = nullptr);

// Uploads `file` (of `length` bytes) to the upload at `url`, starting from its HEAD offset;
// returns the video id. REQUIRES: the upload was created for this file's length.
Result<std::string> UploadFile(Client& client, const std::string& url,
                               const std::filesystem::path& file, uint64_t length,
                               const FileUploadOptions& options, FileUploadStats& stats);

}  // namespace kinora::tus
