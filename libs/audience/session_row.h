// view_sessions rows <-> ViewSession: the column list in one place, and the statements built
// from it (select, insert, update), in the $N form of sql.h.
// Thread safety: constants and pure functions.
#pragma once

#include <string>

#include "kinora/audience/session.h"
#include "kinora/audience/sql.h"

namespace kinora::audience::internal {

int SessionColumnCount();
// "SELECT <columns> FROM view_sessions WHERE view_id = $1" (+ " FOR UPDATE" when `lock`).
const std::string& SelectSessionSql(bool lock);
// INSERT … ON CONFLICT (view_id) DO NOTHING: 0 rows changed when another writer created it.
const std::string& InsertSessionSql();
// UPDATE view_sessions SET <every other column> WHERE view_id = $1.
const std::string& UpdateSessionSql();

SqlParams SessionParams(const ViewSession& s);
ViewSession SessionFromRow(const SqlRows& rows, size_t row);

}  // namespace kinora::audience::internal
