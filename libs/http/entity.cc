#include "kinora/http/entity.h"

#include <ctime>

#include "kinora/http/problem.h"
#include "kinora/http/range.h"

namespace kinora::http {
namespace {

std::string HttpDate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

bool EtagMatches(std::string_view header, std::string_view etag) {
  if (header == "*") return true;
  // Comma-separated list; weak comparison (W/ prefix ignored) as RFC 9110 requires for GET.
  size_t i = 0;
  while (i < header.size()) {
    size_t j = header.find(',', i);
    if (j == std::string_view::npos) j = header.size();
    std::string_view tag = header.substr(i, j - i);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
    i = j + 1;
  }
  return false;
}

Response ServeEntity(const Request& req, const EntityInfo& info, const OpenRange& open) {
  Response r;
  r.Set(bhttp::field::accept_ranges, "bytes");
  if (!info.etag.empty()) r.Set(bhttp::field::etag, info.etag);
  r.Set(bhttp::field::last_modified, HttpDate(info.last_modified));
  if (!info.cache_control.empty()) r.Set(bhttp::field::cache_control, info.cache_control);
  r.Set(bhttp::field::content_type,
        info.content_type.empty() ? "application/octet-stream" : info.content_type);

  std::string_view inm = req.Header(bhttp::field::if_none_match);
  if (!inm.empty() && !info.etag.empty() && EtagMatches(inm, info.etag)) {
    r.status = Status::not_modified;
    return r;
  }

  uint64_t first = 0, last = info.size == 0 ? 0 : info.size - 1;
  std::string_view range_header = req.Header(bhttp::field::range);
  std::string_view if_range = req.Header(bhttp::field::if_range);
  bool honour_range = !range_header.empty() && (if_range.empty() || if_range == info.etag);
  if (honour_range) {
    RangeResult rr = ParseRange(range_header, info.size);
    if (rr.kind == RangeResult::kUnsatisfiable) {
      Response p = Problem(Status::range_not_satisfiable,
                           "range " + std::string(range_header) + " lies outside the " +
                               std::to_string(info.size) + "-byte object");
      p.Set(bhttp::field::content_range, "bytes */" + std::to_string(info.size));
      p.Set(bhttp::field::accept_ranges, "bytes");
      return p;
    }
    if (rr.kind == RangeResult::kSatisfiable) {
      first = rr.first;
      last = rr.last;
      r.status = Status::partial_content;
      r.Set(bhttp::field::content_range, ContentRange(first, last, info.size));
    }
  }
  uint64_t length = info.size == 0 ? 0 : last - first + 1;
  if (req.method == Verb::head || length == 0) {
    r.stream = StreamBody{length, nullptr};  // headers only (HEAD) or empty entity
    return r;
  }
  auto body = open(first, last);
  if (!body) return ProblemFrom(body.error());
  r.stream = std::move(*body);
  return r;
}

}  // namespace kinora::http
