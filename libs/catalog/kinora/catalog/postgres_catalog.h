// PostgreSQL Catalog (libpq): the SQLite catalog's schema, migrations and trigger-kept
// aggregates in PostgreSQL, for many replicas sharing one database. Counters are exact under
// any concurrency (one UPDATE … RETURNING per increment, with the per-day row, in one
// transaction); List walks the same (key, video_id) indexes with keyset cursors.
// Thread safety: as Catalog. Connections come from a pool.
#pragma once

#include <memory>
#include <string_view>

#include "kinora/catalog/catalog.h"

namespace kinora::pg {
class SharedQuery;
}

namespace kinora::catalog {

// postgresql://user[:password]@host[:port]/db[?…libpq parameters…][&schema=name]. The schema
// (default: public) is created if missing; migrations run at open. The connection pool holds
// options.connections (CatalogOptions). Title search uses pg_trgm when the migration could create
// it, and otherwise scans (a warning says so at open).
Result<std::unique_ptr<Catalog>> NewPostgresCatalog(std::string_view url,
                                                    const CatalogOptions& options = {});

// The ListVersion of the PostgreSQL catalog at `url`, read without blocking a thread: on a
// connection of its own, one round trip shared by the callers who ask together, each answered
// by a read begun after it asked (pg::SharedQuery; the gateway's kept pages). Null when `url` is
// not a PostgreSQL URL. Link kinora::pg to use it.
std::unique_ptr<pg::SharedQuery> NewPostgresListVersions(std::string_view url);

}  // namespace kinora::catalog
