#include "kinora/http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>
#include <vector>

#include "accept_backoff.h"
#include "kinora/core/log.h"
#include "server_state.h"

namespace kinora::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Accepts until Stop(). A failed accept (out of file descriptors, most often) backs off
// instead of spinning on the still-readable listener; open connections are served meanwhile.
asio::awaitable<void> AcceptLoop(std::shared_ptr<Server::State> st) {
  AcceptBackoff backoff;
  asio::steady_timer pause(st->acceptor.get_executor());
  for (;;) {
    auto [ec, socket] = co_await st->acceptor.async_accept(asio::make_strand(st->ioc),
                                                           asio::as_tuple(asio::use_awaitable));
    if (st->stopping) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      AcceptBackoff::Step step = backoff.Failed(AcceptBackoff::Clock::now());
      if (step.log) {
        log::Warn("accept failed; backing off",
                  {{"error", ec.message()},
                   {"retry_in_ms", std::to_string(step.wait.count())},
                   {"not_logged_since_last", std::to_string(step.suppressed)}});
      }
      pause.expires_after(step.wait);
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      if (st->stopping) co_return;
      continue;
    }
    backoff.Succeeded();
    size_t active;
    {
      std::lock_guard lock(st->mu);
      active = st->sessions.size();
    }
    if (active >= st->options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // shed load rather than queue without bound
      continue;
    }
    StartSession(st, std::move(socket));
  }
}

// When the timer expires (not when cancelled), connections still open are closed by force.
void ArmGraceTimer(const std::shared_ptr<Server::State>& st, asio::steady_timer::time_point at) {
  st->grace_timer.expires_at(at);
  st->grace_timer.async_wait([st](boost::system::error_code ec) {
    if (ec) return;
    std::vector<std::shared_ptr<Session>> left;
    {
      std::lock_guard lock(st->mu);
      left.assign(st->sessions.begin(), st->sessions.end());
    }
    for (auto& s : left) CloseSession(s, /*force=*/true);
  });
}

}  // namespace

void Server::State::Remove(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mu);
  sessions.erase(s);
  if (stopping && sessions.empty()) {
    asio::post(ioc, [this] { grace_timer.cancel(); });
  }
}

Server::Server(ServerOptions options, Router router)
    : state_(std::make_shared<State>(std::move(options), std::move(router))) {
  if (auto* reg = state_->options.metrics) {
    state_->requests = &reg->AddCounter("kinora_http_requests_total",
                                        "HTTP requests answered, by route, method and status.",
                                        {"route", "method", "status"});
    state_->latency = &reg->AddHistogram("kinora_http_request_duration_seconds",
                                         "Time from request headers to the end of the response.",
                                         {"route"}, metrics::LatencyBuckets());
    std::weak_ptr<State> weak = state_;
    reg->AddCallbackGauge("kinora_http_open_connections", "Open client connections.", [weak] {
      auto st = weak.lock();
      if (!st) return 0.0;
      std::lock_guard lock(st->mu);
      return static_cast<double>(st->sessions.size());
    });
  }
}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Listen() {
  auto& st = *state_;
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(st.options.host, ec);
  if (ec)
    return MakeError(ErrorCode::kInvalidArgument, "bad listen address '" + st.options.host + "'");
  tcp::endpoint ep(addr, st.options.port);
  st.acceptor.open(ep.protocol(), ec);
  if (!ec) st.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) st.acceptor.bind(ep, ec);
  if (!ec) st.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable, "cannot listen on " + st.options.host + ":" +
                                                  std::to_string(st.options.port) + ": " +
                                                  ec.message());
  }
  return st.acceptor.local_endpoint().port();
}

void Server::Run() {
  auto st = state_;
  // The grace timer keeps run() alive until Stop() has drained the sessions.
  ArmGraceTimer(st, asio::steady_timer::time_point::max());
  asio::co_spawn(st->acceptor.get_executor(), AcceptLoop(st), asio::detached);
  std::vector<std::thread> threads;
  int n = std::max(1, st->options.threads);
  for (int i = 1; i < n; ++i) threads.emplace_back([st] { st->ioc.run(); });
  st->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  auto st = state_;
  if (st->stopping.exchange(true)) return;
  asio::post(st->ioc, [st] {
    boost::system::error_code ignored;
    st->acceptor.close(ignored);
    std::vector<std::shared_ptr<Session>> all;
    {
      std::lock_guard lock(st->mu);
      all.assign(st->sessions.begin(), st->sessions.end());
    }
    for (auto& s : all) CloseSession(s, /*force=*/false);
    std::lock_guard lock(st->mu);
    if (st->sessions.empty()) {
      st->grace_timer.cancel();
    } else {
      ArmGraceTimer(st, asio::steady_timer::clock_type::now() + st->options.shutdown_grace);
    }
  });
}

}  // namespace kinora::http
