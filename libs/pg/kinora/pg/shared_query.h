// One parameterless statement, read by many callers at once without blocking their threads: the
// statement runs on a connection of its own, driven by a thread of its own (libpq's asynchronous
// calls on an Asio loop), and callers co_await Run() from any executor. Every caller gets the
// answer of a run the connection began after the caller asked, so the answer is as current as a
// query of its own would be; callers who ask while a run is under way share the next run, so one
// round trip serves everyone who asked meanwhile. For a value each request must read fresh and
// that many requests read together (the catalog's ListVersion at the gateway, for kept pages).
// Thread safety: Run may be called from any thread; destroy after the last Run has returned.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace kinora::pg {

class SharedQuery {
 public:
  // `conninfo` and `search_path` as PgConn::Connect; `sql` returns one row whose first column
  // is the answer. The connection is opened on the first Run.
  SharedQuery(std::string conninfo, std::string search_path, std::string sql);
  ~SharedQuery();
  SharedQuery(const SharedQuery&) = delete;
  SharedQuery& operator=(const SharedQuery&) = delete;

  // The first column of the statement's row, as text; empty when the server could not be
  // reached or the statement failed (then the connection is opened again on a later Run, at most
  // once a second, and the Runs in between answer empty at once).
  boost::asio::awaitable<std::string> Run();

  // How many times the statement was sent (fewer than Runs when callers shared one).
  uint64_t runs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;  // runs the connection's loop
};

}  // namespace kinora::pg
