// The gateway role's own endpoints: liveness, readiness, metrics, signed media delivery from
// the object store, and the static web app with SPA fallback. In `serve` the uploader and
// analytics routes are registered on the same router (in-process); in split mode the gateway
// proxies them (api_proxy.h).
// Thread safety: handlers may run concurrently; the Gateway is immutable after construction.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/http/signed_url.h"
#include "kinora/metrics/registry.h"
#include "kinora/storage/object_store.h"

namespace kinora::gateway {

// A named dependency check for GET /ready.
using ReadyCheck = std::pair<std::string, std::function<Result<void>()>>;

struct GatewayOptions {
  std::string role = "serve";
  std::filesystem::path web_dir;  // empty: no web app
};

class Gateway {
 public:
  // `catalog` (may be null when the role serves no media) gives each video's media generation:
  // a /media/ URL verifies only against the current one, so it is revocable.
  Gateway(storage::ObjectStore& store, catalog::Catalog* catalog, const http::UrlSigner& signer,
          metrics::Registry& metrics, std::vector<ReadyCheck> checks, GatewayOptions options);

  // /health, /ready and /metrics: what every role serves.
  void RegisterOps(http::Router& router);
  // /media/* and the web app (the static fallback; without a web dir, / says how to build it).
  void RegisterWeb(http::Router& router);

  http::Response Health(http::Request& req);
  http::Response Ready(http::Request& req);
  http::Response Metrics(http::Request& req);
  http::Response Media(http::Request& req);
  http::Response Playlist(http::Request& req, const std::string& key, int64_t generation);
  http::Response Storyboard(http::Request& req, const std::string& key, int64_t generation);
  http::Response Static(http::Request& req);

 private:
  storage::ObjectStore& store_;
  catalog::Catalog* catalog_;
  const http::UrlSigner& signer_;
  metrics::Registry& metrics_;
  std::vector<ReadyCheck> checks_;
  GatewayOptions options_;
};

}  // namespace kinora::gateway
