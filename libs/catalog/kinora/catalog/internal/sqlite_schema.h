// The SQLite catalog's schema and row mapping, shared by the backend and by tools that bulk-load
// the same tables (bench/seed). Not part of the Catalog API: services use catalog.h only.
// Thread safety: pure data and functions; Stmts follow kinora::sqlite's one-thread rule.
#pragma once

#include <string_view>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/sqlite/db.h"

namespace kinora::catalog::internal {

// Schema migrations; migrations[i] brings the schema from version i to i + 1.
const std::vector<std::string_view>& SqliteMigrations();

// Every VideoRecord column, in the order ReadVideo expects them (31 columns).
extern const std::string_view kVideoColumns;
inline constexpr int kVideoColumnCount = 33;

// INSERT of one videos row; bind with BindVideo. Fails with a constraint error on a duplicate id.
extern const std::string_view kInsertVideoSql;
// INSERT of one daily_counts row: ?1 video_id, ?2 day, ?3 views, ?4 likes.
extern const std::string_view kInsertDailySql;

// Binds v to ?1..?32 as kInsertVideoSql expects (the column order of kVideoColumns, then
// engagement). The update statement reuses the same numbering.
void BindVideo(sqlite::Stmt& s, const VideoRecord& v);

// Reads a row selected with kVideoColumns starting at column `first`.
VideoRecord ReadVideo(const sqlite::Stmt& s, int first = 0);


SysTime FromMillis(int64_t ms);

}  // namespace kinora::catalog::internal
