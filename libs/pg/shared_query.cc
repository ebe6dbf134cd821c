#include "kinora/pg/shared_query.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "kinora/pg/pg.h"

namespace kinora::pg {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr const char* kStatement = "kinora_shared_query";
constexpr auto kReconnectPause = std::chrono::seconds(1);

// A caller waiting for an answer: resumed on its own executor.
struct Waiter {
  virtual ~Waiter() = default;
  virtual void Answer(std::string value) = 0;
};

template <typename Handler>
struct WaiterFor final : Waiter {
  explicit WaiterFor(Handler h) : handler(std::move(h)) {}
  void Answer(std::string value) override {
    auto ex = asio::get_associated_executor(handler);
    asio::post(ex, [h = std::move(handler), v = std::move(value)]() mutable { h(std::move(v)); });
  }
  Handler handler;
};
}  // namespace

// Everything below runs on the one thread of `io`, so it needs no lock.
// Callbacks hold a plain pointer: the io_context is stopped and its thread joined before the
// Impl goes, and pending operations are then destroyed without running.
struct SharedQuery::Impl {
  using Handler = std::unique_ptr<Waiter>;

  Impl(std::string info, std::string path, std::string text)
      : conninfo(std::move(info)), search_path(std::move(path)), sql(std::move(text)) {}

  const std::string conninfo;
  const std::string search_path;
  const std::string sql;
  asio::io_context io{1};
  std::unique_ptr<PgConn> conn;
  std::optional<asio::posix::stream_descriptor> socket;  // a dup of the connection's socket
  Clock::time_point reconnect_at{};
  std::vector<Handler> running;  // asked before the run under way was sent: its answer is theirs
  std::vector<Handler> waiting;  // asked since: the next run's
  bool busy = false;
  std::atomic<uint64_t> sent{0};

  void Ask(Handler h) {
    waiting.push_back(std::move(h));
    if (!busy) Send();
  }

  void Send() {
    running.swap(waiting);
    waiting.clear();
    if (!Connected()) return Answer({});
    if (PQsendQueryPrepared(conn->raw(), kStatement, 0, nullptr, nullptr, nullptr, 0) != 1) {
      return Fail();
    }
    busy = true;
    sent.fetch_add(1, std::memory_order_relaxed);
    Flush();
  }

  void Flush() {
    const int left = PQflush(conn->raw());
    if (left < 0) return Fail();
    if (left == 1) {
      socket->async_wait(asio::posix::stream_descriptor::wait_write,
                         [this](boost::system::error_code ec) {
                           if (ec) return Fail();
                           Flush();
                         });
      return;
    }
    Read();
  }

  void Read() {
    PGconn* c = conn->raw();
    if (PQconsumeInput(c) != 1) return Fail();
    if (PQisBusy(c) == 1) {
      socket->async_wait(asio::posix::stream_descriptor::wait_read,
                         [this](boost::system::error_code ec) {
                           if (ec) return Fail();
                           Read();
                         });
      return;
    }
    std::optional<std::string> value;
    while (PGresult* r = PQgetResult(c)) {
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) >= 1 &&
          PQgetisnull(r, 0, 0) == 0) {
        value.emplace(PQgetvalue(r, 0, 0), static_cast<size_t>(PQgetlength(r, 0, 0)));
      }
      PQclear(r);
    }
    if (!value) return Fail();
    Answer(std::move(*value));
  }

  // The connection is dropped; callers get the empty answer and a later Run opens it again.
  void Fail() {
    Close();
    reconnect_at = Clock::now() + kReconnectPause;
    Answer({});
  }

  void Answer(const std::string& value) {
    busy = false;
    std::vector<Handler> done;
    done.swap(running);
    for (Handler& h : done) h->Answer(value);
    if (!waiting.empty()) Send();
  }

  bool Connected() {
    if (conn && conn->healthy()) return true;
    Close();
    if (Clock::now() < reconnect_at) return false;
    auto c = PgConn::Connect(conninfo, search_path);
    bool ok = c.has_value();
    if (ok) {
      PGresult* r = PQprepare((*c)->raw(), kStatement, sql.c_str(), 0, nullptr);
      ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
      PQclear(r);
    }
    const int fd = ok ? ::dup(PQsocket((*c)->raw())) : -1;
    if (!ok || fd < 0 || PQsetnonblocking((*c)->raw(), 1) != 0) {
      if (fd >= 0) ::close(fd);
      reconnect_at = Clock::now() + kReconnectPause;
      return false;
    }
    conn = std::move(*c);
    socket.emplace(io, fd);
    return true;
  }

  void Close() {
    socket.reset();  // closes the dup; libpq closes its own descriptor
    conn.reset();
  }
};

SharedQuery::SharedQuery(std::string conninfo, std::string search_path, std::string sql)
    : impl_(std::make_unique<Impl>(std::move(conninfo), std::move(search_path), std::move(sql))) {
  thread_ = std::thread([impl = impl_.get()] {
    auto work = asio::make_work_guard(impl->io);
    impl->io.run();
  });
}

SharedQuery::~SharedQuery() {
  impl_->io.stop();
  thread_.join();
}

asio::awaitable<std::string> SharedQuery::Run() {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::string)>(
      [impl = impl_.get()](auto handler) {
        Impl::Handler waiter = std::make_unique<WaiterFor<decltype(handler)>>(std::move(handler));
        asio::post(impl->io, [impl, w = std::move(waiter)]() mutable { impl->Ask(std::move(w)); });
      },
      asio::use_awaitable);
}

uint64_t SharedQuery::runs() const { return impl_->sent.load(std::memory_order_relaxed); }

}  // namespace kinora::pg
