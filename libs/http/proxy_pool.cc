#include "proxy_pool.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace kinora::http {
namespace {

using tcp = boost::asio::ip::tcp;

// Whether an idle pooled connection is still open: a non-blocking peek sees EOF or an error on
// a connection the upstream closed.
bool StillOpen(int fd) {
  char c;
  const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

ReverseProxy::Pool::~Pool() {
  for (const Idle& c : idle_) ::close(c.fd);
}

std::optional<tcp::socket> ReverseProxy::Pool::Take(const boost::asio::any_io_executor& ex) {
  for (;;) {
    Idle c{-1, tcp::v4()};
    {
      std::lock_guard lock(mu_);
      if (idle_.empty()) return std::nullopt;
      c = idle_.back();
      idle_.pop_back();
    }
    if (!StillOpen(c.fd)) {
      ::close(c.fd);
      continue;
    }
    tcp::socket s(ex);
    boost::system::error_code ec;
    s.assign(c.protocol, c.fd, ec);
    if (ec) {
      ::close(c.fd);
      continue;
    }
    return s;
  }
}

void ReverseProxy::Pool::Give(tcp::socket& s) {
  boost::system::error_code ec;
  const tcp protocol = s.local_endpoint(ec).protocol();
  if (ec) return;  // the socket closes with its owner
  const int fd = s.release(ec);
  if (ec) return;
  std::lock_guard lock(mu_);
  if (idle_.size() >= max_idle_) {
    ::close(fd);
    return;
  }
  idle_.push_back(Idle{fd, protocol});
}

}  // namespace kinora::http
