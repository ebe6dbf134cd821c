// Private to libs/http: the reverse proxy's keep-alive connections to one upstream. Idle
// connections wait in the pool as native handles (with their protocol, v4 or v6), so whichever
// client connection's strand forwards the next request can adopt one; a PooledConnection hands
// its connection back when destroyed, but only if the exchange on it ended cleanly.
// Thread safety: the pool may be used from any thread; a PooledConnection belongs to one strand.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "kinora/http/proxy.h"

namespace kinora::http {

struct ReverseProxy::Pool {
  explicit Pool(size_t max_idle) : max_idle_(max_idle) {}
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // An idle connection the upstream has not closed, bound to `ex`; nullopt when there is none.
  std::optional<boost::asio::ip::tcp::socket> Take(const boost::asio::any_io_executor& ex);
  // Keeps s for a later Take() (s is left closed), or closes it when max_idle are waiting.
  void Give(boost::asio::ip::tcp::socket& s);

 private:
  struct Idle {
    int fd;
    boost::asio::ip::tcp protocol;
  };
  const size_t max_idle_;
  std::mutex mu_;
  std::vector<Idle> idle_;  // guarded by mu_
};

// A connection to the upstream, pooled or fresh. When destroyed it goes back to the pool if
// set_reusable(true) was called, and is closed otherwise: a half-written request or a
// half-read answer can never reach the next request.
class PooledConnection {
 public:
  PooledConnection(std::shared_ptr<ReverseProxy::Pool> pool, boost::asio::ip::tcp::socket socket,
                   bool reused)
      : pool_(std::move(pool)), stream_(std::move(socket)), reused_(reused) {}
  ~PooledConnection() {
    if (reusable_) pool_->Give(stream_.socket());
  }
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;

  boost::beast::tcp_stream& stream() { return stream_; }
  // Whether it came from the pool (and so may have been closed by the upstream meanwhile).
  bool reused() const { return reused_; }
  void set_reusable(bool reusable) { reusable_ = reusable; }

 private:
  std::shared_ptr<ReverseProxy::Pool> pool_;
  boost::beast::tcp_stream stream_;
  bool reused_;
  bool reusable_ = false;
};

}  // namespace kinora::http
