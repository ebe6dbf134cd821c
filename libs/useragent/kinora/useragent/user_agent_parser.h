// The audience analytics' view of a User-Agent: browser, OS, device family, device type and
// whether it is a bot, from uap-core's regexes (uap_rules.h) and the device-type rule
// (device_type.h), behind a bounded cache (hundreds of regexes per miss; a hit is a hash lookup).
// Thread safety: Parse may be called concurrently from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/useragent/device_type.h"
#include "kinora/useragent/uap_rules.h"

namespace kinora::useragent {

struct UserAgentInfo {
  std::string browser = "Other";  // uap-core's user-agent family: "Chrome", "Mobile Safari", …
  std::string browser_major;      // "120"; empty when unknown
  std::string os = "Other";       // uap-core's OS family: "Windows", "iOS", "Android", …
  std::string device = "Other";   // uap-core's device family: "iPhone", "Spider", …
  DeviceType device_type = DeviceType::kOther;
  bool bot = false;

  friend bool operator==(const UserAgentInfo&, const UserAgentInfo&) = default;
};

// A User-Agent longer than this is parsed (and cached) by its first kMaxUserAgentBytes bytes:
// real ones are a few hundred bytes, and the regexes' cost grows with the input.
inline constexpr size_t kMaxUserAgentBytes = 1024;

class UserAgentParser {
 public:
  // `cache_entries` bounds the cache (least recently used entries go first); 0 disables it.
  explicit UserAgentParser(std::shared_ptr<const UapRules> rules, size_t cache_entries = 10000);
  ~UserAgentParser();
  UserAgentParser(const UserAgentParser&) = delete;
  UserAgentParser& operator=(const UserAgentParser&) = delete;

  // Never fails; an unknown User-Agent is all "Other". The result is shared with the cache.
  std::shared_ptr<const UserAgentInfo> Parse(std::string_view user_agent) const;

  struct CacheStats {
    uint64_t hits = 0, misses = 0;
    size_t entries = 0;
  };
  CacheStats cache_stats() const;

 private:
  class Cache;
  std::shared_ptr<const UapRules> rules_;
  std::unique_ptr<Cache> cache_;
};

// Parses without a cache (what a miss costs).
UserAgentInfo ParseUncached(const UapRules& rules, std::string_view user_agent);

struct UserAgentOptions {
  // KINORA_UAP_REGEXES. Empty: Debian's uap-core file, and when that is missing the parser
  // still works, answering "Other" (a warning is logged). Set: that file must load, or Open fails.
  std::string regexes_path;
  size_t cache_entries = 10000;
};

// Loads the regexes once; the parser then serves every request.
Result<std::unique_ptr<UserAgentParser>> OpenUserAgentParser(const UserAgentOptions& options);

}  // namespace kinora::useragent
