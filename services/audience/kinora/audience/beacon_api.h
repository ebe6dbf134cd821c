// POST /api/analytics/beacon (docs/analytics.md "The beacon"): takes a batch of playback events
// from the player (JSON or text/plain, for navigator.sendBeacon), checks the caller may watch
// the video, rate-limits per viewer (address and User-Agent), derives the viewer's key and
// dimensions under the privacy rules, and hands the batch to the AudienceStore; a view that
// becomes counted adds one to the catalog's `views`. Also the gate that keeps the legacy
// POST /view/{id} counter to one view per viewer per video per hour.
// Thread safety: handlers may run concurrently; the store, catalog, limiter and resolver are
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kinora/audience/store.h"
#include "kinora/audience/video_facts.h"
#include "kinora/audience/viewer.h"
#include "kinora/catalog/catalog.h"
#include "kinora/http/rate_limiter.h"
#include "kinora/http/router.h"
#include "kinora/metrics/registry.h"

namespace kinora::audience {

struct BeaconApiOptions {
  bool rate_limit = true;
  // Per viewer: a well-behaved player sends at most one batch per 2 s (KINORA_RATE_BEACON).
  http::RateLimitOptions rate{.per_minute = 120, .burst = 30};
  DimensionResolver dimensions = DefaultDimensionResolver();
  std::function<int64_t()> now_ms;  // server clock (unix ms); default: the system clock
  // How long a video's owner, visibility and length are reused before the catalog is read again.
  std::chrono::milliseconds video_facts_ttl{1000};
};

class BeaconApi {
 public:
  BeaconApi(AudienceStore& store, catalog::Catalog& catalog, metrics::Registry& metrics,
            BeaconApiOptions options);

  // POST {prefix}/beacon.
  void Register(http::Router& router, const std::string& prefix);
  http::Response Beacon(http::Request& req);

  // For the legacy view counter: true when this request's viewer has not yet had a view of
  // `video_id` counted this hour (and records that it now has).
  Result<bool> ClaimLegacyView(const http::Request& req, std::string_view video_id);

 private:
  struct Keys {
    std::string viewer_key;  // empty when the viewer opted out
    std::string dedupe_key;
    int64_t hour = 0;
  };
  Result<Keys> KeysFor(const http::Request& req, std::string_view video_id, int64_t now_ms,
                       bool opted_out);
  Dimensions DimensionsOf(std::string_view user_agent, std::string_view client);
  int64_t Now() const;

  AudienceStore& store_;
  catalog::Catalog& catalog_;
  BeaconApiOptions options_;
  VideoFactsCache videos_;
  std::unique_ptr<http::RateLimiter> limiter_;
  metrics::Family<metrics::Counter>& batches_;
  metrics::Counter& events_;
  metrics::Counter& counted_;
  std::mutex dims_mu_;
  std::unordered_map<std::string, Dimensions> dims_cache_;  // guarded by dims_mu_
};

}  // namespace kinora::audience
