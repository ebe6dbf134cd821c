// SQLite Catalog: one WAL-mode database file with versioned schema migrations applied at open.
// Writes go through one connection under a mutex; reads use a pool of connections.
// Thread safety: as Catalog.
#pragma once

#include <filesystem>
#include <memory>

#include "kinora/catalog/catalog.h"

namespace kinora::catalog {

Result<std::unique_ptr<Catalog>> NewSqliteCatalog(const std::filesystem::path& file);

}  // namespace kinora::catalog
