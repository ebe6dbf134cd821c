// Videos already rendered as JSON text, keyed by video id and reused while the row they were
// rendered from (its row_version) and the signing window of their URLs (their expiry) are the
// same. A listing of 50 videos otherwise escapes ~100 KB of JSON and signs 250 URLs per request.
// Bounded: a full shard forgets an arbitrary entry to make room. Nothing here is private to a
// caller: a video's JSON is the same for everyone allowed to see it (Presenter decides who is).
// Thread safety: safe to share; 16 independently locked shards.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kinora::videos {

class RenderedCache {
 public:
  // capacity: how many videos are kept at most (0: none; every lookup misses).
  explicit RenderedCache(size_t capacity);
  RenderedCache(const RenderedCache&) = delete;
  RenderedCache& operator=(const RenderedCache&) = delete;

  // Appends the text kept for video_id when it was rendered from row `version` with URLs
  // expiring at `expires`; false (and `out` untouched) otherwise.
  bool AppendIfFresh(std::string& out, std::string_view video_id, int64_t version,
                     int64_t expires) const;
  // The text kept for video_id from `version` and `expires`, or null. It stays valid (and
  // unchanged) however the cache changes afterwards.
  std::shared_ptr<const std::string> Find(std::string_view video_id, int64_t version,
                                          int64_t expires) const;
  // Keeps `text` as video_id's rendering from `version` and `expires`, replacing any other.
  void Put(std::string_view video_id, int64_t version, int64_t expires, std::string_view text);
  size_t Size() const;

 private:
  struct Entry {
    int64_t version = 0;
    int64_t expires = 0;
    std::shared_ptr<const std::string> text;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
  };
  static constexpr size_t kShards = 16;
  Shard& ShardOf(std::string_view video_id) const;

  size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace kinora::videos
