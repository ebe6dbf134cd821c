// SQLite IdentityStore: the users, sessions and api_tokens tables in the catalog's database file,
// versioned in kinora_migrations (component "identity"; PRAGMA user_version is the catalog's).
// Writes go through one connection under a mutex; lookups borrow pooled read-only connections
// with their statements prepared once, so FindSession/FindToken (every authenticated request)
// never wait for a writer, this process's or another's (WAL).
// Thread safety: as IdentityStore.
#pragma once

#include <filesystem>
#include <memory>

#include "kinora/identity/store.h"

namespace kinora::identity {

// Opens (creating) the file and applies the identity migrations.
Result<std::unique_ptr<IdentityStore>> NewSqliteIdentityStore(const std::filesystem::path& file);

}  // namespace kinora::identity
