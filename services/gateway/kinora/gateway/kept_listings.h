// Anonymous listing pages the gateway answers itself (docs/decisions.md, "Kept pages"). An
// anonymous caller's GET /api/analytics/videos?... is the same text for every anonymous caller
// asking the same target until the catalog changes or a signing step turns. The gateway reads
// its own catalog's ListVersion before forwarding such a request; the page the analytics service
// answers was read after that, so while the gateway's version reads the same (no commit since,
// by anyone) and the service's word (http::kSameUntil) holds, the page is what the service would
// send again. Only requests without credentials (no Authorization, no session cookie): the
// gateway does not authenticate proxied requests, and a caller's own page is the service's.
// Thread safety: safe to share.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kinora/http/message.h"

namespace kinora::gateway {

class KeptListings {
 public:
  struct Page {
    std::string version;     // the gateway catalog's ListVersion before the page was asked for
    int64_t same_until = 0;  // unix seconds, exclusive: the service's http::kSameUntil
    std::chrono::steady_clock::time_point made{};  // when it was asked for
    http::bhttp::fields headers;                   // its end-to-end headers (ETag among them)
    std::string tag;                               // its ETag
    std::string body;
  };

  // At most `max_bytes` of kept bodies (a page larger than a quarter of it is not kept); a page
  // serves for at most `max_age`. max_age 0: nothing is kept.
  KeptListings(size_t max_bytes, std::chrono::milliseconds max_age);

  bool enabled() const { return max_age_.count() > 0; }
  // The page kept for `target` while it holds: `version` is the catalog's now, `now_unix` and
  // `now` the clocks'.
  std::shared_ptr<const Page> Find(const std::string& target, const std::string& version,
                                   int64_t now_unix, std::chrono::steady_clock::time_point now);
  // Keeps `page` for `target` (replacing the one before), when it may be kept.
  void Keep(const std::string& target, std::shared_ptr<const Page> page);
  size_t Pages() const;

 private:
  const size_t max_bytes_;
  const std::chrono::milliseconds max_age_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Page>> pages_;  // guarded by mu_
  size_t bytes_ = 0;                                                    // guarded by mu_
};

// The answer for a kept page: its headers, and its body unless `req` holds its tag (304).
http::Response AnswerFromKept(const http::Request& req, const KeptListings::Page& page);

}  // namespace kinora::gateway
