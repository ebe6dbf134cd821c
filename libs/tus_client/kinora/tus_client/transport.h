// The HTTP exchange the tus client needs, behind an interface so the client's retry and resume
// logic is unit-tested with a scripted fake. NewCurlTransport is the real one (libcurl,
// keep-alive connection reused across requests, stalls detected by a low-speed limit).
// Thread safety: a Transport is used by one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::tus {

using Headers = std::vector<std::pair<std::string, std::string>>;

// A body read on demand (a chunk of a file, never held whole): fills `out` with the body's bytes
// from `at`; false when they cannot be read (the exchange is then aborted).
using BodyReader = std::function<bool(uint64_t at, std::span<char> out)>;

struct Request {
  std::string method;
  std::string url;
  Headers headers{};
  std::string_view body{};  // sent with a Content-Length when non-empty; must outlive Send()
  // Instead of `body`: body_size bytes from read_body, sent with a Content-Length.
  uint64_t body_size = 0;
  BodyReader read_body{};
  // Abort when no byte moved either way for this long (the final PATCH waits for the ingest).
  std::chrono::seconds stall_timeout{60};
  // Called with the number of body bytes handed to the connection so far.
  std::function<void(uint64_t)> on_body_sent{};
};

struct Response {
  long status = 0;
  Headers headers{};
  std::string body{};
  // First header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Any HTTP status is a successful exchange. Connection failures, resets and stalls are
  // kUnavailable with the reason; an exchange stopped by the cancel flag is kCancelled.
  virtual Result<Response> Send(const Request& request) = 0;
};

struct CurlOptions {
  std::chrono::seconds connect_timeout{10};
  bool verify_tls = true;
  // When set and it becomes true, a running exchange stops within about a second (Ctrl-C).
  const std::atomic<bool>* cancel = nullptr;
};

std::unique_ptr<Transport> NewCurlTransport(CurlOptions options = {});

}  // namespace kinora::tus
