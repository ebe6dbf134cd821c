// uap-core's own test cases (Debian ships them beside the regexes) run through UapRules: the
// parser implements the specification when it answers what every other ua-parser answers.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "kinora/useragent/uap_rules.h"

namespace kinora::useragent {
namespace {

constexpr const char* kTestsDir = "/usr/share/uap-core/tests/";

const UapRules& Rules() {
  static const auto rules = [] {
    auto r = LoadUapRules(std::string(kDebianRegexesPath));
    if (!r) ADD_FAILURE() << r.error().message << " (scripts/setup.sh installs uap-core)";
    return r ? *r : EmptyUapRules();
  }();
  return *rules;
}

std::string Field(const YAML::Node& test, const char* key) {
  const YAML::Node v = test[key];
  return v && !v.IsNull() ? v.as<std::string>() : std::string();
}

// Runs every test case of one file through `actual` (which renders the fields the file checks,
// space-separated) and lists the User-Agents whose answer differs. `stride` > 1 runs every
// stride-th case only (the device file has 16,000 cases, ~3 ms each uncached).
void RunFile(const char* file, size_t stride, const std::vector<const char*>& keys,
             const std::function<std::vector<std::string>(const UapResult&)>& actual) {
  const std::string path = std::string(kTestsDir) + file;
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " (scripts/setup.sh installs uap-core)";
  const YAML::Node doc = YAML::LoadFile(path);
  const YAML::Node cases = doc["test_cases"];
  ASSERT_TRUE(cases && cases.IsSequence());
  size_t failures = 0;
  for (size_t n = 0; n < cases.size(); n += stride) {
    const YAML::Node test = cases[n];
    const std::string ua = Field(test, "user_agent_string");
    std::vector<std::string> want;
    for (const char* key : keys) want.push_back(Field(test, key));
    const std::vector<std::string> got = actual(Rules().Match(ua));
    if (got != want && ++failures <= 10) {
      std::string w, g;
      for (size_t i = 0; i < keys.size(); ++i) {
        w += std::string(keys[i]) + "=" + want[i] + " ";
        g += std::string(keys[i]) + "=" + got[i] + " ";
      }
      ADD_FAILURE() << file << ": " << ua << "\n  want " << w << "\n  got  " << g;
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << cases.size() << " cases in " << file;
}

TEST(UapConformance, UserAgents) {
  RunFile("test_ua.yaml", 1, {"family", "major", "minor", "patch"}, [](const UapResult& r) {
    return std::vector<std::string>{r.agent.family, r.agent.major, r.agent.minor, r.agent.patch};
  });
}

TEST(UapConformance, OperatingSystems) {
  RunFile("test_os.yaml", 1, {"family", "major", "minor", "patch", "patch_minor"},
          [](const UapResult& r) {
            return std::vector<std::string>{r.os.family, r.os.major, r.os.minor, r.os.patch,
                                            r.os.patch_minor};
          });
}

TEST(UapConformance, Devices) {
  RunFile("test_device.yaml", 8, {"family", "brand", "model"}, [](const UapResult& r) {
    return std::vector<std::string>{r.device.family, r.device.brand, r.device.model};
  });
}

}  // namespace
}  // namespace kinora::useragent
