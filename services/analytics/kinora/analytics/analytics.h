// The analytics role: the video list, one video's details with signed media URLs, library
// statistics, and the view/like counters. Every read comes from the catalog.
// Thread safety: handlers may run concurrently; the stats cache is internally locked.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/analytics/listing_cache.h"
#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/metrics/registry.h"
#include "kinora/videos/presenter.h"

namespace kinora::analytics {

struct AnalyticsOptions {
  std::chrono::milliseconds stats_max_age{1000};  // how stale /stats may be
  // Listing pages kept for identical requests (ListingCache): their bytes at most, and how long
  // one may answer while the catalog is unchanged (0: none is kept).
  size_t listing_cache_bytes = size_t{64} << 20;
  std::chrono::milliseconds listing_cache_max_age{60000};
  // Whether a POST /view/{id} counts: the audience ingest's gate, at most one view per viewer
  // per video per hour (kinora/audience/beacon_api.h). Unset: every call counts.
  std::function<Result<bool>(const http::Request&, std::string_view video_id)> count_view;
};

class Analytics {
 public:
  Analytics(catalog::Catalog& catalog, const videos::Presenter& presenter,
            metrics::Registry& metrics, AnalyticsOptions options);

  // GET {prefix}/videos, GET {prefix}/video/{id}, GET {prefix}/stats,
  // POST {prefix}/view/{id}, POST and DELETE {prefix}/like/{id}. Every answer shows only what
  // the request's principal may see (a video they may not watch is a 404).
  void Register(http::Router& router, const std::string& prefix);

  http::Response List(http::Request& req);
  http::Response Get(http::Request& req);
  http::Response Stats(http::Request& req);
  http::Response View(http::Request& req);
  http::Response Like(http::Request& req);

 private:
  catalog::Catalog& catalog_;
  const videos::Presenter& presenter_;
  AnalyticsOptions options_;
  metrics::Counter& views_;
  metrics::Counter& likes_;
  metrics::Counter& kept_pages_;  // listing pages answered from listing_cache_
  ListingCache listing_cache_;

  // A listing page's answer without its body, or a 304 when the client holds its entity tag.
  static http::Response PageHead(const http::Request& req, const std::string& tag);
  // For the gateway (http::kEdgeKeeps): until when a listing page's text holds.
  static void SayHowLongItHolds(const http::Request& req, http::Response& r, int64_t same_until);

  std::string StatsText(const catalog::CatalogStats& stats, const std::string& scope_name) const;
  // Closes `body` (the aggregates' object) with the seed's count, sort_by and items.
  void AppendStatsItems(std::string& body, const std::vector<catalog::VideoRecord>& videos,
                        std::string_view sort_by) const;
  boost::json::object StatsItem(const catalog::VideoRecord& v) const;

  struct CachedStats {
    std::optional<std::string> body;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex stats_mu_;  // one computation at a time; others wait and reuse it
  CachedStats all_stats_, public_stats_;
};

// The seed's page sizes: `limit` 1–1000, 100 when absent (GET /videos and GET /stats).
inline constexpr int kDefaultLimit = 100;
inline constexpr int kMaxLimit = 1000;

// Parses the list query parameters; kInvalidArgument naming the bad parameter.
Result<catalog::ListQuery> ParseListQuery(const http::Request& req);
// The seed's /stats parameters (limit, sort_by: any list sort key, timestamp by default), newest
// or largest first; kInvalidArgument naming the bad parameter.
Result<catalog::ListQuery> ParseStatsItemsQuery(const http::Request& req);

}  // namespace kinora::analytics
