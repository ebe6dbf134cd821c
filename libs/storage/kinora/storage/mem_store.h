// In-memory ObjectStore: a map of keys to bytes, for unit tests of code built on ObjectStore
// (LevelDB's NewMemEnv). It passes the same contract suite as the real backends, so a test
// that runs against it learns about the interface, not about this class.
// Thread safety: as ObjectStore (one mutex around the map).
#pragma once

#include <memory>

#include "kinora/storage/object_store.h"

namespace kinora::storage {

std::unique_ptr<ObjectStore> NewMemStore();

}  // namespace kinora::storage
