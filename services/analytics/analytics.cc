#include "kinora/analytics/analytics.h"

#include <boost/json.hpp>
#include <charconv>

#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/core/time.h"
#include "kinora/http/problem.h"

namespace kinora::analytics {
namespace {

namespace json = boost::json;
using http::Response;
using http::Status;

Result<int64_t> ParseInt(std::string_view name, std::string_view s, int64_t lo, int64_t hi) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) {
    return InvalidArgument("'" + std::string(name) + "' must be an integer from " +
                           std::to_string(lo) + " to " + std::to_string(hi));
  }
  return v;
}

json::array DayCounts(const std::vector<catalog::DayCount>& days) {
  json::array a;
  for (const auto& d : days) a.push_back(json::object{{"day", d.day}, {"count", d.count}});
  return a;
}

json::value Optional(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// Validates the {id} path parameter; an error response when it is not a UUID.
std::optional<Response> BadId(const std::string& id) {
  if (IsUuid(id)) return std::nullopt;
  return http::ProblemFrom(InvalidArgument("'" + id.substr(0, 64) + "' is not a video id"));
}

}  // namespace

Result<catalog::ListQuery> ParseListQuery(const http::Request& req) {
  catalog::ListQuery q;
  if (auto v = req.Query("limit")) {
    KINORA_TRY(q.limit, ParseInt("limit", *v, 1, 100));
  }
  if (auto v = req.Query("offset")) {
    KINORA_TRY(q.offset, ParseInt("offset", *v, 0, 1LL << 40));
  }
  if (auto v = req.Query("cursor")) q.cursor = *v;
  if (auto v = req.Query("sort_by")) {
    auto key = catalog::ParseSortKey(*v);
    if (!key) {
      return InvalidArgument("'sort_by' must be one of " + catalog::SortKeyNames());
    }
    q.sort = *key;
  }
  if (auto v = req.Query("order")) {
    if (*v == "asc")
      q.descending = false;
    else if (*v == "desc")
      q.descending = true;
    else
      return InvalidArgument("'order' must be asc or desc");
  }
  if (auto v = req.Query("status"); v && !v->empty()) {
    auto s = catalog::ParseVideoStatus(*v);
    if (!s) {
      return InvalidArgument("'status' must be one of UPLOADED, PROCESSING, PROCESSED, FAILED");
    }
    q.status = *s;
  }
  if (auto v = req.Query("q")) {
    if (v->size() > 200) return InvalidArgument("'q' is longer than 200 bytes");
    q.title_query = *v;
  }
  return q;
}

Analytics::Analytics(catalog::Catalog& catalog, const videos::Presenter& presenter,
                     metrics::Registry& metrics, AnalyticsOptions options)
    : catalog_(catalog),
      presenter_(presenter),
      options_(options),
      views_(metrics.AddCounter("kinora_views_total", "Views counted.").With()),
      likes_(metrics.AddCounter("kinora_likes_total", "Likes counted.").With()) {}

void Analytics::Register(http::Router& router, const std::string& prefix) {
  using http::Verb;
  router.Add(Verb::get, prefix + "/videos", [this](http::Request& r) { return List(r); });
  router.Add(Verb::get, prefix + "/video/{id}", [this](http::Request& r) { return Get(r); });
  router.Add(Verb::get, prefix + "/stats", [this](http::Request& r) { return Stats(r); });
  router.Add(Verb::post, prefix + "/view/{id}", [this](http::Request& r) { return View(r); });
  router.Add(Verb::post, prefix + "/like/{id}", [this](http::Request& r) { return Like(r); });
}

Response Analytics::List(http::Request& req) {
  auto q = ParseListQuery(req);
  if (!q) return http::ProblemFrom(q.error());
  auto page = catalog_.List(*q);
  if (!page) return http::ProblemFrom(page.error());
  // Rendered straight to text: a page of 50 is the API's hottest path.
  Response r;
  std::string& out = r.body;
  out.reserve(2560 * page->videos.size() + 128);
  out += "{\"count\":" + std::to_string(page->videos.size()) + ",\"videos\":[";
  for (size_t i = 0; i < page->videos.size(); ++i) {
    if (i > 0) out.push_back(',');
    presenter_.AppendJson(out, page->videos[i]);
  }
  out += "],\"total\":" + std::to_string(page->total) + ",\"next_cursor\":";
  if (page->next_cursor)
    AppendJsonString(out, *page->next_cursor);
  else
    out += "null";
  out.push_back('}');
  r.Set(http::bhttp::field::content_type, "application/json");
  return r;
}

Response Analytics::Get(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto bad = BadId(id)) return *bad;
  auto v = catalog_.Get(id);
  if (!v) return http::ProblemFrom(v.error());
  return http::Json(presenter_.Json(*v));
}

Response Analytics::Stats(http::Request&) {
  std::lock_guard lock(stats_mu_);
  auto now = std::chrono::steady_clock::now();
  if (!stats_body_ || now - stats_at_ >= options_.stats_max_age) {
    auto s = catalog_.Stats();
    if (!s) return http::ProblemFrom(s.error());
    json::object by_status, by_format;
    for (const auto& [k, n] : s->by_status) by_status[k] = n;
    for (const auto& [k, n] : s->by_format) by_format[k] = n;
    json::array top;
    for (const auto& v : s->top_videos) top.push_back(presenter_.Json(v));
    json::array durations;
    for (const auto& b : s->duration_histogram) {
      durations.push_back(json::object{{"min_seconds", b.min_seconds},
                                       {"max_seconds", Optional(b.max_seconds)},
                                       {"count", b.count}});
    }
    json::object out{
        {"total_videos", s->total_videos},
        {"videos_by_status", std::move(by_status)},
        {"videos_by_format", std::move(by_format)},
        {"total_views", s->total_views},
        {"total_likes", s->total_likes},
        {"engagement", s->total_views > 0 ? static_cast<double>(s->total_likes) /
                                                static_cast<double>(s->total_views)
                                          : 0.0},
        {"storage_bytes", s->storage_bytes},
        {"total_duration_seconds", s->total_duration_seconds},
        {"processing_seconds", json::object{{"p50", Optional(s->processing_p50)},
                                            {"p90", Optional(s->processing_p90)},
                                            {"p99", Optional(s->processing_p99)}}},
        {"uploads_per_day", DayCounts(s->uploads_per_day)},
        {"views_per_day", DayCounts(s->views_per_day)},
        {"likes_per_day", DayCounts(s->likes_per_day)},
        {"top_videos", std::move(top)},
        {"duration_histogram", std::move(durations)},
        {"generated_at", FormatIso8601(std::chrono::system_clock::now(), true)},
    };
    stats_body_ = ToJsonText(out);
    stats_at_ = now;
  }
  Response r;
  r.body = *stats_body_;
  r.Set(http::bhttp::field::content_type, "application/json");
  return r;
}

Response Analytics::View(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto bad = BadId(id)) return *bad;
  auto n = catalog_.IncrementViews(id);
  if (!n) return http::ProblemFrom(n.error());
  views_.Inc();
  return http::Json(json::object{{"video_id", id}, {"views", *n}});
}

Response Analytics::Like(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto bad = BadId(id)) return *bad;
  auto n = catalog_.IncrementLikes(id);
  if (!n) return http::ProblemFrom(n.error());
  likes_.Inc();
  return http::Json(json::object{{"video_id", id}, {"likes", *n}});
}

}  // namespace kinora::analytics
