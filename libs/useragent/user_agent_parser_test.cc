#include "kinora/useragent/user_agent_parser.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace kinora::useragent {
namespace {

// Real User-Agents, parsed with Debian's uap-core regexes.
constexpr std::string_view kChromeWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36";
constexpr std::string_view kSafariIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
constexpr std::string_view kIpad =
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/16.6 Mobile/15E148 Safari/604.1";
constexpr std::string_view kAndroidPhone =
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.6045.163 Mobile Safari/537.36";
constexpr std::string_view kAndroidTablet =
    "Mozilla/5.0 (Linux; Android 12; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36";
constexpr std::string_view kFirefoxLinux =
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
constexpr std::string_view kGooglebot =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
constexpr std::string_view kHeadless =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/120.0.6099.28 Safari/537.36";

const UserAgentParser& Parser() {
  static const auto parser = [] {
    auto p = OpenUserAgentParser({.regexes_path = std::string(kDebianRegexesPath)});
    if (!p) ADD_FAILURE() << p.error().message << " (scripts/setup.sh installs uap-core)";
    return p ? std::move(*p) : std::make_unique<UserAgentParser>(EmptyUapRules());
  }();
  return *parser;
}

struct Expected {
  std::string_view browser, major, os, device;
  DeviceType type;
  bool bot;
};

void ExpectParse(std::string_view ua, const Expected& e) {
  SCOPED_TRACE(std::string(ua));
  const auto info = Parser().Parse(ua);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->browser, e.browser);
  EXPECT_EQ(info->browser_major, e.major);
  EXPECT_EQ(info->os, e.os);
  EXPECT_EQ(info->device, e.device);
  EXPECT_EQ(ToString(info->device_type), ToString(e.type));
  EXPECT_EQ(info->bot, e.bot);
}

TEST(UserAgentParser, ChromeOnWindowsIsADesktop) {
  ExpectParse(kChromeWindows, {"Chrome", "120", "Windows", "Other", DeviceType::kDesktop, false});
}

TEST(UserAgentParser, SafariOnIphoneIsMobile) {
  ExpectParse(kSafariIphone, {"Mobile Safari", "17", "iOS", "iPhone", DeviceType::kMobile, false});
}

TEST(UserAgentParser, IpadIsATablet) {
  ExpectParse(kIpad, {"Mobile Safari", "16", "iOS", "iPad", DeviceType::kTablet, false});
}

TEST(UserAgentParser, AndroidPhoneAndTablet) {
  ExpectParse(kAndroidPhone,
              {"Chrome Mobile", "119", "Android", "Pixel 7", DeviceType::kMobile, false});
  ExpectParse(kAndroidTablet, {"Chrome", "119", "Android", "SM-X700", DeviceType::kTablet, false});
}

TEST(UserAgentParser, FirefoxOnLinuxIsADesktop) {
  ExpectParse(kFirefoxLinux, {"Firefox", "120", "Linux", "Other", DeviceType::kDesktop, false});
}

TEST(UserAgentParser, MacSafariIsADesktop) {
  ExpectParse(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.1 Safari/605.1.15",
      {"Safari", "17", "Mac OS X", "Mac", DeviceType::kDesktop, false});
}

TEST(UserAgentParser, BotsAreSpidersEmptyAgentsAndHeadlessBrowsers) {
  ExpectParse(kGooglebot, {"Googlebot", "2", "Other", "Spider", DeviceType::kBot, true});
  ExpectParse(kHeadless, {"HeadlessChrome", "120", "Linux", "Other", DeviceType::kBot, true});
  ExpectParse("", {"Other", "", "Other", "Other", DeviceType::kBot, true});
  ExpectParse("   ", {"Other", "", "Other", "Other", DeviceType::kBot, true});
}

TEST(UserAgentParser, CommandLineClientsAreOtherNotBots) {
  ExpectParse("curl/8.4.0", {"curl", "8", "Other", "Other", DeviceType::kOther, false});
}

TEST(UserAgentParser, ConsolesAndTvs) {
  EXPECT_EQ(Parser()
                .Parse("Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/13.0 Safari/605.1.15")
                ->device_type,
            DeviceType::kConsole);
  EXPECT_EQ(Parser()
                .Parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) "
                       "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 "
                       "Safari/537.36 Edge/18.19041")
                ->device_type,
            DeviceType::kConsole);
  EXPECT_EQ(Parser()
                .Parse("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like "
                       "Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36")
                ->device_type,
            DeviceType::kTv);
  EXPECT_EQ(Parser().Parse("AppleTV11,1/11.1")->device_type, DeviceType::kTv);
  EXPECT_EQ(Parser()
                .Parse("Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7233) AppleWebKit/537.36 "
                       "(KHTML, like Gecko) Chrome/70.0.3538.110 Mobile Safari/537.36")
                ->device_type,
            DeviceType::kTv);
}

TEST(UserAgentParser, CacheHitsReturnTheSameParse) {
  UserAgentParser parser(*LoadUapRules(std::string(kDebianRegexesPath)), 100);
  const auto first = parser.Parse(kSafariIphone);
  const auto second = parser.Parse(kSafariIphone);
  EXPECT_EQ(first, second);  // the very same object: a hit
  const auto stats = parser.cache_stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
}

TEST(UserAgentParser, CacheIsBounded) {
  UserAgentParser parser(EmptyUapRules(), 32);  // 16 shards of 2
  for (int i = 0; i < 1000; ++i) parser.Parse("agent/" + std::to_string(i));
  EXPECT_LE(parser.cache_stats().entries, 32u);
  EXPECT_GT(parser.cache_stats().entries, 0u);
}

TEST(UserAgentParser, WithoutACacheEveryParseIsFresh) {
  UserAgentParser parser(EmptyUapRules(), 0);
  EXPECT_NE(parser.Parse("a"), parser.Parse("a"));
  EXPECT_EQ(*parser.Parse("a"), *parser.Parse("a"));
  EXPECT_EQ(parser.cache_stats().entries, 0u);
}

TEST(UserAgentParser, LongAgentsAreCutBeforeParsing) {
  UserAgentParser parser(EmptyUapRules(), 10);
  const std::string long_ua(kMaxUserAgentBytes, 'x');
  EXPECT_EQ(parser.Parse(long_ua), parser.Parse(long_ua + "yyyy"));  // same key: a hit
}

TEST(UserAgentParser, ConcurrentParsesAgree) {
  UserAgentParser parser(*LoadUapRules(std::string(kDebianRegexesPath)), 4);
  const std::vector<std::string_view> agents = {kChromeWindows, kSafariIphone, kIpad,
                                                kAndroidPhone,  kFirefoxLinux, kGooglebot};
  std::vector<UserAgentInfo> expected;
  for (auto ua : agents) expected.push_back(*parser.Parse(ua));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        const size_t k = static_cast<size_t>(i + t) % agents.size();
        if (*parser.Parse(agents[k]) != expected[k]) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(UserAgentParser, ExplicitlyConfiguredMissingFileIsAnError) {
  auto p = OpenUserAgentParser({.regexes_path = "/nonexistent/regexes.yaml"});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kNotFound);
  EXPECT_NE(p.error().message.find("KINORA_UAP_REGEXES"), std::string::npos);
}

}  // namespace
}  // namespace kinora::useragent
