#include "kinora/useragent/uap_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace kinora::useragent {
namespace {

// A hand-written regexes.yaml exercising each rule of the specification.
constexpr std::string_view kYaml = R"(
user_agent_parsers:
  - regex: '(Namoroka|Shiretoko|Minefield)/(\d+)\.(\d+)\.(\d+(?:pre)?)'
    family_replacement: 'Firefox ($1)'
  - regex: 'ArcGIS Client Using WinInet'
    family_replacement: 'ArcMap'
  - regex: '(Kinoraplayer)/(\d+)'
    v1_replacement: '9'
  - regex: '(Firefox)/(\d+)\.(\d+)'
  - regex: '(Firefox)/(\d+)\.(\d+)\.(\d+)'
    family_replacement: 'never reached: the rule above matches first'
os_parsers:
  - regex: 'Win(95|98|3.1|NT|ME|2000)'
    os_replacement: 'Windows $1'
  - regex: '(Android) (\d+)(?:\.(\d+)|)'
device_parsers:
  - regex: '; *(PEDI)_(PLUS)_(W) Build'
    device_replacement: 'Odys $1 $2 $3'
    brand_replacement: 'Odys'
    model_replacement: '$1 $2 $3'
  - regex: 'crawler'
    regex_flag: 'i'
    device_replacement: 'Spider'
    brand_replacement: 'Spider'
    model_replacement: 'Desktop'
  - regex: '\((iPhone)(?:;| )'
    device_replacement: '  $1$9  '
)";

std::shared_ptr<const UapRules> Rules() {
  auto rules = CompileUapRules(kYaml);
  EXPECT_TRUE(rules) << rules.error().message;
  return *rules;
}

TEST(UapRules, FamilyReplacementTakesTheFirstGroup) {
  const UapResult r = Rules()->Match(
      "Mozilla/5.0 (Windows; Windows NT 5.1; rv:2.0b3pre) Gecko/20100727 "
      "Minefield/4.0.1pre");
  EXPECT_EQ(r.agent.family, "Firefox (Minefield)");
  EXPECT_EQ(r.agent.major, "4");
  EXPECT_EQ(r.agent.minor, "0");
  EXPECT_EQ(r.agent.patch, "1pre");
  EXPECT_EQ(Rules()->Match("Mozilla/4.0 (compatible; MSIE 5.0; WinNT)").os.family, "Windows NT");
}

TEST(UapRules, ReplacementWithoutGroupsIsTakenAsIs) {
  EXPECT_EQ(Rules()->Match("x ArcGIS Client Using WinInet y").agent.family, "ArcMap");
  const UapResult r = Rules()->Match("Kinoraplayer/3");
  EXPECT_EQ(r.agent.family, "Kinoraplayer");
  EXPECT_EQ(r.agent.major, "9");
}

TEST(UapRules, FirstMatchWinsAndMissingGroupsStayEmpty) {
  const UapResult r = Rules()->Match("Mozilla/5.0 (X11; Linux) Firefox/120.0.1");
  EXPECT_EQ(r.agent.family, "Firefox");
  EXPECT_EQ(r.agent.major, "120");
  EXPECT_EQ(r.agent.minor, "0");
  EXPECT_EQ(r.agent.patch, "");
}

TEST(UapRules, OsGroupsInOrder) {
  const UapResult r = Rules()->Match("Linux; Android 13; Pixel");
  EXPECT_EQ(r.os.family, "Android");
  EXPECT_EQ(r.os.major, "13");
  EXPECT_EQ(r.os.minor, "");
}

TEST(UapRules, DeviceReplacementsTakeAnyGroup) {
  const UapResult r = Rules()->Match(
      "Mozilla/5.0 (Linux; U; Android 4.2.2; de-de; PEDI_PLUS_W Build/JDQ39) AppleWebKit/534.30");
  EXPECT_EQ(r.device.family, "Odys PEDI PLUS W");
  EXPECT_EQ(r.device.brand, "Odys");
  EXPECT_EQ(r.device.model, "PEDI PLUS W");
}

TEST(UapRules, RegexFlagIMakesADeviceRegexCaseInsensitive) {
  EXPECT_EQ(Rules()->Match("SomeCRAWLER/1.0").device.family, "Spider");
  EXPECT_EQ(Rules()->Match("SomeCRAWLER/1.0").device.model, "Desktop");
}

TEST(UapRules, MatchingIsCaseSensitiveByDefault) {
  EXPECT_EQ(Rules()->Match("firefox/12.0").agent.family, "Other");
}

TEST(UapRules, ResultsAreTrimmedAndAbsentGroupsAreEmpty) {
  const UapResult r = Rules()->Match("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1)");
  EXPECT_EQ(r.device.family, "iPhone");
  EXPECT_EQ(r.device.brand, "");
  EXPECT_EQ(r.device.model, "iPhone");  // model defaults to the first group
}

TEST(UapRules, NoMatchIsOther) {
  const UapResult r = Rules()->Match("something else entirely");
  EXPECT_EQ(r, UapResult{});
  EXPECT_EQ(r.agent.family, "Other");
  EXPECT_EQ(r.os.family, "Other");
  EXPECT_EQ(r.device.family, "Other");
}

TEST(UapRules, EmptyRulesAnswerOther) {
  EXPECT_EQ(EmptyUapRules()->Match("Mozilla/5.0 Firefox/1.0"), UapResult{});
  EXPECT_EQ(EmptyUapRules()->size(), 0u);
}

TEST(UapRules, BadDocumentsAreErrors) {
  EXPECT_EQ(CompileUapRules("user_agent_parsers: [").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(CompileUapRules("just text").error().code, ErrorCode::kInvalidArgument);
  auto missing = CompileUapRules("user_agent_parsers: []\nos_parsers: []\n");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("device_parsers"), std::string::npos);
  auto bad_regex = CompileUapRules(
      "user_agent_parsers:\n  - regex: '(unclosed'\nos_parsers: []\ndevice_parsers: []\n");
  ASSERT_FALSE(bad_regex);
  EXPECT_NE(bad_regex.error().message.find("user_agent_parsers[0]"), std::string::npos)
      << bad_regex.error().message;
  auto no_regex = CompileUapRules(
      "user_agent_parsers:\n  - family_replacement: x\nos_parsers: []\ndevice_parsers: []\n");
  ASSERT_FALSE(no_regex);
}

TEST(UapRules, MissingFileIsNotFound) {
  auto r = LoadUapRules("/nonexistent/regexes.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(UapRules, DebianFileCompilesCompletely) {
  auto r = LoadUapRules(std::string(kDebianRegexesPath));
  ASSERT_TRUE(r) << r.error().message << " (scripts/setup.sh installs Debian's uap-core)";
  EXPECT_GT((*r)->size(), 1000u);
}

}  // namespace
}  // namespace kinora::useragent
