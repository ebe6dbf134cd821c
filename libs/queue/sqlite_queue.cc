// SQLite JobQueue. One connection per queue object, guarded by db_mu_; long polls sleep on a
// condition variable (under a separate mutex) that Send/ChangeVisibility(0) in this process and
// Interrupt() signal, re-checking the file every 100 ms for sends by other processes.
// After Interrupt() every Receive returns an empty vector at once without leasing anything,
// so a shutting-down worker never hides a message it will not process.
#include "kinora/queue/sqlite_queue.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "kinora/core/ids.h"
#include "kinora/core/time.h"
#include "kinora/sqlite/db.h"

namespace kinora::queue {
namespace {

constexpr size_t kMaxBodyBytes = 256 * 1024;
constexpr Seconds kMaxDelay{900};                // SQS DelaySeconds limit
constexpr Seconds kMaxWait{20};                  // SQS WaitTimeSeconds limit
constexpr Seconds kMaxVisibility{12 * 60 * 60};  // SQS VisibilityTimeout limit
constexpr auto kCrossProcessPoll = std::chrono::milliseconds(100);

const std::vector<std::string_view> kMigrations = {
    R"sql(
    CREATE TABLE IF NOT EXISTS messages (
      id            TEXT PRIMARY KEY,
      body          TEXT NOT NULL,
      sent_at       INTEGER NOT NULL,            -- unix ms
      visible_at    INTEGER NOT NULL,            -- unix ms; in the future while delayed/in flight
      receive_count INTEGER NOT NULL DEFAULT 0,
      receipt       TEXT,                        -- handle of the latest receive, NULL if none
      dead          INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1)),
      dead_at       INTEGER
    );
    CREATE INDEX IF NOT EXISTS messages_ready ON messages (dead, visible_at);
    CREATE INDEX IF NOT EXISTS messages_receipt ON messages (receipt);
    )sql",
};

int64_t NowMs() { return UnixMillis(std::chrono::system_clock::now()); }
int64_t Ms(Seconds s) { return static_cast<int64_t>(s.count()) * 1000; }

Error Invalid(std::string msg) { return MakeError(ErrorCode::kInvalidArgument, std::move(msg)); }

class SqliteQueue final : public JobQueue {
 public:
  SqliteQueue(std::filesystem::path file, std::unique_ptr<sqlite::Db> db,
              SqliteQueueOptions options)
      : file_(std::move(file)), options_(options), db_(std::move(db)) {}

  Result<std::string> Send(std::string_view body, Seconds delay) override {
    if (body.empty()) return Invalid("message body is empty");
    if (body.size() > kMaxBodyBytes) {
      return MakeError(ErrorCode::kTooLarge,
                       "message body of " + std::to_string(body.size()) + " bytes exceeds 256 KiB");
    }
    if (delay < Seconds{0} || delay > kMaxDelay) return Invalid("delay must be 0-900 s");
    std::string id = NewUuid();
    {
      std::lock_guard lock(db_mu_);
      int64_t now = NowMs();
      KINORA_TRY(auto insert, db_->Prepare("INSERT INTO messages (id, body, sent_at, visible_at) "
                                           "VALUES (?1, ?2, ?3, ?4)"));
      insert.Bind(1, id).Bind(2, body).Bind(3, now).Bind(4, now + Ms(delay));
      KINORA_TRY_VOID(insert.Run());
    }
    Wake();
    return id;
  }

  Result<std::vector<Message>> Receive(int max_messages, Seconds wait,
                                       Seconds visibility) override {
    if (max_messages < 1 || max_messages > 10) return Invalid("max_messages must be 1-10");
    if (wait < Seconds{0} || wait > kMaxWait) return Invalid("wait must be 0-20 s");
    if (visibility < Seconds{0} || visibility > kMaxVisibility) {
      return Invalid("visibility must be 0 s - 12 h");
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      uint64_t seen = 0;
      {
        std::lock_guard lock(wait_mu_);
        if (interrupted_) return std::vector<Message>{};
        seen = wake_seq_;
      }
      {
        std::lock_guard lock(db_mu_);
        KINORA_TRY(auto got, LeaseLocked(max_messages, Ms(visibility)));
        if (!got.empty()) return got;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return std::vector<Message>{};
      std::unique_lock lock(wait_mu_);
      cv_.wait_until(lock, std::min(deadline, now + kCrossProcessPoll),
                     [&] { return interrupted_ || wake_seq_ != seen; });
    }
  }

  Result<void> ChangeVisibility(std::string_view receipt_handle, Seconds visibility) override {
    if (visibility < Seconds{0} || visibility > kMaxVisibility) {
      return Invalid("visibility must be 0 s - 12 h");
    }
    {
      std::lock_guard lock(db_mu_);
      KINORA_TRY(auto update, db_->Prepare("UPDATE messages SET visible_at = ?1 "
                                           "WHERE receipt = ?2 AND dead = 0"));
      update.Bind(1, NowMs() + Ms(visibility)).Bind(2, receipt_handle);
      KINORA_TRY_VOID(update.Run());
      if (db_->Changes() == 0) return StaleReceipt();
    }
    if (visibility == Seconds{0}) Wake();
    return {};
  }

  Result<void> Delete(std::string_view receipt_handle) override {
    std::lock_guard lock(db_mu_);
    KINORA_TRY(auto del, db_->Prepare("DELETE FROM messages WHERE receipt = ?1 AND dead = 0"));
    del.Bind(1, receipt_handle);
    KINORA_TRY_VOID(del.Run());
    if (db_->Changes() == 0) return StaleReceipt();
    return {};
  }

  Result<QueueStats> Stats() override {
    std::lock_guard lock(db_mu_);
    KINORA_TRY(
        auto q,
        db_->Prepare("SELECT COALESCE(SUM(dead = 0 AND visible_at <= ?1), 0),"
                     "       COALESCE(SUM(dead = 0 AND visible_at > ?1 AND receive_count > 0), 0),"
                     "       COALESCE(SUM(dead = 0 AND visible_at > ?1 AND receive_count = 0), 0),"
                     "       COALESCE(SUM(dead = 1), 0) "
                     "FROM messages"));
    q.Bind(1, NowMs());
    KINORA_TRY(bool row, q.Step());
    QueueStats stats;
    if (row) {
      stats.visible = q.Int(0);
      stats.in_flight = q.Int(1);
      stats.delayed = q.Int(2);
      stats.dead = q.Int(3);
    }
    return stats;
  }

  Result<std::vector<Message>> DeadLetters(int max_messages) override {
    if (max_messages < 1 || max_messages > 1000) return Invalid("max_messages must be 1-1000");
    std::lock_guard lock(db_mu_);
    KINORA_TRY(auto q, db_->Prepare("SELECT id, body, receive_count FROM messages WHERE dead = 1 "
                                    "ORDER BY dead_at, sent_at, rowid LIMIT ?1"));
    q.Bind(1, max_messages);
    std::vector<Message> out;
    for (;;) {
      KINORA_TRY(bool row, q.Step());
      if (!row) return out;
      out.push_back(Message{q.Text(0), {}, q.Text(1), static_cast<int>(q.Int(2))});
    }
  }

  Result<void> Ping() override {
    std::lock_guard lock(db_mu_);
    KINORA_TRY(auto q, db_->Prepare("SELECT 1 FROM messages LIMIT 1"));
    KINORA_TRY_VOID(q.Run());
    return {};
  }

  int max_receives() const override { return options_.max_receives; }
  std::string Describe() const override {
    return "sqlite:" + file_.string() + " (max_receives=" + std::to_string(options_.max_receives) +
           ")";
  }

  void Interrupt() override {
    {
      std::lock_guard lock(wait_mu_);
      interrupted_ = true;
    }
    cv_.notify_all();
  }

 private:
  static Error StaleReceipt() {
    return MakeError(ErrorCode::kNotFound,
                     "receipt handle is stale (message deleted, re-received or dead-lettered)");
  }

  void Wake() {
    {
      std::lock_guard lock(wait_mu_);
      ++wake_seq_;
    }
    cv_.notify_all();
  }

  // One receive attempt in one write transaction, so no other connection can lease the same
  // rows. REQUIRES: db_mu_ held.
  Result<std::vector<Message>> LeaseLocked(int max_messages, int64_t visibility_ms) {
    int64_t now = NowMs();
    // Idle long polls re-check often; a read first keeps them off the file's write lock.
    KINORA_TRY(auto any, db_->Prepare("SELECT 1 FROM messages WHERE dead = 0 AND visible_at <= ?1 "
                                      "LIMIT 1"));
    any.Bind(1, now);
    KINORA_TRY(bool visible, any.Step());
    if (!visible) return std::vector<Message>{};
    any.Reset();  // ends the read transaction before taking the write lock
    KINORA_TRY(auto tx, sqlite::Transaction::Begin(*db_));
    KINORA_TRY(auto pick, db_->Prepare("SELECT id, body, receive_count FROM messages "
                                       "WHERE dead = 0 AND visible_at <= ?1 "
                                       "ORDER BY visible_at, sent_at, rowid LIMIT ?2"));
    KINORA_TRY(auto lease, db_->Prepare("UPDATE messages SET receive_count = receive_count + 1, "
                                        "receipt = ?1, visible_at = ?2 WHERE id = ?3"));
    KINORA_TRY(auto bury, db_->Prepare("UPDATE messages SET dead = 1, dead_at = ?1, receipt = NULL "
                                       "WHERE id = ?2"));
    std::vector<Message> out;
    for (;;) {
      const int want = max_messages - static_cast<int>(out.size());
      std::vector<Message> rows;
      pick.Reset();
      pick.Bind(1, now).Bind(2, want);
      for (;;) {
        KINORA_TRY(bool row, pick.Step());
        if (!row) break;
        rows.push_back(Message{pick.Text(0), {}, pick.Text(1), static_cast<int>(pick.Int(2))});
      }
      for (Message& m : rows) {
        if (m.receive_count >= options_.max_receives) {
          bury.Reset();
          bury.Bind(1, now).Bind(2, m.id);
          KINORA_TRY_VOID(bury.Run());
          continue;
        }
        m.receipt_handle = NewUuid();
        m.receive_count += 1;
        lease.Reset();
        lease.Bind(1, m.receipt_handle).Bind(2, now + visibility_ms).Bind(3, m.id);
        KINORA_TRY_VOID(lease.Run());
        out.push_back(std::move(m));
      }
      // Buried rows freed places in the batch: look again unless nothing more is visible.
      if (static_cast<int>(out.size()) == max_messages || static_cast<int>(rows.size()) < want)
        break;
    }
    KINORA_TRY_VOID(tx.Commit());
    return out;
  }

  const std::filesystem::path file_;
  const SqliteQueueOptions options_;

  std::mutex db_mu_;
  std::unique_ptr<sqlite::Db> db_;  // guarded by db_mu_

  std::mutex wait_mu_;  // never held together with db_mu_
  std::condition_variable cv_;
  uint64_t wake_seq_ = 0;     // guarded by wait_mu_; bumped when messages may have become visible
  bool interrupted_ = false;  // guarded by wait_mu_
};

}  // namespace

Result<std::unique_ptr<JobQueue>> NewSqliteQueue(const std::filesystem::path& file,
                                                 SqliteQueueOptions options) {
  if (options.max_receives < 1 || options.max_receives > 1000) {
    return Invalid("max_receives must be 1-1000");
  }
  if (file.empty()) return Invalid("queue database path is empty");
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  // A failure to create the directory shows up, with a clearer message, when opening.
  KINORA_TRY(auto db, sqlite::Db::Open(file));
  auto migrated = sqlite::Migrate(*db, kMigrations);
  if (!migrated) return Annotate(migrated.error(), "migrate queue " + file.string());
  return std::unique_ptr<JobQueue>(std::make_unique<SqliteQueue>(file, std::move(db), options));
}

}  // namespace kinora::queue
