// The operations that keep a video's three homes consistent: its catalog row, the row's mirror
// in metadata/{id}.json (so `kinora reindex` can rebuild the catalog from the store), and its
// media objects. Services go through these instead of pairing catalog and store calls by hand.
// Thread safety: as Catalog and ObjectStore (any thread); the Library holds no state of its own.
#pragma once

#include <string_view>

#include "kinora/catalog/catalog.h"
#include "kinora/storage/object_store.h"

namespace kinora::videos {

class Library {
 public:
  Library(catalog::Catalog& catalog, storage::ObjectStore& store)
      : catalog_(catalog), store_(store) {}

  // Inserts the row and writes its mirror; when either fails, neither remains.
  // kAlreadyExists when the id is taken (the existing video is untouched).
  Result<void> Create(const catalog::VideoRecord& v);
  // Replaces the row (all but its counters) and then rewrites its mirror. kNotFound when the
  // row is gone (nothing is written then).
  Result<void> Save(const catalog::VideoRecord& v);
  // Deletes the row first, so the video vanishes from the API at once, then every object: the
  // original, the mirror, the card and everything under processed/{id}/. A failure after the row
  // leaves only unreferenced objects, never a row pointing at missing media. Returns the deleted
  // row. kNotFound when there was no row (no object is touched then).
  Result<catalog::VideoRecord> Delete(std::string_view video_id);
  // Removes what the pipeline made (the card and processed/{id}/), keeping row and original.
  Result<void> DeleteOutputs(std::string_view video_id);

  // Writes metadata/{id}.json from the row as given.
  Result<void> WriteMirror(const catalog::VideoRecord& v);
  // Reads a mirror back (kinora reindex). kInvalidArgument when the document is not a video's
  // mirror or names another video than its key.
  Result<catalog::VideoRecord> ReadMirror(std::string_view metadata_key);

 private:
  catalog::Catalog& catalog_;
  storage::ObjectStore& store_;
};

}  // namespace kinora::videos
