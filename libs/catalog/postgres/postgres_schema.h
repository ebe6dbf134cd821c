// The PostgreSQL catalog's schema: the same tables, indexes and trigger-kept aggregates as the
// SQLite schema (sqlite/sqlite_schema.cc), version for version, in PostgreSQL's dialect, and the
// column list and row mapping shared by the backend's translation units.
// Thread safety: pure data and functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/pg/pg.h"

namespace kinora::catalog::pgschema {

// migrations[i] brings the schema from version i to i + 1.
const std::vector<std::string_view>& Migrations();
// Applies the missing migrations under an advisory lock, so processes starting together
// do not race.
Result<void> Migrate(pg::PgConn& c);

// The statements and the row mapping below are generated from the column table (../columns.h).

// INSERT of one videos row, every column, with InsertParams(v) as its parameters.
const std::string& InsertSql();
std::vector<pg::Param> InsertParams(const VideoRecord& v);
// UPDATE of one videos row by video_id (the plain columns: not the counters, engagement or what
// Edit owns), with
// UpdateParams(v) as its parameters.
const std::string& UpdateSql();
std::vector<pg::Param> UpdateParams(const VideoRecord& v);

// Reads row `row` of a result whose first columns are SelectList() (columns.h).
VideoRecord ReadVideo(const pg::PgResult& r, int row);

}  // namespace kinora::catalog::pgschema
