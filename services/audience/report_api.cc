#include "kinora/audience/report_api.h"

#include <boost/json.hpp>

#include "kinora/audience/report_export.h"
#include "kinora/audience/report_params.h"
#include "kinora/audience/reports/figures.h"
#include "kinora/audience/reports/retention.h"
#include "kinora/audience/reports/timeseries.h"
#include "kinora/audience/schema.h"
#include "kinora/core/ids.h"
#include "kinora/http/problem.h"

namespace kinora::audience {
namespace {

namespace json = boost::json;
using http::Response;
using reports::Interval;
using reports::Scope;
using reports::TimeRange;

constexpr int kTopVideos = 10;
constexpr std::chrono::seconds kNowWindow{30};

json::value Opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::string Iso(SysTime t) { return FormatIso8601(t); }

// The video of {id} when the caller may see its analytics; 404 otherwise, as for an unknown id.
Result<catalog::VideoRecord> AnalyticsVideo(catalog::Catalog& catalog, const http::Request& req) {
  const auto it = req.path_params.find("id");
  const std::string id = it == req.path_params.end() ? "" : it->second;
  if (!IsUuid(id)) return NotFound("video not found: " + id.substr(0, 64));
  auto v = catalog.Get(id);
  if (!v) {
    if (v.error().code == ErrorCode::kNotFound) return NotFound("video not found: " + id);
    return v.error();
  }
  if (!MaySeeAnalytics(req.principal, *v)) return NotFound("video not found: " + id);
  return std::move(*v);
}

std::string Param(const http::Request& req, const char* name) {
  const auto it = req.path_params.find(name);
  return it == req.path_params.end() ? "" : it->second;
}

json::object OverviewJson(const reports::OverviewFigures& f, const TimeRange& r) {
  return json::object{
      {"plays", f.plays},
      {"views", f.views},
      {"unique_viewers", f.unique_viewers},
      {"watch_time_seconds", f.watch_time_seconds},
      {"avg_view_duration_seconds", f.avg_view_duration_seconds},
      {"avg_percentage_viewed", f.avg_percentage_viewed},
      {"completion_rate", f.completion_rate},
      {"startup_time_ms_p50", Opt(f.startup_time_ms_p50)},
      {"startup_time_ms_p95", Opt(f.startup_time_ms_p95)},
      {"rebuffer_percentage", f.rebuffer_percentage},
      {"from", Iso(r.from)},
      {"to", Iso(r.to)},
  };
}

// The overview figures of `scope` over `range` (whole hours; distinct viewers over whole days).
Result<reports::OverviewFigures> Figures(reports::ReportStore& store, const Scope& scope,
                                         const TimeRange& hours) {
  KINORA_TRY(auto sums, store.Sums(scope, hours));
  KINORA_TRY(auto viewers, store.DailyViewers(scope, reports::Widen(hours, Interval::kDay)));
  KINORA_TRY(auto startup, store.Startup(scope, hours, std::nullopt));
  int64_t viewer_days = 0;
  for (const auto& [day, n] : viewers) viewer_days += n;
  const reports::StartupCounts none;
  return reports::MakeOverview(sums, viewer_days, startup.empty() ? none : startup.begin()->second);
}

// The overview and the previous period, for a scope, as JSON.
Result<json::object> OverviewWithPrevious(reports::ReportStore& store, const Scope& scope,
                                          const TimeRange& range) {
  const TimeRange hours = reports::Widen(range, Interval::kHour);
  const TimeRange before = reports::Previous(hours);
  KINORA_TRY(auto now, Figures(store, scope, hours));
  KINORA_TRY(auto prev, Figures(store, scope, before));
  json::object o = OverviewJson(now, hours);
  o["previous"] = OverviewJson(prev, before);
  return o;
}

Response Fail(const Error& e) { return http::ProblemFrom(e); }

}  // namespace

ReportApi::ReportApi(reports::ReportStore& store, catalog::Catalog& catalog, Clock clock)
    : store_(store), catalog_(catalog), clock_(std::move(clock)) {}

SysTime ReportApi::Now() const { return clock_ ? clock_() : std::chrono::system_clock::now(); }

void ReportApi::Register(http::Router& router, const std::string& prefix) {
  using http::Verb;
  auto add = [&](std::string path, Response (ReportApi::*fn)(http::Request&)) {
    router.Add(Verb::get, prefix + path, [this, fn](http::Request& r) { return (this->*fn)(r); });
  };
  add("/videos/{id}/overview", &ReportApi::Overview);
  add("/videos/{id}/timeseries/{metric}", &ReportApi::Timeseries);
  add("/videos/{id}/retention", &ReportApi::Retention);
  add("/videos/{id}/breakdown/{dimension}", &ReportApi::Breakdown);
  add("/videos/{id}/qoe", &ReportApi::Qoe);
  add("/realtime", &ReportApi::Realtime);
  add("/overview", &ReportApi::SiteOverview);
  add("/sessions/export", &ReportApi::Export);
}

Response ReportApi::Overview(http::Request& req) {
  auto video = AnalyticsVideo(catalog_, req);
  if (!video) return Fail(video.error());
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  auto o = OverviewWithPrevious(store_, Scope::Video(video->video_id), *range);
  if (!o) return Fail(o.error());
  (*o)["video_id"] = video->video_id;
  (*o)["likes"] = video->likes;
  return http::Json(*o);
}

Response ReportApi::Timeseries(http::Request& req) {
  auto video = AnalyticsVideo(catalog_, req);
  if (!video) return Fail(video.error());
  const std::string metric_name = Param(req, "metric");
  auto metric = ParseMetric(metric_name);
  if (!metric) {
    return Fail(NotFound("unknown metric '" + metric_name.substr(0, 64) +
                         "' (plays, views, watch_time_seconds, unique_viewers, "
                         "startup_time_ms_p50, rebuffer_percentage)"));
  }
  auto interval = reports::ParseInterval(req.Query("interval").value_or("day"));
  if (!interval) return Fail(InvalidArgument("'interval' must be hour or day"));
  if (*metric == TimeseriesMetric::kUniqueViewers && *interval != Interval::kDay) {
    return Fail(InvalidArgument("unique_viewers is counted per day: use interval=day"));
  }
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  const TimeRange buckets = reports::Widen(*range, *interval);
  const Scope scope = Scope::Video(video->video_id);
  std::map<int64_t, double> values;
  if (*metric == TimeseriesMetric::kUniqueViewers) {
    auto viewers = store_.DailyViewers(scope, buckets);
    auto sums = store_.SumsBy(scope, buckets, Interval::kDay);
    if (!viewers || !sums) return Fail(!viewers ? viewers.error() : sums.error());
    for (const auto& [t, n] : *viewers) values[t] += static_cast<double>(n);
    for (const auto& [t, s] : *sums) values[t] += static_cast<double>(s.dnt_views);
  } else if (*metric == TimeseriesMetric::kStartupP50) {
    auto startup = store_.Startup(scope, buckets, *interval);
    if (!startup) return Fail(startup.error());
    for (const auto& [t, counts] : *startup) {
      if (auto p = reports::StartupPercentile(counts, 0.5)) values[t] = *p;
    }
  } else {
    auto sums = store_.SumsBy(scope, buckets, *interval);
    if (!sums) return Fail(sums.error());
    for (const auto& [t, s] : *sums) {
      switch (*metric) {
        case TimeseriesMetric::kPlays:
          values[t] = static_cast<double>(s.plays);
          break;
        case TimeseriesMetric::kViews:
          values[t] = static_cast<double>(s.views);
          break;
        case TimeseriesMetric::kWatchTime:
          values[t] = static_cast<double>(s.watch_ms) / 1000.0;
          break;
        case TimeseriesMetric::kRebufferPercentage:
          values[t] = reports::RebufferFraction(s);
          break;
        default:
          break;
      }
    }
  }
  json::array points;
  for (const auto& p : reports::ZeroFilled(buckets, *interval, values)) {
    points.push_back(
        json::object{{"t", Iso(SysTime{std::chrono::seconds{p.t}})}, {"value", p.value}});
  }
  return http::Json(json::object{{"video_id", video->video_id},
                                 {"metric", metric_name},
                                 {"interval", reports::ToString(*interval)},
                                 {"from", Iso(buckets.from)},
                                 {"to", Iso(buckets.to)},
                                 {"points", std::move(points)}});
}

Response ReportApi::Retention(http::Request& req) {
  auto video = AnalyticsVideo(catalog_, req);
  if (!video) return Fail(video.error());
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  const TimeRange days = reports::Widen(*range, Interval::kDay);
  const Scope scope = Scope::Video(video->video_id);
  auto counts = store_.Retention(video->video_id, days);
  auto sums = store_.Sums(scope, days);
  if (!counts || !sums) return Fail(!counts ? counts.error() : sums.error());
  const int64_t plays = sums->first_frames;
  auto to_json = [](const std::vector<double>& v) {
    json::array a;
    for (double d : v) a.push_back(d);
    return a;
  };
  const double duration = video->duration_seconds.value_or(0);
  json::value seconds = nullptr;
  if (auto n = reports::PerSecondBuckets(duration)) {
    seconds = to_json(reports::Fractions(counts->first_second, plays, *n));
  }
  return http::Json(json::object{
      {"video_id", video->video_id},
      {"duration_seconds", duration},
      {"plays", plays},
      {"from", Iso(days.from)},
      {"to", Iso(days.to)},
      {"points",
       to_json(reports::Fractions(counts->first_percent, plays, reports::kRetentionBuckets))},
      {"rewatch_points", to_json(reports::Fractions(counts->rewatch_percent, plays,
                                                    reports::kRetentionBuckets, false))},
      {"seconds", std::move(seconds)},
  });
}

Response ReportApi::Breakdown(http::Request& req) {
  auto video = AnalyticsVideo(catalog_, req);
  if (!video) return Fail(video.error());
  const std::string dimension = Param(req, "dimension");
  if (!IsDimension(dimension)) {
    return Fail(NotFound("unknown dimension '" + dimension.substr(0, 64) +
                         "' (country, device, browser, os, referrer, surface, embed_host)"));
  }
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  const TimeRange days = reports::Widen(*range, Interval::kDay);
  auto rows = store_.Breakdown(video->video_id, days, dimension);
  if (!rows) return Fail(rows.error());
  json::array items;
  for (const auto& r : *rows) {
    items.push_back(json::object{{"value", r.value},
                                 {"plays", r.plays},
                                 {"views", r.views},
                                 {"watch_time_seconds", static_cast<double>(r.watch_ms) / 1000.0}});
  }
  return http::Json(json::object{{"video_id", video->video_id},
                                 {"dimension", dimension},
                                 {"from", Iso(days.from)},
                                 {"to", Iso(days.to)},
                                 {"items", std::move(items)}});
}

Response ReportApi::Qoe(http::Request& req) {
  auto video = AnalyticsVideo(catalog_, req);
  if (!video) return Fail(video.error());
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  const TimeRange hours = reports::Widen(*range, Interval::kHour);
  const Scope scope = Scope::Video(video->video_id);
  auto sums = store_.Sums(scope, hours);
  auto startup = store_.Startup(scope, hours, std::nullopt);
  if (!sums || !startup) return Fail(!sums ? sums.error() : startup.error());
  const reports::QoeReport q = reports::MakeQoe(
      *sums, startup->empty() ? reports::StartupCounts{} : startup->begin()->second);
  json::array histogram;
  for (size_t i = 0; i < kStartupBucketsMs.size(); ++i) {
    const bool inf = i + 1 == kStartupBucketsMs.size();
    histogram.push_back(
        json::object{{"le_ms", inf ? json::value("+Inf") : json::value(kStartupBucketsMs[i])},
                     {"count", q.startup_histogram[i]}});
  }
  return http::Json(json::object{
      {"video_id", video->video_id},
      {"from", Iso(hours.from)},
      {"to", Iso(hours.to)},
      {"plays", q.plays},
      {"startup_time_ms_p50", Opt(q.startup_time_ms_p50)},
      {"startup_time_ms_p95", Opt(q.startup_time_ms_p95)},
      {"exits_before_start", q.exits_before_start},
      {"playback_failures", q.failures},
      {"playback_failure_percentage", q.playback_failure_percentage},
      {"stalls", q.stalls},
      {"stall_seconds", q.stall_seconds},
      {"watch_time_seconds", q.watch_time_seconds},
      {"rebuffer_percentage", q.rebuffer_percentage},
      {"rebuffer_frequency", q.rebuffer_frequency},
      {"rendition_switches", q.rendition_switches},
      {"avg_bitrate", Opt(q.avg_bitrate)},
      {"upscale_percentage", q.upscale_percentage},
      {"startup_histogram", std::move(histogram)},
      {"scores", json::object{{"playback_success", Opt(q.scores.playback_success)},
                              {"startup", Opt(q.scores.startup)},
                              {"smoothness", Opt(q.scores.smoothness)},
                              {"video_quality", Opt(q.scores.video_quality)},
                              {"overall", Opt(q.scores.overall)}}},
  });
}

Response ReportApi::Realtime(http::Request& req) {
  auto scope = CallerScope(req.principal, req.Query("owner"));
  if (!scope) return Fail(scope.error());
  const SysTime now = Now();
  auto viewers = store_.ViewersNow(*scope, UnixMillis(now - kNowWindow));
  if (!viewers) return Fail(viewers.error());
  auto peak =
      store_.PeakConcurrency(*scope, UnixSeconds(reports::BucketStart(now, Interval::kDay)));
  if (!peak) return Fail(peak.error());
  int64_t total = 0;
  json::array videos;
  for (const auto& v : *viewers) {
    total += v.value;
    if (videos.size() >= 50) continue;
    auto rec = catalog_.Get(v.video_id);
    videos.push_back(json::object{{"video_id", v.video_id},
                                  {"title", rec ? json::value(rec->title) : json::value(nullptr)},
                                  {"viewers", v.value}});
  }
  return http::Json(
      json::object{{"viewers_now", total},
                   {"peak_today", std::max(*peak, total)},
                   {"at", Iso(std::chrono::time_point_cast<std::chrono::seconds>(now))},
                   {"videos", std::move(videos)}});
}

Response ReportApi::SiteOverview(http::Request& req) {
  auto scope = CallerScope(req.principal, req.Query("owner"));
  if (!scope) return Fail(scope.error());
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  auto o = OverviewWithPrevious(store_, *scope, *range);
  if (!o) return Fail(o.error());
  auto top = store_.TopVideos(*scope, reports::Widen(*range, Interval::kHour), kTopVideos);
  if (!top) return Fail(top.error());
  json::array items;
  for (const auto& v : *top) {
    auto rec = catalog_.Get(v.video_id);
    items.push_back(json::object{{"video_id", v.video_id},
                                 {"title", rec ? json::value(rec->title) : json::value(nullptr)},
                                 {"views", v.views},
                                 {"watch_time_seconds", static_cast<double>(v.watch_ms) / 1000.0}});
  }
  (*o)["owner"] =
      scope->kind == Scope::Kind::kOwner ? json::value(scope->id) : json::value(nullptr);
  (*o)["top_videos"] = std::move(items);
  return http::Json(*o);
}

Response ReportApi::Export(http::Request& req) {
  auto format = ParseExportFormat(req.Query("format").value_or("csv"));
  if (!format) return Fail(InvalidArgument("'format' must be csv or ndjson"));
  auto range = ParseReportRange(req, Now());
  if (!range) return Fail(range.error());
  Scope scope;
  if (auto id = req.Query("video_id"); id && !id->empty()) {
    req.path_params["id"] = *id;
    auto video = AnalyticsVideo(catalog_, req);
    if (!video) return Fail(video.error());
    scope = Scope::Video(video->video_id);
  } else {
    auto s = CallerScope(req.principal, req.Query("owner"));
    if (!s) return Fail(s.error());
    scope = *s;
  }
  auto res = ExportSessions(store_, scope, *range, *format);
  if (!res) return Fail(res.error());
  return std::move(*res);
}

}  // namespace kinora::audience
