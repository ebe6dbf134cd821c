// Moves WAL checkpoints off the write path (each writer connection of a file attaches to one:
// the catalog's and the audience store's). SQLite's auto-checkpoint runs inside the COMMIT that
// crosses 1000 WAL pages, copying pages and fsyncing (milliseconds, sometimes far more): that is
// the p99 of IncrementViews and of beacon ingest. Here the writer's WAL hook wakes a background
// thread that runs PASSIVE checkpoints on its own connection. Under non-stop writes a background
// checkpoint never quite catches up, and SQLite only rewinds a fully checkpointed WAL, so past a
// hard limit the writer checkpoints inline (rarely, and with little left to copy) to keep the WAL
// bounded. Thread safety: Attach once, from the thread that owns the writer; the rest is internal.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "kinora/sqlite/pool.h"

namespace kinora::sqlite {

class Checkpointer {
 public:
  // Wake the background checkpoint at SQLite's own default threshold...
  static constexpr int kWalPages = 1000;
  // ...and checkpoint inline, in the committing writer, past this many (32 MB of 4 KB pages).
  static constexpr int kInlineWalPages = 8192;

  static Result<std::unique_ptr<Checkpointer>> Start(const std::filesystem::path& file);
  explicit Checkpointer(std::unique_ptr<Conn> conn);
  ~Checkpointer();  // stops and joins the thread
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Replaces `writer`'s auto-checkpoint with a wake-up of this thread. The writer must be
  // closed (or detached) before this object is destroyed.
  void Attach(Conn& writer);

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run(std::stop_token stop);

  std::unique_ptr<Conn> conn_;  // used only by thread_
  std::mutex mu_;
  std::condition_variable_any wake_;
  bool pending_ = false;      // guarded by mu_
  std::mutex checkpoint_mu_;  // held while either side checkpoints
  std::jthread thread_;       // last: starts after, and stops before, everything above
};

}  // namespace kinora::sqlite
