#include "kinora/audience/video_facts.h"

namespace kinora::audience {

VideoFactsCache::VideoFactsCache(catalog::Catalog& catalog, std::chrono::milliseconds ttl,
                                 size_t capacity)
    : catalog_(catalog), ttl_ms_(ttl.count()), capacity_(capacity) {}

Result<VideoFacts> VideoFactsCache::Get(const std::string& video_id, int64_t now_ms) {
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(video_id); it != entries_.end() &&
                                           now_ms >= it->second.fetched_ms &&
                                           now_ms - it->second.fetched_ms < ttl_ms_) {
      return it->second.facts;
    }
  }
  KINORA_TRY(catalog::VideoRecord v, catalog_.Get(video_id));
  VideoFacts f{v.video_id, v.owner_id, v.visibility,
               v.duration_seconds ? static_cast<int64_t>(*v.duration_seconds * 1000.0 + 0.5) : 0};
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_[video_id] = Entry{f, now_ms};
  return f;
}

}  // namespace kinora::audience
