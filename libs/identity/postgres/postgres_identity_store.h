// PostgreSQL IdentityStore: the SQLite backend's tables in PostgreSQL, in the schema the catalog
// uses for the same URL (pg::ParseUrl), versioned in kinora_migrations (component "identity")
// and migrated under the catalog's advisory lock. Every call is one statement on a pooled
// connection; FindSession/FindToken are one indexed join.
// Thread safety: as IdentityStore.
#pragma once

#include <memory>
#include <string_view>

#include "kinora/identity/store.h"

namespace kinora::identity {

// postgresql://user[:password]@host[:port]/db[?…][&schema=name], as for the catalog.
Result<std::unique_ptr<IdentityStore>> NewPostgresIdentityStore(std::string_view url);

}  // namespace kinora::identity
