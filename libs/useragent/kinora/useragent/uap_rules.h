// uap-core's regexes.yaml, compiled: the user-agent, OS and device parsers of the ua-parser
// specification (uap-core docs/specification.md; Debian ships it as /usr/share/uap-core). The
// first regex of each list that matches wins; replacements take $1..$9; no match is "Other".
// Thread safety: a UapRules is immutable once built; Match may be called concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::useragent {

// Debian's uap-core package puts the maintained regexes here.
inline constexpr std::string_view kDebianRegexesPath = "/usr/share/uap-core/regexes.yaml";

// What the three parser lists say about one User-Agent, as the specification's output structure.
// Unset version parts and brand/model are empty strings; families are never empty ("Other").
struct UapResult {
  struct Agent {
    std::string family = "Other";
    std::string major, minor, patch;
    friend bool operator==(const Agent&, const Agent&) = default;
  } agent;
  struct Os {
    std::string family = "Other";
    std::string major, minor, patch, patch_minor;
    friend bool operator==(const Os&, const Os&) = default;
  } os;
  struct Device {
    std::string family = "Other";
    std::string brand, model;
    friend bool operator==(const Device&, const Device&) = default;
  } device;

  friend bool operator==(const UapResult&, const UapResult&) = default;
};

class UapRules {
 public:
  virtual ~UapRules() = default;

  // The specification's parse of `user_agent`. Never fails: a regex that gives up on a
  // pathological input (the engine's complexity limit) counts as not matching.
  virtual UapResult Match(std::string_view user_agent) const = 0;

  // How many regexes were compiled (all three lists).
  virtual size_t size() const = 0;
};

// Compiles regexes.yaml text. Fails (kInvalidArgument) on YAML that is not the uap-core layout
// or on a regex the engine rejects, naming the list and the entry.
Result<std::shared_ptr<const UapRules>> CompileUapRules(std::string_view yaml_text);

// Reads and compiles a regexes.yaml file (kNotFound when it cannot be read).
Result<std::shared_ptr<const UapRules>> LoadUapRules(const std::string& path);

// Rules with no regex at all: everything is "Other" (the degraded mode when no file is found).
std::shared_ptr<const UapRules> EmptyUapRules();

}  // namespace kinora::useragent
