// ReverseProxy: forwards a request to an upstream HTTP service and relays its answer, with both
// bodies streamed through a 64 KiB buffer (a 500 MB upload passes in constant memory).
// Keep-alive connections to the upstream are pooled; one goes back to the pool only when its
// exchange ended cleanly. Failures become problem documents that name the service: 503 when it
// cannot be reached, 504 when it does not answer in time, 502 when it answers nonsense or drops
// the connection. The upstream's own answers, problems included, pass through unchanged.
// Requests without a body are retried once on a fresh connection when a pooled one turns out to
// be dead; GET and HEAD also when the connect fails.
// Thread safety: a ReverseProxy may be used by many connections (strands) at once.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "kinora/http/message.h"

namespace kinora::http {

struct Upstream {
  std::string name;  // for problem documents and logs: "uploader"
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;

  // "host:port" as a Host header spells it: "[::1]:8081" for an IPv6 address.
  std::string authority() const;
};

// "http://host:port" (the host may be an IPv6 literal: "http://[::1]:8081") → Upstream;
// kInvalidArgument for anything else (https is not proxied: services talk inside the cluster
// network).
Result<Upstream> ParseUpstream(std::string_view name, std::string_view url);

struct ProxyOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(3)};
  // Idle timeout: waiting for the upstream's response head once the request is sent, and for
  // each read or write of a body chunk (uploads: no total limit, only progress).
  std::chrono::milliseconds response_timeout{std::chrono::seconds(60)};
  // When set, the whole exchange (connect, request, response) must end within it (ordinary
  // API calls: 15 s).
  std::optional<std::chrono::milliseconds> total_timeout{};
  size_t max_idle = 64;  // pooled keep-alive connections
};

class ReverseProxy {
 public:
  ReverseProxy(Upstream upstream, ProxyOptions options = {});
  ~ReverseProxy();
  ReverseProxy(const ReverseProxy&) = delete;
  ReverseProxy& operator=(const ReverseProxy&) = delete;

  // Forwards req (its target, headers and the body read from `body`, or req.body when `body` is
  // null) and returns the upstream's response with a streamed body.
  boost::asio::awaitable<Response> Forward(Request& req, BodyReader* body);

  const Upstream& upstream() const { return upstream_; }

  struct Pool;

 private:
  Upstream upstream_;
  ProxyOptions options_;
  std::shared_ptr<Pool> pool_;
};

}  // namespace kinora::http
