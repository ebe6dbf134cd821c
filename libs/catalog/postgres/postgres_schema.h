// The PostgreSQL catalog's schema: the same tables, indexes and trigger-kept aggregates as the
// SQLite schema (sqlite/sqlite_schema.cc), version for version, in PostgreSQL's dialect, and the
// column list and row mapping shared by the backend's translation units.
// Thread safety: pure data and functions.
#pragma once

#include <string_view>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "pg.h"

namespace kinora::catalog::pgschema {

// migrations[i] brings the schema from version i to i + 1.
const std::vector<std::string_view>& Migrations();
// Applies the missing migrations under an advisory lock, so processes starting together
// do not race.
Result<void> Migrate(pg::PgConn& c);

// Every VideoRecord column, in the order ReadVideo expects them.
extern const std::string_view kVideoColumns;
inline constexpr int kVideoColumnCount = 33;

// The 34 parameters of an INSERT/UPDATE ($1 video_id … $34 poster_key; $32 is engagement).
std::vector<pg::Param> VideoParams(const VideoRecord& v);
VideoRecord ReadVideo(const pg::PgResult& r, int row, int first = 0);

}  // namespace kinora::catalog::pgschema
