// User-Agent parsing (libs/useragent): any header bytes through uap-core's regexes, the
// device-type rule and the parse cache. The regexes are Debian's (the file the server loads),
// or a small built-in set when it is missing.
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "kinora/useragent/user_agent_parser.h"

namespace {

constexpr std::string_view kFallbackYaml = R"(
user_agent_parsers:
  - regex: '(Chrome|Firefox)/(\d+)\.(\d+)'
  - regex: '(?:Mobile Safari).*Version/(\d+)'
    family_replacement: 'Mobile Safari'
    v1_replacement: '$1'
os_parsers:
  - regex: '(Windows NT|Android|iPhone OS) ?(\d+)?'
device_parsers:
  - regex: '(?:bot|crawl|spider)'
    regex_flag: 'i'
    device_replacement: 'Spider'
  - regex: '\((iPhone|iPad)'
    device_replacement: '$1'
)";

std::shared_ptr<const kinora::useragent::UapRules> Rules() {
  using namespace kinora::useragent;
  static const auto rules = [] {
    if (auto r = LoadUapRules(std::string(kDebianRegexesPath))) return *r;
    return *CompileUapRules(kFallbackYaml);
  }();
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kinora::useragent;
  static UserAgentParser cached(Rules(), 64);
  const std::string_view ua(reinterpret_cast<const char*>(data), size);
  const auto first = cached.Parse(ua);
  const auto again = cached.Parse(ua);
  KINORA_FUZZ_CHECK(first && again && *first == *again);
  const UserAgentInfo fresh = ParseUncached(*Rules(), ua);
  KINORA_FUZZ_CHECK(fresh == *first);
  KINORA_FUZZ_CHECK(!fresh.browser.empty() && !fresh.os.empty() && !fresh.device.empty());
  KINORA_FUZZ_CHECK(fresh.bot == (fresh.device_type == DeviceType::kBot));
  KINORA_FUZZ_CHECK(!ToString(fresh.device_type).empty());
  return 0;
}
