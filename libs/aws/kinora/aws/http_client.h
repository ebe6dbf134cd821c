// A small outbound HTTP/1.1 client on libcurl for the AWS wire clients (S3, SQS): whole-body
// requests and responses, keep-alive connections reused from a pool of curl handles, TLS with
// the system's CA store, and transport failures mapped to kUnavailable in one place.
// Thread safety: an HttpClient may be used from many threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "kinora/aws/sigv4.h"
#include "kinora/core/error.h"

namespace kinora::aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url{};  // already encoded
  Pairs headers{};
  std::string_view body{};                                      // must outlive Send()
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // whole exchange
  // When set and it becomes true, the exchange stops within about a second with kCancelled
  // (used to cut a 20 s long poll short at shutdown).
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
  long status = 0;
  Pairs headers{};  // names as received
  std::string body{};
  // First header with this name (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  size_t max_idle_handles = 16;  // connections kept for reuse
  bool verify_tls = true;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions opts = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any HTTP status is a successful exchange (the caller maps statuses). Connection refused,
  // DNS, TLS and timeouts are kUnavailable with curl's reason; a cancelled one is kCancelled.
  Result<HttpResponse> Send(const HttpRequest& req);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
  HttpClientOptions opts_;
};

}  // namespace kinora::aws
