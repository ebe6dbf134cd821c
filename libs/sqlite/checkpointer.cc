#include "kinora/sqlite/checkpointer.h"

#include <chrono>

namespace kinora::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::filesystem::path& file) {
  KINORA_TRY(auto conn, Conn::Open(file, /*read_only=*/false));
  return std::make_unique<Checkpointer>(std::move(conn));
}

Checkpointer::Checkpointer(std::unique_ptr<Conn> conn)
    : conn_(std::move(conn)), thread_([this](std::stop_token stop) { Run(stop); }) {}

Checkpointer::~Checkpointer() {
  thread_.request_stop();
  wake_.notify_all();
}

void Checkpointer::Attach(Conn& writer) {
  sqlite3_wal_hook(writer.db().raw(), &Checkpointer::OnCommit, this);
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  if (wal_pages >= kInlineWalPages) {
    // Wait for a background checkpoint in progress (SQLite answers BUSY at once, without the
    // busy handler, while another connection checkpoints: on a loaded machine the WAL then
    // grew thousands of pages past this bound). RESTART then copies what is left, waiting
    // for readers of the old frames, so the next commit starts the WAL over.
    auto* c = static_cast<Checkpointer*>(self);
    std::lock_guard running(c->checkpoint_mu_);
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  } else if (wal_pages >= kWalPages) {
    auto* c = static_cast<Checkpointer*>(self);
    {
      std::lock_guard lock(c->mu_);
      c->pending_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu_);
      // Also checkpoint now and then without a wake-up, so a quiet catalog's WAL drains.
      wake_.wait_for(lock, stop, std::chrono::seconds(5), [this] { return pending_; });
      pending_ = false;
    }
    if (stop.stop_requested()) break;
    // PASSIVE never blocks readers or the writer; frames it cannot copy yet wait for next time.
    int log = 0, copied = 0;
    std::lock_guard running(checkpoint_mu_);
    (void)sqlite3_wal_checkpoint_v2(conn_->db().raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                    &copied);
  }
}

}  // namespace kinora::sqlite
