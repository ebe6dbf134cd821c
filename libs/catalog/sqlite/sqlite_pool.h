// The SQLite catalog's connections are kinora/sqlite/pool.h, shared with the identity store,
// which keeps its tables in the same file; these names keep the backend's code as it was.
// Thread safety: as kinora/sqlite/pool.h.
#pragma once

#include "kinora/sqlite/pool.h"

namespace kinora::catalog {

using sqlite::Checkpointer;
using sqlite::Conn;
using sqlite::ReadPool;
using sqlite::ReadTxn;
using sqlite::ScopedStmt;

}  // namespace kinora::catalog
