#include "kinora/http/range.h"

#include <charconv>

namespace kinora::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

RangeResult ParseRange(std::string_view header, uint64_t size) {
  RangeResult r;
  header = Trim(header);
  constexpr std::string_view kPrefix = "bytes=";
  if (header.size() < kPrefix.size() || header.substr(0, kPrefix.size()) != kPrefix) return r;
  std::string_view spec = Trim(header.substr(kPrefix.size()));
  if (spec.find(',') != std::string_view::npos) return r;  // several ranges: send it all
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return r;
  std::string_view a = Trim(spec.substr(0, dash)), b = Trim(spec.substr(dash + 1));
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // suffix: last N bytes
    uint64_t n = 0;
    if (!ParseU64(b, &n)) return r;
    if (n == 0 || size == 0) return {RangeResult::kUnsatisfiable};
    first = n >= size ? 0 : size - n;
    last = size - 1;
  } else {
    if (!ParseU64(a, &first)) return r;
    if (b.empty()) {
      last = size == 0 ? 0 : size - 1;
    } else {
      if (!ParseU64(b, &last) || last < first) return r;
      if (size > 0 && last >= size) last = size - 1;
    }
    if (first >= size) return {RangeResult::kUnsatisfiable};
  }
  return {RangeResult::kSatisfiable, first, last};
}

std::string ContentRange(uint64_t first, uint64_t last, uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size);
}

}  // namespace kinora::http
