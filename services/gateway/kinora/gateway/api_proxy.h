// The gateway's API routes in split mode: /api/uploader/* and /api/upload go to the uploader
// service, /api/analytics/* to the analytics service, through streaming reverse proxies (the
// paths, headers and bodies pass unchanged; see kinora/http/proxy.h). Anonymous listing pages
// are answered as kept while the catalog is unchanged (kinora/gateway/kept_listings.h).
// Thread safety: build before the server starts; the proxies are then shared by every request.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/gateway/kept_listings.h"
#include "kinora/http/proxy.h"
#include "kinora/http/router.h"
#include "kinora/metrics/registry.h"

namespace kinora::gateway {

struct ApiProxyOptions {
  uint64_t max_upload_bytes = 524288000;  // plus room for the multipart envelope
  http::ProxyOptions proxy;
  size_t kept_listing_bytes = size_t{64} << 20;
  std::chrono::milliseconds kept_listing_max_age{60000};  // 0: every listing is forwarded
};

// Reads the catalog's ListVersion without blocking the calling I/O thread
// (catalog::NewPostgresListVersions).
using ListVersionReader = std::function<boost::asio::awaitable<std::string>()>;

class ApiProxy {
 public:
  // `catalog` (the one the analytics service reads; may be null: nothing is kept) tells when a
  // kept page is out of date: through `versions` when given, else its own ListVersion.
  ApiProxy(http::Upstream uploader, http::Upstream analytics, ApiProxyOptions options,
           catalog::Catalog* catalog, metrics::Registry& metrics, ListVersionReader versions = {});
  void Register(http::Router& router);

 private:
  // GET /api/analytics/*: an anonymous listing page as kept, else forwarded (and kept).
  boost::asio::awaitable<http::Response> ToAnalytics(http::Request& req, http::BodyReader& body);

  ApiProxyOptions options_;
  std::unique_ptr<http::ReverseProxy> uploader_;
  std::unique_ptr<http::ReverseProxy> analytics_;
  catalog::Catalog* catalog_;
  ListVersionReader versions_;
  metrics::Counter& kept_answers_;
  KeptListings kept_;
};

}  // namespace kinora::gateway
