// Resumable uploads in the catalog database: one row per tus upload (docs/uploads.md), so an
// upload survives a restart or a kill -9 of the process receiving it. The row records the
// durable offset and the object store's opaque state for continuing the put
// (storage::ResumableState); bytes live in the store. Same schema on SQLite and PostgreSQL.
// Thread safety: plain values; the Catalog methods that use them are thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace kinora::catalog {

struct UploadRow {
  std::string upload_id;  // 32 lowercase hex characters, random (the tus URL's last segment)
  std::string owner_id;   // the creating user ("" when uploads need no account)
  std::string video_id;   // chosen at creation; the video's id once complete
  std::string filename;   // the display name (SafeDisplayName of the metadata's filename)
  std::string extension;  // accepted lowercase extension ("mp4")
  std::string title, description, visibility, correlation_id;
  int64_t length = 0;       // Upload-Length, bytes
  int64_t offset = 0;       // bytes durably stored
  std::string store_state;  // opaque to the catalog; from the object store
  int64_t created_at = 0;   // unix milliseconds
  int64_t expires_at = 0;   // unix milliseconds; swept after this
  bool complete = false;    // the ingest ran and video_id names the video
};

}  // namespace kinora::catalog
