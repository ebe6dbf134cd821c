#include "kinora/analytics/analytics.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/core/time.h"
#include "kinora/http/edge_pages.h"
#include "kinora/http/entity.h"
#include "kinora/http/problem.h"
#include "kinora/media/content_flags.h"

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

// The video, when the caller may watch it; an unknown id and a video the caller may not see
// get the same 404.
Result<catalog::VideoRecord> Watchable(catalog::Catalog& catalog, const http::Request& req,
                                       const std::string& id) {
  if (!IsUuid(id)) return InvalidArgument("'" + id.substr(0, 64) + "' is not a video id");
  KINORA_TRY(catalog::VideoRecord v, catalog.Get(id));
  const auto visibility = identity::ParseVisibility(v.visibility);
  if (!visibility || !identity::CanWatch(req.principal.caller, v.owner_id, *visibility)) {
    return NotFound("video not found: " + id);
  }
  return v;
}

// Which videos a listing shows the caller (identity::IsListedFor's rule, in the catalog).
void LimitToAudience(const identity::Principal& p, catalog::ListQuery& q) {
  if (!p.signed_in()) {
    q.audience = catalog::Audience::kAnonymous;
  } else if (p.Has(identity::Right::kSeeAnyVideo)) {
    q.audience = catalog::Audience::kEveryone;
  } else {
    q.audience = catalog::Audience::kSignedIn;
    q.viewer_id = p.caller.user_id;
  }
}

}  // namespace

Result<catalog::ListQuery> ParseStatsItemsQuery(const http::Request& req) {
  catalog::ListQuery q;
  q.limit = kDefaultLimit;
  if (auto v = req.Query("limit")) {
    KINORA_TRY(q.limit, ParseInt("limit", *v, 1, kMaxLimit));
  }
  if (auto v = req.Query("sort_by")) {
    auto key = catalog::ParseSortKey(*v);
    if (!key) {
      return InvalidArgument("'sort_by' must be one of " + catalog::SortKeyNames());
    }
    q.sort = *key;
  }
  return q;
}

Result<catalog::ListQuery> ParseListQuery(const http::Request& req) {
  catalog::ListQuery q;
  q.limit = kDefaultLimit;
  if (auto v = req.Query("limit")) {
    KINORA_TRY(q.limit, ParseInt("limit", *v, 1, kMaxLimit));
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
  if (auto v = req.Query("flag"); v && !v->empty()) {
    const std::vector<std::string_view> codes = media::FlagCodes();
    if (std::find(codes.begin(), codes.end(), *v) == codes.end()) {
      std::string names;
      for (std::string_view c : codes) names += (names.empty() ? "" : ", ") + std::string(c);
      return InvalidArgument("'flag' must be one of " + names);
    }
    q.flag = *v;
  }
  return q;
}

Analytics::Analytics(catalog::Catalog& catalog, const videos::Presenter& presenter,
                     metrics::Registry& metrics, AnalyticsOptions options)
    : catalog_(catalog),
      presenter_(presenter),
      options_(options),
      views_(metrics.AddCounter("kinora_views_total", "Views counted.").With()),
      likes_(metrics.AddCounter("kinora_likes_total", "Likes counted.").With()),
      kept_pages_(metrics
                      .AddCounter("kinora_listing_pages_kept_total",
                                  "Listing pages answered as kept from an identical request.")
                      .With()),
      listing_cache_(options_.listing_cache_bytes, options_.listing_cache_max_age) {}

void Analytics::Register(http::Router& router, const std::string& prefix) {
  using http::Verb;
  router.Add(Verb::get, prefix + "/videos", [this](http::Request& r) { return List(r); });
  router.Add(Verb::get, prefix + "/video/{id}", [this](http::Request& r) { return Get(r); });
  router.Add(Verb::get, prefix + "/stats", [this](http::Request& r) { return Stats(r); });
  router.Add(Verb::post, prefix + "/view/{id}", [this](http::Request& r) { return View(r); });
  router.Add(Verb::post, prefix + "/like/{id}", [this](http::Request& r) { return Like(r); });
  router.Add(Verb::delete_, prefix + "/like/{id}", [this](http::Request& r) { return Like(r); });
}

Response Analytics::List(http::Request& req) {
  auto q = ParseListQuery(req);
  if (!q) return http::ProblemFrom(q.error());
  LimitToAudience(req.principal, *q);
  if (auto mine = req.Query("mine"); mine && (*mine == "true" || *mine == "1")) {
    if (!req.principal.signed_in()) {
      return http::ProblemFrom(Unauthenticated("sign in to list your own videos"));
    }
    q->owner_id = req.principal.caller.user_id;
  }
  // The same query, by the same audience, answered since the catalog last changed (and within
  // the same signing steps) is the same text: sent as kept (ListingCache).
  const std::string version = catalog_.ListVersion();
  // Read before the steps: a step turning in between leaves it early, never late.
  const int64_t same_until = presenter_.StepsUntil();
  const int64_t public_until = presenter_.ExpiresFor("public");
  const int64_t other_until = presenter_.ExpiresFor("private");
  ListingCache::Claim claim;  // when set, this request reads the page for the others
  if (!version.empty()) {
    auto found = listing_cache_.Find(ListingCache::KeyOf(*q), version, public_until, other_until);
    if (found.page) {
      kept_pages_.Inc();
      Response r = PageHead(req, found.page->tag);
      if (r.status == Status::ok) r.body = found.page->body;
      SayHowLongItHolds(req, r, same_until);
      return r;
    }
    claim = std::move(found.claim);
  }
  // A page of 50 is the API's hottest path: videos rendered before (and unchanged since) are
  // not read whole, only copied (Presenter::Kept); the rest are rendered straight to text.
  struct Asked {
    size_t id_at = 0, id_size = 0;            // the video_id in asked_ids
    std::shared_ptr<const std::string> text;  // null: not kept, the page has the whole row
  };
  std::vector<Asked> asked;  // every row asked about, in order (the page's rows are among them)
  std::string asked_ids;     // their ids, one after another (one allocation, not one a row)
  asked.reserve(static_cast<size_t>(q->limit));
  asked_ids.reserve(static_cast<size_t>(q->limit) * 40);
  q->known = [&](const catalog::RowHead& head) {
    asked.push_back(Asked{asked_ids.size(), head.video_id.size(), presenter_.Kept(head)});
    asked_ids += head.video_id;
    return asked.back().text != nullptr;
  };
  const auto asked_id = [&](size_t a) {
    return std::string_view(asked_ids).substr(asked[a].id_at, asked[a].id_size);
  };
  const auto made = std::chrono::steady_clock::now();
  auto page = catalog_.List(*q);
  if (!page) return http::ProblemFrom(page.error());
  // A page whose rows, total and cursor are unchanged (within a signing step) is the same text:
  // a client revalidating it (If-None-Match, as browsers do under no-cache) gets a 304.
  const std::string next = page->next_cursor.value_or("");
  const std::string tag =
      presenter_.ListTag(page->videos, std::to_string(page->total) + "\n" + next);
  // The page still matters to the others when this request only revalidates it.
  const std::string_view asked_for = req.Header(http::bhttp::field::if_none_match);
  if (!claim && !tag.empty() && !asked_for.empty() && http::EtagMatches(asked_for, tag)) {
    return PageHead(req, tag);
  }
  std::string out;
  out.reserve(2560 * page->videos.size() + 128);
  out += "{\"count\":" + std::to_string(page->videos.size()) + ",\"videos\":[";
  size_t a = 0;
  for (size_t i = 0; i < page->videos.size(); ++i) {
    const catalog::VideoRecord& v = page->videos[i];
    if (i > 0) out.push_back(',');
    while (a < asked.size() && asked_id(a) != v.video_id) ++a;
    if (a < asked.size() && asked[a].text) {
      out += *asked[a].text;
    } else {
      presenter_.AppendJson(out, v);
    }
  }
  out += "],\"total\":" + std::to_string(page->total) + ",\"next_cursor\":";
  if (page->next_cursor)
    AppendJsonString(out, *page->next_cursor);
  else
    out += "null";
  out.push_back('}');
  // Kept only when signed within the steps read above (a step that turned during the List
  // would leave the kept page's URLs a step behind its key).
  const bool same_steps = presenter_.ExpiresFor("public") == public_until &&
                          presenter_.ExpiresFor("private") == other_until;
  std::shared_ptr<const ListingCache::Page> sent;
  if (claim && same_steps) {
    sent = std::make_shared<const ListingCache::Page>(
        ListingCache::Page{version, public_until, other_until, made, tag, std::move(out)});
    claim.Keep(sent);
  }
  Response r = PageHead(req, tag);
  if (r.status == Status::ok) r.body = sent ? sent->body : std::move(out);
  if (same_steps && !tag.empty()) SayHowLongItHolds(req, r, same_until);
  return r;
}

void Analytics::SayHowLongItHolds(const http::Request& req, Response& r, int64_t same_until) {
  if (r.status != Status::ok || req.headers.find(http::kEdgeKeeps) == req.headers.end()) return;
  r.headers.set(http::kSameUntil, std::to_string(same_until));
}

Response Analytics::PageHead(const http::Request& req, const std::string& tag) {
  Response r;
  // private: a signed-in caller's page holds videos others may not see.
  r.Set(http::bhttp::field::cache_control, "private, no-cache");
  if (!tag.empty()) {
    r.Set(http::bhttp::field::etag, tag);
    const std::string_view asked_for = req.Header(http::bhttp::field::if_none_match);
    if (!asked_for.empty() && http::EtagMatches(asked_for, tag)) {
      r.status = http::Status::not_modified;
      return r;
    }
  }
  r.Set(http::bhttp::field::content_type, "application/json");
  return r;
}

Response Analytics::Get(http::Request& req) {
  auto v = Watchable(catalog_, req, req.path_params["id"]);
  if (!v) return http::ProblemFrom(v.error());
  json::object out = presenter_.Json(*v);
  if (std::string board = presenter_.StoryboardUrl(*v); !board.empty()) {
    out["storyboard_url"] = board;
  }
  const identity::Principal& p = req.principal;
  bool liked = false;
  if (p.signed_in()) {
    if (auto l = catalog_.Likes(v->video_id, p.caller.user_id)) liked = *l;
  }
  out["liked"] = liked;
  out["can_edit"] = identity::CanEdit(p.caller, v->owner_id);
  Response r = http::Json(out);
  if (v->visibility != "public") r.Set(http::bhttp::field::cache_control, "private, no-store");
  return r;
}

Response Analytics::Stats(http::Request& req) {
  const identity::Principal& p = req.principal;
  catalog::StatsScope scope;
  std::string scope_name = req.Query("scope").value_or(p.signed_in() ? "mine" : "public");
  if (scope_name == "public") {
    scope.kind = catalog::StatsScope::kPublic;
  } else if (scope_name == "mine") {
    if (!p.signed_in()) return http::ProblemFrom(Unauthenticated("sign in to see your own stats"));
    scope.kind = catalog::StatsScope::kOwner;
    scope.owner_id = p.caller.user_id;
  } else if (scope_name == "all") {
    if (!p.Has(identity::Right::kSeeAnyVideo)) {
      return http::ProblemFrom(
          PermissionDenied("site-wide stats are for moderators and administrators"));
    }
    scope.kind = catalog::StatsScope::kAll;
  } else {
    return http::ProblemFrom(InvalidArgument("'scope' must be public, mine or all"));
  }
  // The seed's part: the videos of the scope, as its /stats listed them.
  auto items_query = ParseStatsItemsQuery(req);
  if (!items_query) return http::ProblemFrom(items_query.error());
  catalog::ListQuery& q = *items_query;
  if (scope.kind == catalog::StatsScope::kOwner) {
    q.audience = catalog::Audience::kSignedIn;
    q.viewer_id = p.caller.user_id;
    q.owner_id = p.caller.user_id;
  } else {
    q.audience = scope.kind == catalog::StatsScope::kAll ? catalog::Audience::kEveryone
                                                         : catalog::Audience::kAnonymous;
  }
  auto page = catalog_.List(q);
  if (!page) return http::ProblemFrom(page.error());
  Response r;
  if (scope.kind == catalog::StatsScope::kOwner) {
    auto s = catalog_.Stats(scope);
    if (!s) return http::ProblemFrom(s.error());
    r.body = StatsText(*s, scope_name);
  } else {
    // The site-wide and public aggregates are shared by every caller: cached, briefly.
    std::lock_guard lock(stats_mu_);
    auto now = std::chrono::steady_clock::now();
    CachedStats& cache = scope.kind == catalog::StatsScope::kAll ? all_stats_ : public_stats_;
    if (!cache.body || now - cache.at >= options_.stats_max_age) {
      auto s = catalog_.Stats(scope);
      if (!s) return http::ProblemFrom(s.error());
      cache.body = StatsText(*s, scope_name);
      cache.at = now;
    }
    r.body = *cache.body;
  }
  AppendStatsItems(r.body, page->videos, req.Query("sort_by").value_or("timestamp"));
  r.Set(http::bhttp::field::content_type, "application/json");
  return r;
}

void Analytics::AppendStatsItems(std::string& body, const std::vector<catalog::VideoRecord>& videos,
                                 std::string_view sort_by) const {
  // body is the aggregates' object: its closing brace makes way for the seed's fields.
  body.pop_back();
  body += ",\"count\":" + std::to_string(videos.size()) + ",\"sort_by\":";
  AppendJsonString(body, sort_by);
  body += ",\"items\":[";
  for (size_t i = 0; i < videos.size(); ++i) {
    if (i > 0) body.push_back(',');
    body += ToJsonText(StatsItem(videos[i]));
  }
  body += "]}";
}

json::object Analytics::StatsItem(const catalog::VideoRecord& v) const {
  // The seed's /stats item, its fields taken from the video's own document so both agree.
  const json::object full = presenter_.Json(v);
  json::object item;
  for (std::string_view k : {"video_id", "status", "views", "likes", "engagement", "timestamp",
                             "s3_bucket", "s3_key", "processed_url"}) {
    item[k] = full.at(k);
  }
  return item;
}

std::string Analytics::StatsText(const catalog::CatalogStats& stats,
                                 const std::string& scope_name) const {
  {
    const catalog::CatalogStats* s = &stats;
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
        {"scope", scope_name},
    };
    return ToJsonText(out);
  }
}

// Counts at most once per viewer per video per hour (options_.count_view); a repeat answers
// the same shape with the count unchanged and "counted": false.
Response Analytics::View(http::Request& req) {
  const std::string& id = req.path_params["id"];
  auto v = Watchable(catalog_, req, id);
  if (!v) return http::ProblemFrom(v.error());
  bool counts = true;
  if (options_.count_view) {
    auto gate = options_.count_view(req, id);
    if (!gate) return http::ProblemFrom(gate.error());
    counts = *gate;
  }
  int64_t views = v->views;
  if (counts) {
    auto n = catalog_.IncrementViews(id);
    if (!n) return http::ProblemFrom(n.error());
    views = *n;
    views_.Inc();
  }
  return http::Json(json::object{
      {"status", "view_recorded"}, {"video_id", id}, {"views", views}, {"counted", counts}});
}

// POST likes, DELETE takes the like back; one like per user and video, so repeating either is
// harmless.
Response Analytics::Like(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (auto v = Watchable(catalog_, req, id); !v) return http::ProblemFrom(v.error());
  const std::string& user = req.principal.caller.user_id;
  const bool like = req.method != http::Verb::delete_;
  auto r = like ? catalog_.Like(id, user) : catalog_.Unlike(id, user);
  if (!r) return http::ProblemFrom(r.error());
  if (like) likes_.Inc();
  return http::Json(json::object{{"status", like ? "like_recorded" : "like_removed"},
                                 {"video_id", id},
                                 {"likes", r->likes},
                                 {"liked", r->liked}});
}

}  // namespace kinora::analytics
