#include "kinora/videos/rendered_cache.h"

namespace kinora::videos {

RenderedCache::RenderedCache(size_t capacity)
    : per_shard_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

RenderedCache::Shard& RenderedCache::ShardOf(std::string_view video_id) const {
  // The map hashes the id itself; the shard takes the hash's high bits so the two differ.
  const size_t h = Hash{}(video_id);
  return shards_[(h >> (sizeof(size_t) * 8 - 4)) % kShards];
}

std::shared_ptr<const std::string> RenderedCache::Find(std::string_view video_id, int64_t version,
                                                       int64_t expires) const {
  if (per_shard_ == 0) return nullptr;
  Shard& s = ShardOf(video_id);
  std::lock_guard lock(s.mu);
  auto it = s.entries.find(video_id);
  if (it == s.entries.end() || it->second.version != version || it->second.expires != expires) {
    return nullptr;
  }
  return it->second.text;
}

bool RenderedCache::AppendIfFresh(std::string& out, std::string_view video_id, int64_t version,
                                  int64_t expires) const {
  const auto text = Find(video_id, version, expires);
  if (!text) return false;
  out += *text;
  return true;
}

void RenderedCache::Put(std::string_view video_id, int64_t version, int64_t expires,
                        std::string_view text) {
  if (per_shard_ == 0) return;
  auto kept = std::make_shared<const std::string>(text);  // allocated outside the lock
  Shard& s = ShardOf(video_id);
  std::lock_guard lock(s.mu);
  auto it = s.entries.find(video_id);
  if (it == s.entries.end()) {
    if (s.entries.size() >= per_shard_) s.entries.erase(s.entries.begin());
    it = s.entries.emplace(std::string(video_id), Entry{}).first;
  }
  it->second.version = version;
  it->second.expires = expires;
  it->second.text = std::move(kept);
}

size_t RenderedCache::Size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.entries.size();
  }
  return n;
}

}  // namespace kinora::videos
