// The gateway's API routes in split mode: /api/uploader/* and /api/upload go to the uploader
// service, /api/analytics/* to the analytics service, through streaming reverse proxies (the
// paths, headers and bodies pass unchanged; see kinora/http/proxy.h).
// Thread safety: build before the server starts; the proxies are then shared by every request.
#pragma once

#include <memory>

#include "kinora/http/proxy.h"
#include "kinora/http/router.h"

namespace kinora::gateway {

struct ApiProxyOptions {
  uint64_t max_upload_bytes = 524288000;  // plus room for the multipart envelope
  http::ProxyOptions proxy;
};

class ApiProxy {
 public:
  ApiProxy(http::Upstream uploader, http::Upstream analytics, ApiProxyOptions options);
  void Register(http::Router& router);

 private:
  ApiProxyOptions options_;
  std::unique_ptr<http::ReverseProxy> uploader_;
  std::unique_ptr<http::ReverseProxy> analytics_;
};

}  // namespace kinora::gateway
