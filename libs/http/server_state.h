// Private to libs/http: state shared by the server, its listener and its sessions.
// Thread safety: `mu` guards `sessions`; the rest is set before Run() or atomic.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <mutex>
#include <set>

#include "kinora/http/server.h"
#include "kinora/metrics/registry.h"
#include "upload_slots.h"

namespace kinora::http {

class Session;

struct Server::State {
  ServerOptions options;
  Router router;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor{ioc};
  boost::asio::steady_timer grace_timer{ioc};
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::set<std::shared_ptr<Session>> sessions;

  metrics::Family<metrics::Counter>* requests = nullptr;
  metrics::Family<metrics::Histogram>* latency = nullptr;

  UploadSlots uploads;

  explicit State(ServerOptions o, Router r)
      : options(std::move(o)),
        router(std::move(r)),
        uploads(options.max_uploads_per_client, options.max_uploads) {}
  void Remove(const std::shared_ptr<Session>& s);
};

// Starts serving one accepted connection.
void StartSession(const std::shared_ptr<Server::State>& state, boost::asio::ip::tcp::socket socket);
// Closes the session's socket if it is between requests (or always, if `force`).
void CloseSession(const std::shared_ptr<Session>& s, bool force);

}  // namespace kinora::http
