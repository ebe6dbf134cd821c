// The analytics role: the video list, one video's details with signed media URLs, library
// statistics, and the view/like counters. Every read comes from the catalog.
// Thread safety: handlers may run concurrently; the stats cache is internally locked.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/http/signed_url.h"
#include "kinora/metrics/registry.h"
#include "kinora/storage/object_store.h"

namespace kinora::analytics {

struct AnalyticsOptions {
  std::chrono::seconds url_ttl{3600};  // lifetime of signed media URLs
  // When set and it hands out direct URLs (S3), the MP4, original, thumbnail and poster URLs
  // point straight at the store; the HLS URL stays on the gateway, which rewrites playlists.
  const storage::ObjectStore* direct_store = nullptr;
  std::chrono::milliseconds stats_max_age{1000};  // how stale /stats may be
};

class Analytics {
 public:
  Analytics(catalog::Catalog& catalog, const http::UrlSigner& signer, metrics::Registry& metrics,
            AnalyticsOptions options);

  // GET {prefix}/videos, GET {prefix}/video/{id}, GET {prefix}/stats,
  // POST {prefix}/view/{id}, POST {prefix}/like/{id}.
  void Register(http::Router& router, const std::string& prefix);

  http::Response List(http::Request& req);
  http::Response Get(http::Request& req);
  http::Response Stats(http::Request& req);
  http::Response View(http::Request& req);
  http::Response Like(http::Request& req);

  // The public JSON of a video: the catalog fields plus signed URLs.
  boost::json::object VideoJson(const catalog::VideoRecord& v) const;
  catalog::VideoUrls SignedUrls(const catalog::VideoRecord& v) const;

 private:
  catalog::Catalog& catalog_;
  const http::UrlSigner& signer_;
  AnalyticsOptions options_;
  metrics::Counter& views_;
  metrics::Counter& likes_;

  std::mutex stats_mu_;  // one computation at a time; others wait and reuse it
  std::optional<std::string> stats_body_;
  std::chrono::steady_clock::time_point stats_at_;
};

// Parses the list query parameters; kInvalidArgument naming the bad parameter.
Result<catalog::ListQuery> ParseListQuery(const http::Request& req);

}  // namespace kinora::analytics
