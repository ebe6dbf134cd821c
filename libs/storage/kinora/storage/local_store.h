// Local-directory ObjectStore: objects are files under a root directory. A put writes a
// temp file under <root>/.tmp, fsyncs it and renames it into place, then fsyncs the directory,
// so readers see either the old object or the complete new one, never a partial one.
// Limits of a directory tree: content_type given at put time is not kept (it is always
// guessed from the key's extension); "a" and "a/b" cannot both exist (the second put gets
// kAlreadyExists); the top-level name ".tmp" is reserved.
// Thread safety: as ObjectStore.
#pragma once

#include <filesystem>
#include <memory>

#include "kinora/storage/object_store.h"

namespace kinora::storage {

// Creates root (and its .tmp) if missing; removes stale temp files left by a crash.
Result<std::unique_ptr<ObjectStore>> NewLocalStore(const std::filesystem::path& root);

}  // namespace kinora::storage
