// The HTTP server: an accept loop and one coroutine per connection, each on its own strand,
// run by a pool of I/O threads. Handlers come from a Router. The server owns the transport
// concerns every role shares: header/body limits, idle and request timeouts, correlation ids,
// access logs, request metrics, 100-continue, and graceful shutdown.
// Thread safety: Listen() then Run() from one thread; Stop() from any thread, any time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kinora/core/error.h"
#include "kinora/http/host_policy.h"
#include "kinora/http/router.h"

namespace kinora::metrics {
class Registry;
}

namespace kinora::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                      // 0 picks a free port
  int threads = 4;                           // I/O threads
  uint32_t header_limit = 16 * 1024;         // bytes of request line + headers
  std::chrono::seconds idle_timeout{30};     // keep-alive wait and each body read/write
  std::chrono::seconds request_timeout{15};  // reading an ordinary request's body
  std::chrono::seconds shutdown_grace{10};   // in-flight requests get this long to end
  size_t max_connections = 4096;
  HostPolicy hosts;  // Host headers answered (others: 421); every one by default
  // Uploads (routes marked `upload`) streaming at once, per client (request.client, else the
  // peer) and in total; over either, 429 / 503 with Retry-After before the body is read.
  // 0 = no limit.
  int max_uploads_per_client = 0;
  int max_uploads = 0;
  metrics::Registry* metrics = nullptr;  // optional: request counters and latency
  // Runs for every matched route before its body is read: authenticates, authorizes, limits
  // (request.principal and request.client are its to set). An answer refuses the request.
  // Runs on the I/O thread: it must not block for long.
  std::function<std::optional<Response>(Request&, const Route&)> guard;
  // Runs on every answer just before it is written (security headers, CORS).
  std::function<void(const Request&, Response&)> finish;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the bound port. kUnavailable if the address is in use.
  Result<uint16_t> Listen();
  // Serves until Stop() and every connection has ended (or the grace period ran out).
  void Run();
  // Stops accepting, closes idle connections, lets in-flight requests finish. Idempotent.
  void Stop();

  struct State;  // shared with sessions (defined in server_state.h)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace kinora::http
