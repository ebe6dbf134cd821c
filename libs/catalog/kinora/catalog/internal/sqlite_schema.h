// The SQLite catalog's schema and row mapping, shared by the backend and by tools that bulk-load
// the same tables (bench/seed). The statements and the mapping are generated from the column
// table (libs/catalog/columns.h). Not part of the Catalog API: services use catalog.h only.
// Thread safety: pure data and functions; Stmts follow kinora::sqlite's one-thread rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/sqlite/db.h"

namespace kinora::catalog::internal {

// Schema migrations; migrations[i] brings the schema from version i to i + 1.
const std::vector<std::string_view>& SqliteMigrations();

// INSERT of one videos row, every column; bind with BindInsert. Fails with a constraint error on
// a duplicate id.
const std::string& InsertVideoSql();
void BindInsert(sqlite::Stmt& s, const VideoRecord& v);

// UPDATE of one videos row by video_id: the plain columns (not the counters, engagement or what
// Edit owns); bind with BindUpdate.
const std::string& UpdateVideoSql();
void BindUpdate(sqlite::Stmt& s, const VideoRecord& v);

// INSERT of one daily_counts row: ?1 video_id, ?2 day, ?3 views, ?4 likes.
extern const std::string_view kInsertDailySql;

// Reads a row whose first columns are SelectList() (columns.h).
VideoRecord ReadVideo(const sqlite::Stmt& s);

}  // namespace kinora::catalog::internal
