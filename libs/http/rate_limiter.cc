#include "kinora/http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace kinora::http {

namespace {

using Clock = RateLimiter::Clock;

struct Bucket {
  std::string key;
  size_t hash = 0;  // of key
  double tokens = 0;
  Clock::time_point last;  // when `tokens` was last brought up to date
};

// The map's key: a view of the bucket's own string with its hash, computed once per Take() for
// both the shard and the map.
struct HashedKey {
  std::string_view key;
  size_t hash = 0;
  friend bool operator==(const HashedKey& a, const HashedKey& b) { return a.key == b.key; }
};
struct HashOf {
  size_t operator()(const HashedKey& k) const { return k.hash; }
};

// Float noise: 10 ms at 100 tokens/s earns 0.9999999999999999 tokens, which is one, and a wait
// of 1.0000000001 s is one second, not two.
constexpr double kEpsilon = 1e-9;

// Buckets whose tokens would have refilled by `now` are worth nothing: a missing key starts full.
bool Refilled(const Bucket& b, Clock::time_point now, double burst, double per_second) {
  double tokens = b.tokens;
  if (now > b.last) tokens += std::chrono::duration<double>(now - b.last).count() * per_second;
  return tokens >= burst - kEpsilon;
}

// How many of the oldest buckets each Take() looks at for forgetting: enough to keep up with the
// one bucket a Take() may add.
constexpr int kSweepPerTake = 2;

}  // namespace

struct alignas(64) RateLimiter::Shard {
  std::mutex mu;
  std::list<Bucket> lru;  // most recently used first
  std::unordered_map<HashedKey, std::list<Bucket>::iterator, HashOf> index;
};

RateLimiter::RateLimiter(RateLimitOptions options)
    : options_(options), tokens_per_second_(options.per_minute / 60.0) {
  if (!(options_.per_minute > 0) || !std::isfinite(options_.per_minute)) {
    throw std::invalid_argument("rate limit: per_minute must be a positive number");
  }
  if (!(options_.burst >= 1) || !std::isfinite(options_.burst)) {
    throw std::invalid_argument("rate limit: burst must be at least 1");
  }
  if (options_.shards == 0) throw std::invalid_argument("rate limit: shards must be at least 1");
  max_keys_per_shard_ = std::max<size_t>(1, options_.max_keys / options_.shards);
  shards_ = std::make_unique<Shard[]>(options_.shards);
}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::ShardFor(size_t hash) {
  // The map uses the hash's low bits; the shard takes high ones, so each shard's map still sees
  // well-spread hashes.
  const uint64_t mixed = static_cast<uint64_t>(hash) * 0x9E3779B97F4A7C15ull;
  return shards_[static_cast<size_t>(mixed >> 32) % options_.shards];
}

RateLimiter::Decision RateLimiter::Take(std::string_view key, Clock::time_point now) {
  const size_t hash = std::hash<std::string_view>{}(key);
  Shard& shard = ShardFor(hash);
  std::lock_guard lock(shard.mu);

  Decision decision;
  auto found = shard.index.find(HashedKey{key, hash});
  if (found == shard.index.end()) {
    if (shard.index.size() >= max_keys_per_shard_) {
      const Bucket& oldest = shard.lru.back();
      shard.index.erase(HashedKey{oldest.key, oldest.hash});
      shard.lru.pop_back();
    }
    shard.lru.push_front(Bucket{std::string(key), hash, options_.burst - 1, now});
    shard.index.emplace(HashedKey{shard.lru.front().key, hash}, shard.lru.begin());
  } else {
    auto it = found->second;
    Bucket& b = *it;
    if (now > b.last) {
      const double earned =
          std::chrono::duration<double>(now - b.last).count() * tokens_per_second_;
      b.tokens = std::min(options_.burst, b.tokens + earned);
      b.last = now;
    }
    shard.lru.splice(shard.lru.begin(), shard.lru, it);
    if (b.tokens >= 1 - kEpsilon) {
      b.tokens = std::max(0.0, b.tokens - 1);
    } else {
      const double wait = (1 - b.tokens) / tokens_per_second_ - kEpsilon;
      decision.allowed = false;
      decision.retry_after_seconds = static_cast<int>(std::clamp(std::ceil(wait), 1.0, 1e9));
    }
  }

  for (int i = 0; i < kSweepPerTake && shard.lru.size() > 1; ++i) {
    const Bucket& oldest = shard.lru.back();
    if (!Refilled(oldest, now, options_.burst, tokens_per_second_)) break;
    shard.index.erase(HashedKey{oldest.key, oldest.hash});
    shard.lru.pop_back();
  }
  return decision;
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (size_t i = 0; i < options_.shards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].index.size();
  }
  return n;
}

}  // namespace kinora::http
