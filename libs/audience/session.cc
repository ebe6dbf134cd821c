#include "kinora/audience/session.h"

#include <charconv>

namespace kinora::audience {

std::string EncodeRanges(const std::vector<PlayedRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ',';
    out += std::to_string(r.start_ms);
    out += '-';
    out += std::to_string(r.end_ms);
  }
  return out;
}

bool DecodeRanges(std::string_view text, std::vector<PlayedRange>& out) {
  out.clear();
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    PlayedRange r;
    auto a = std::from_chars(p, end, r.start_ms);
    if (a.ec != std::errc() || a.ptr == end || *a.ptr != '-') return out.clear(), false;
    auto b = std::from_chars(a.ptr + 1, end, r.end_ms);
    if (b.ec != std::errc() || r.end_ms < r.start_ms || r.start_ms < 0 ||
        (!out.empty() && r.start_ms < out.back().end_ms))
      return out.clear(), false;
    out.push_back(r);
    p = b.ptr;
    if (p < end) {
      if (*p != ',') return out.clear(), false;
      ++p;
    }
  }
  return true;
}

}  // namespace kinora::audience
