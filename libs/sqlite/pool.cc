#include "kinora/sqlite/pool.h"

namespace kinora::sqlite {

Result<std::unique_ptr<Conn>> Conn::Open(const std::filesystem::path& file, bool read_only) {
  KINORA_TRY(auto db, Db::Open(file));
  // The catalog's list pages touch rows all over the table: memory-map the file (shared by every
  // connection through the OS page cache, no pread+copy per page) and keep a larger private page
  // cache.
  KINORA_TRY_VOID(db->Exec("PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384"));
  if (read_only) KINORA_TRY_VOID(db->Exec("PRAGMA query_only=ON"));
  return std::make_unique<Conn>(std::move(db));
}

Result<ScopedStmt> Conn::Use(std::string_view sql) {
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    KINORA_TRY(auto s, db_->Prepare(sql));
    it = stmts_.emplace(std::string(sql), std::move(s)).first;
  }
  return ScopedStmt(&it->second);
}

Result<ReadTxn> ReadTxn::Begin(Conn& c) {
  KINORA_TRY(auto s, c.Use("BEGIN"));
  KINORA_TRY_VOID(s->Run());
  return ReadTxn(&c);
}

ReadTxn::~ReadTxn() {
  if (!c_) return;
  // A read-only transaction has nothing to lose; COMMIT just releases the snapshot.
  auto s = c_->Use("COMMIT");
  if (s) (void)(*s)->Run();
}

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;
  }
  auto c = Conn::Open(file_, /*read_only=*/true);
  if (!c) {
    std::lock_guard lock(mu_);
    --open_;
    returned_.notify_one();
    return c.error();
  }
  return Lease(this, std::move(*c));
}

void ReadPool::Release(std::unique_ptr<Conn> c) {
  // A connection still inside a transaction would serve stale snapshots to its next user.
  if (!sqlite3_get_autocommit(c->db().raw())) {
    (void)c->db().Exec("ROLLBACK");
    if (!sqlite3_get_autocommit(c->db().raw())) c.reset();
  }
  std::lock_guard lock(mu_);
  if (c) {
    idle_.push_back(std::move(c));
  } else {
    --open_;
  }
  returned_.notify_one();
}

}  // namespace kinora::sqlite
