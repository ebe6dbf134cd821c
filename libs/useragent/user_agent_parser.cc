#include "kinora/useragent/user_agent_parser.h"

#include <atomic>
#include <list>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "kinora/core/log.h"

namespace kinora::useragent {

// A sharded LRU map from User-Agent to its parse. Each shard has its own lock, so concurrent
// hits on different shards do not contend; a hit is one hash, one lookup and a list splice.
class UserAgentParser::Cache {
 public:
  explicit Cache(size_t capacity)
      : per_shard_((capacity + kShards - 1) / kShards), shards_(kShards) {}

  std::shared_ptr<const UserAgentInfo> Find(std::string_view key) {
    Shard& s = ShardOf(key);
    std::lock_guard lock(s.mu);
    auto it = s.index.find(key);
    if (it == s.index.end()) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    s.order.splice(s.order.begin(), s.order, it->second);
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second->value;
  }

  void Insert(std::string_view key, std::shared_ptr<const UserAgentInfo> value) {
    Shard& s = ShardOf(key);
    std::lock_guard lock(s.mu);
    if (s.index.count(key)) return;  // another thread parsed it meanwhile
    s.order.push_front(Entry{std::string(key), std::move(value)});
    s.index.emplace(s.order.front().key, s.order.begin());
    if (s.order.size() > per_shard_) {
      s.index.erase(s.order.back().key);
      s.order.pop_back();
    }
  }

  CacheStats Stats() {
    CacheStats st{hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed),
                  0};
    for (Shard& s : shards_) {
      std::lock_guard lock(s.mu);
      st.entries += s.order.size();
    }
    return st;
  }

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    std::string key;
    std::shared_ptr<const UserAgentInfo> value;
  };
  struct Shard {
    std::mutex mu;
    std::list<Entry> order;  // most recently used first; the index's keys point into it
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  };

  Shard& ShardOf(std::string_view key) {
    return shards_[std::hash<std::string_view>{}(key) % kShards];
  }

  const size_t per_shard_;
  std::vector<Shard> shards_;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

UserAgentInfo ParseUncached(const UapRules& rules, std::string_view user_agent) {
  user_agent = user_agent.substr(0, kMaxUserAgentBytes);
  UapResult uap = rules.Match(user_agent);
  UserAgentInfo info;
  info.device_type = ClassifyDevice(uap, user_agent);
  info.bot = info.device_type == DeviceType::kBot;
  info.browser = std::move(uap.agent.family);
  info.browser_major = std::move(uap.agent.major);
  info.os = std::move(uap.os.family);
  info.device = std::move(uap.device.family);
  return info;
}

UserAgentParser::UserAgentParser(std::shared_ptr<const UapRules> rules, size_t cache_entries)
    : rules_(rules ? std::move(rules) : EmptyUapRules()),
      cache_(cache_entries > 0 ? std::make_unique<Cache>(cache_entries) : nullptr) {}

UserAgentParser::~UserAgentParser() = default;

std::shared_ptr<const UserAgentInfo> UserAgentParser::Parse(std::string_view user_agent) const {
  user_agent = user_agent.substr(0, kMaxUserAgentBytes);
  if (cache_) {
    if (auto hit = cache_->Find(user_agent)) return hit;
  }
  auto parsed = std::make_shared<const UserAgentInfo>(ParseUncached(*rules_, user_agent));
  if (cache_) cache_->Insert(user_agent, parsed);
  return parsed;
}

UserAgentParser::CacheStats UserAgentParser::cache_stats() const {
  return cache_ ? cache_->Stats() : CacheStats{};
}

Result<std::unique_ptr<UserAgentParser>> OpenUserAgentParser(const UserAgentOptions& options) {
  const bool configured = !options.regexes_path.empty();
  const std::string path = configured ? options.regexes_path : std::string(kDebianRegexesPath);
  auto rules = LoadUapRules(path);
  if (!rules) {
    if (configured) return Annotate(rules.error(), "KINORA_UAP_REGEXES");
    log::Warn("no uap-core regexes: browser, OS and device breakdowns will be 'Other'",
              {{"path", path}, {"error", rules.error().message}});
    return std::make_unique<UserAgentParser>(EmptyUapRules(), options.cache_entries);
  }
  return std::make_unique<UserAgentParser>(std::move(*rules), options.cache_entries);
}

}  // namespace kinora::useragent
