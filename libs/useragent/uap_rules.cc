#include "kinora/useragent/uap_rules.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <boost/regex.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace kinora::useragent {
namespace {

// One output field of a parser list: the YAML key of its replacement and the capture group it
// takes when there is none (0: no default, as brand).
struct FieldSpec {
  const char* replacement_key;
  int default_group;
};

constexpr std::array<FieldSpec, 4> kAgentFields = {{
    {"family_replacement", 1},
    {"v1_replacement", 2},
    {"v2_replacement", 3},
    {"v3_replacement", 4},
}};
constexpr std::array<FieldSpec, 5> kOsFields = {{
    {"os_replacement", 1},
    {"os_v1_replacement", 2},
    {"os_v2_replacement", 3},
    {"os_v3_replacement", 4},
    {"os_v4_replacement", 5},
}};
constexpr std::array<FieldSpec, 3> kDeviceFields = {{
    {"device_replacement", 1},
    {"brand_replacement", 0},
    {"model_replacement", 1},
}};
constexpr size_t kMaxFields = 5;

struct Rule {
  boost::regex regex;
  std::array<std::optional<std::string>, kMaxFields> replacements;
};

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string Group(const boost::cmatch& m, int n) {
  if (n <= 0 || static_cast<size_t>(n) >= m.size() || !m[n].matched) return {};
  return m[n].str();
}

// "$1 for ArcGIS" with the groups of `m`; a group that did not take part is empty.
std::string Substitute(std::string_view replacement, const boost::cmatch& m) {
  std::string out;
  out.reserve(replacement.size() + 16);
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] >= '1' &&
        replacement[i + 1] <= '9') {
      out += Group(m, replacement[i + 1] - '0');
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

template <size_t N>
std::array<std::string, N> Fields(const Rule& rule, const std::array<FieldSpec, N>& specs,
                                  const boost::cmatch& m) {
  std::array<std::string, N> out;
  for (size_t i = 0; i < N; ++i) {
    const auto& repl = rule.replacements[i];
    out[i] = std::string(Trim(repl ? Substitute(*repl, m) : Group(m, specs[i].default_group)));
  }
  return out;
}

// The first rule that matches, or null. A regex that throws (Boost.Regex's complexity limit on
// a pathological input) does not match.
const Rule* FirstMatch(const std::vector<Rule>& rules, std::string_view ua, boost::cmatch& m) {
  for (const Rule& rule : rules) {
    try {
      if (boost::regex_search(ua.data(), ua.data() + ua.size(), m, rule.regex,
                              boost::match_default | boost::match_not_dot_newline)) {
        return &rule;
      }
    } catch (const std::exception&) {
      continue;
    }
  }
  return nullptr;
}

class CompiledRules final : public UapRules {
 public:
  CompiledRules(std::vector<Rule> agents, std::vector<Rule> oses, std::vector<Rule> devices)
      : agents_(std::move(agents)), oses_(std::move(oses)), devices_(std::move(devices)) {}

  UapResult Match(std::string_view ua) const override {
    UapResult r;
    boost::cmatch m;
    if (const Rule* rule = FirstMatch(agents_, ua, m)) {
      auto f = Fields(*rule, kAgentFields, m);
      if (!f[0].empty()) r.agent.family = std::move(f[0]);
      r.agent.major = std::move(f[1]);
      r.agent.minor = std::move(f[2]);
      r.agent.patch = std::move(f[3]);
    }
    if (const Rule* rule = FirstMatch(oses_, ua, m)) {
      auto f = Fields(*rule, kOsFields, m);
      if (!f[0].empty()) r.os.family = std::move(f[0]);
      r.os.major = std::move(f[1]);
      r.os.minor = std::move(f[2]);
      r.os.patch = std::move(f[3]);
      r.os.patch_minor = std::move(f[4]);
    }
    if (const Rule* rule = FirstMatch(devices_, ua, m)) {
      auto f = Fields(*rule, kDeviceFields, m);
      if (!f[0].empty()) r.device.family = std::move(f[0]);
      r.device.brand = std::move(f[1]);
      r.device.model = std::move(f[2]);
    }
    return r;
  }

  size_t size() const override { return agents_.size() + oses_.size() + devices_.size(); }

 private:
  std::vector<Rule> agents_, oses_, devices_;
};

// One parser list ("user_agent_parsers", ...) of the document. yaml-cpp reports problems by
// throwing; CompileUapRules turns every exception into an Error in one place.
template <size_t N>
std::vector<Rule> CompileList(const YAML::Node& doc, const char* list,
                              const std::array<FieldSpec, N>& specs) {
  const YAML::Node entries = doc[list];
  if (!entries || !entries.IsSequence()) {
    throw std::invalid_argument(std::string("no '") + list + "' list");
  }
  std::vector<Rule> rules;
  rules.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const YAML::Node entry = entries[i];
    const std::string where = std::string(list) + "[" + std::to_string(i) + "]";
    if (!entry.IsMap() || !entry["regex"] || !entry["regex"].IsScalar()) {
      throw std::invalid_argument(where + ": no regex");
    }
    boost::regex::flag_type flags = boost::regex::perl;
    if (const YAML::Node flag = entry["regex_flag"]; flag && flag.as<std::string>() == "i") {
      flags |= boost::regex::icase;
    }
    Rule rule;
    try {
      rule.regex.assign(entry["regex"].as<std::string>(), flags);
    } catch (const boost::regex_error& e) {
      throw std::invalid_argument(where + ": bad regex: " + e.what());
    }
    for (size_t f = 0; f < N; ++f) {
      const YAML::Node repl = entry[specs[f].replacement_key];
      if (repl && repl.IsScalar()) rule.replacements[f] = repl.as<std::string>();
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace

Result<std::shared_ptr<const UapRules>> CompileUapRules(std::string_view yaml_text) {
  try {
    const YAML::Node doc = YAML::Load(std::string(yaml_text));
    if (!doc.IsMap()) return InvalidArgument("regexes.yaml: not a map of parser lists");
    auto agents = CompileList(doc, "user_agent_parsers", kAgentFields);
    auto oses = CompileList(doc, "os_parsers", kOsFields);
    auto devices = CompileList(doc, "device_parsers", kDeviceFields);
    return std::shared_ptr<const UapRules>(
        std::make_shared<CompiledRules>(std::move(agents), std::move(oses), std::move(devices)));
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("regexes.yaml: ") + e.what());
  }
}

Result<std::shared_ptr<const UapRules>> LoadUapRules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read uap-core regexes '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return NotFound("cannot read uap-core regexes '" + path + "'");
  auto rules = CompileUapRules(text.str());
  if (!rules) return Annotate(rules.error(), path);
  return rules;
}

std::shared_ptr<const UapRules> EmptyUapRules() {
  static const auto empty = std::make_shared<const CompiledRules>(
      std::vector<Rule>{}, std::vector<Rule>{}, std::vector<Rule>{});
  return empty;
}

}  // namespace kinora::useragent
