// Token buckets keyed by a string (a client address, "login:" + address, ...): each key may
// spend `burst` requests at once and earns `per_minute` back over a minute. Memory is bounded:
// a bucket that has refilled is forgotten (a new one starts full, so nothing changes), and past
// `max_keys` the least recently used is dropped (that key starts afresh: a flood of new keys can
// reset old ones, which the cap trades for bounded memory). The clock is a parameter.
// Thread safety: Take() may be called from any thread; keys are spread over shards that each
// have their own mutex, so callers contend only when their keys share a shard.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace kinora::http {

struct RateLimitOptions {
  double per_minute = 60;  // tokens earned per minute; REQUIRES: > 0
  double burst = 10;       // bucket size, the requests allowed at once; REQUIRES: >= 1
  size_t max_keys = 100'000;
  size_t shards = 16;  // REQUIRES: >= 1; tests use 1 to see the eviction order
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: seconds until a token is back, >= 1

    friend bool operator==(const Decision&, const Decision&) = default;
  };

  // Throws std::invalid_argument when options break a REQUIRES (a configuration bug: callers
  // validate KINORA_RATE_* first).
  explicit RateLimiter(RateLimitOptions options);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Spends one token of `key`'s bucket if it has one. `now` should not go backwards for a key;
  // if it does, no tokens are earned for the gap.
  Decision Take(std::string_view key, Clock::time_point now);

  // Buckets held now, over all shards (for tests and metrics).
  size_t size() const;

 private:
  struct Shard;
  Shard& ShardFor(size_t hash);

  RateLimitOptions options_;
  double tokens_per_second_;
  size_t max_keys_per_shard_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace kinora::http
