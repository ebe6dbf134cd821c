// Moving a job's files between the object store and its scratch directory, and turning the
// pipeline's report into catalog fields.
// Thread safety: free functions; the store is thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kinora/catalog/video.h"
#include "kinora/core/error.h"
#include "kinora/media/transcode.h"
#include "kinora/storage/object_store.h"

namespace kinora::processor {

// Streams an object into a local file.
Result<void> Download(storage::ObjectStore& store, const std::string& key,
                      const std::filesystem::path& to);

struct Published {
  int64_t bytes = 0;  // total size of the outputs
  std::vector<std::string> keys;
};

// Stores every file (relative to out_dir) under its output key. Playlists that reference other
// files go last (the master playlist, then the card thumbnail), so nothing points at an object
// that is not there yet; objects under processed/{id}/ from an earlier run that this run did
// not produce are removed afterwards. On failure, what this call stored is deleted again (best
// effort), so a failed publish leaves no partial set behind.
Result<Published> Publish(storage::ObjectStore& store, const std::string& video_id,
                          const std::filesystem::path& out_dir,
                          const std::vector<std::string>& files);

// Fills the media facts, renditions, output keys and content analysis summary of a processed
// video.
void ApplyReport(const media::TranscodeReport& r, const Published& p, catalog::VideoRecord& v);
// Forgets every output and the analysis (for a FAILED video).
void ClearOutputs(catalog::VideoRecord& v);

}  // namespace kinora::processor
