// The operations that keep a video's three homes consistent: its catalog row, the row's mirror
// in metadata/{id}.json (so `kinora reindex` can rebuild the catalog from the store), and its
// media objects. Services go through these instead of pairing catalog and store calls by hand.
// Thread safety: as Catalog and ObjectStore (any thread); the Library holds no state of its own.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <string_view>

#include "kinora/catalog/catalog.h"
#include "kinora/storage/object_store.h"

namespace kinora::videos {

// The document of metadata/{id}.json: the video's JSON (catalog::ToJson, the seed's fields in
// its types) with the seed's key-valued URL fields: processed_url the key of the playable MP4
// (PlayableKey; null when none), thumbnail_url the card's key ("thumbnails/{id}.jpg", as the
// seed's analytics expects and presigns; null when none). catalog::FromJson reads it back, and
// the seed's own documents too.
boost::json::object MirrorJson(const catalog::VideoRecord& v);

class Library {
 public:
  Library(catalog::Catalog& catalog, storage::ObjectStore& store)
      : catalog_(catalog), store_(store) {}

  // How long the relay leaves a new outbox entry to the uploader that wrote it (which publishes
  // it at once) before publishing it itself.
  static constexpr std::chrono::seconds kPublishGrace{10};

  // Inserts the row and writes its mirror; when either fails, neither remains.
  // kAlreadyExists when the id is taken (the existing video is untouched).
  Result<void> Create(const catalog::VideoRecord& v);
  // Create, with the processing job `job` written to the outbox in the row's transaction, so a
  // crash at any point leaves either nothing in the catalog or the row with its job. Returns the
  // outbox entry's id (for JobPublished once the caller has sent it).
  Result<int64_t> Create(const catalog::VideoRecord& v, std::string_view job);
  // Replaces the row (all but its counters) and then rewrites its mirror. kNotFound when the
  // row is gone (nothing is left written then, even when a Delete ran between the two).
  Result<void> Save(const catalog::VideoRecord& v);
  // Deletes the row first (leaving a tombstone), so the video vanishes from the API at once,
  // then every object: the original, the card, everything under processed/{id}/ and, last, the
  // mirror, so a delete cut short leaves a mirror the reconciler can finish it from. A failure
  // after the row leaves only unreferenced objects, never a row pointing at missing media.
  // Returns the deleted row. kNotFound when there was no row (no object is touched then).
  Result<catalog::VideoRecord> Delete(std::string_view video_id);
  // Removes what the pipeline made (the card and processed/{id}/), keeping row and original.
  Result<void> DeleteOutputs(std::string_view video_id);

  // Writes metadata/{id}.json from the row as given, then checks the row still exists: a
  // Delete that ran meanwhile wins, the mirror is removed again and the result is kNotFound.
  Result<void> WriteMirror(const catalog::VideoRecord& v);
  // Reads a mirror back (kinora reindex). kInvalidArgument when the document is not a video's
  // mirror or names another video than its key.
  Result<catalog::VideoRecord> ReadMirror(std::string_view metadata_key);

 private:
  catalog::Catalog& catalog_;
  storage::ObjectStore& store_;
};

}  // namespace kinora::videos
