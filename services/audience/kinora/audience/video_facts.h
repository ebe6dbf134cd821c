// What the beacon endpoint needs to know of a video (its owner, who may watch it, its length),
// read from the catalog at most once per video per `ttl`. A beacon arrives every few seconds
// from every viewer of a video; reading the row each time would make each beacon a catalog read
// transaction, which on SQLite restarts the reader's page cache and memory map whenever ingest
// has written since (it always has). A change of visibility or owner reaches beacons within
// `ttl`; unknown videos are not cached, so a new upload is known at once.
// Thread safety: Get may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kinora/catalog/catalog.h"
#include "kinora/core/error.h"

namespace kinora::audience {

struct VideoFacts {
  std::string video_id;
  std::string owner_id;
  std::string visibility;
  int64_t duration_ms = 0;  // 0 when not yet known
};

class VideoFactsCache {
 public:
  VideoFactsCache(catalog::Catalog& catalog, std::chrono::milliseconds ttl, size_t capacity);

  // The catalog's kNotFound (and any other error) passes through.
  Result<VideoFacts> Get(const std::string& video_id, int64_t now_ms);

 private:
  struct Entry {
    VideoFacts facts;
    int64_t fetched_ms = 0;
  };
  catalog::Catalog& catalog_;
  const int64_t ttl_ms_;
  const size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace kinora::audience
