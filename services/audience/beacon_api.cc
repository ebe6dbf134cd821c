#include "kinora/audience/beacon_api.h"

#include <boost/json.hpp>
#include <chrono>

#include "kinora/audience/beacon.h"
#include "kinora/audience/session_rules.h"
#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/http/problem.h"
#include "kinora/identity/rights.h"

namespace kinora::audience {
namespace {

namespace json = boost::json;
using http::Response;

constexpr size_t kMaxUserAgentChars = 512;
constexpr size_t kMaxCachedDimensions = 50'000;

std::string_view Header(const http::Request& req, std::string_view name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string_view() : std::string_view(it->value());
}

std::string_view UserAgent(const http::Request& req) {
  std::string_view ua = req.Header(http::bhttp::field::user_agent);
  return ua.substr(0, kMaxUserAgentChars);
}

// application/json or text/plain (navigator.sendBeacon with a string), parameters allowed.
bool AcceptedType(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  std::string lower(t);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower == "application/json" || lower == "text/plain";
}

constexpr size_t kMaxCachedVideos = 10'000;

// The video when the caller may watch it; unknown and forbidden videos are the same 404.
Result<VideoFacts> Watchable(VideoFactsCache& videos, const http::Request& req,
                             const std::string& id, int64_t now_ms) {
  auto v = videos.Get(id, now_ms);
  if (!v) {
    if (v.error().code == ErrorCode::kNotFound) return NotFound("video not found: " + id);
    return v.error();
  }
  const auto visibility = identity::ParseVisibility(v->visibility);
  if (!visibility || !identity::CanWatch(req.principal.caller, v->owner_id, *visibility))
    return NotFound("video not found: " + id);
  return std::move(*v);
}

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BeaconApi::BeaconApi(AudienceStore& store, catalog::Catalog& catalog, metrics::Registry& metrics,
                     BeaconApiOptions options)
    : store_(store),
      catalog_(catalog),
      options_(std::move(options)),
      videos_(catalog, options_.video_facts_ttl, kMaxCachedVideos),
      limiter_(std::make_unique<http::RateLimiter>(options_.rate)),
      batches_(metrics.AddCounter("kinora_audience_beacons_total",
                                  "Beacon batches received, by outcome.", {"outcome"})),
      events_(metrics.AddCounter("kinora_audience_events_total", "Beacon events stored.").With()),
      counted_(metrics
                   .AddCounter("kinora_audience_views_counted_total",
                               "Qualified views counted in the videos' views.")
                   .With()) {
  if (!options_.dimensions) options_.dimensions = DefaultDimensionResolver();
}

void BeaconApi::Register(http::Router& router, const std::string& prefix) {
  http::RouteOptions o;
  o.body_limit = kMaxBeaconBytes;
  router.Add(
      http::Verb::post, prefix + "/beacon", [this](http::Request& r) { return Beacon(r); }, o);
}

int64_t BeaconApi::Now() const { return options_.now_ms ? options_.now_ms() : SystemNowMs(); }

Dimensions BeaconApi::DimensionsOf(std::string_view ua, std::string_view client) {
  std::string key(client);
  key += '\n';
  key += ua;
  {
    std::lock_guard lock(dims_mu_);
    if (auto it = dims_cache_.find(key); it != dims_cache_.end()) return it->second;
  }
  Dimensions d = options_.dimensions(ua, client);
  std::lock_guard lock(dims_mu_);
  if (dims_cache_.size() >= kMaxCachedDimensions) dims_cache_.clear();
  dims_cache_.emplace(std::move(key), d);
  return d;
}

Result<BeaconApi::Keys> BeaconApi::KeysFor(const http::Request& req, std::string_view video_id,
                                           int64_t now_ms, bool opted_out) {
  KINORA_TRY(std::string salt, store_.SaltFor(RollupDay(now_ms)));
  const std::string_view ua = UserAgent(req);
  Keys k;
  k.hour = RollupHour(now_ms);
  if (!opted_out) k.viewer_key = ViewerKey(salt, req.client, ua);
  k.dedupe_key = DedupeKey(salt, req.client, ua, video_id, k.hour);
  return k;
}

Response BeaconApi::Beacon(http::Request& req) {
  auto refuse = [&](const Error& e, std::string_view outcome) {
    batches_.With({std::string(outcome)}).Inc();
    return http::ProblemFrom(e);
  };
  if (!AcceptedType(req.Header(http::bhttp::field::content_type))) {
    return refuse(UnsupportedMediaType("a beacon is application/json or text/plain"), "invalid");
  }
  if (options_.rate_limit) {
    std::string key(req.client);
    key += '\n';
    key += UserAgent(req);
    auto d = limiter_->Take(key, http::RateLimiter::Clock::now());
    if (!d.allowed) {
      batches_.With({"limited"}).Inc();
      return http::TooManyRequests(
          d.retry_after_seconds,
          "too many beacons; try again in " + std::to_string(d.retry_after_seconds) + " s");
    }
  }
  auto beacon = ParseBeacon(req.body);
  if (!beacon) return refuse(beacon.error(), "invalid");
  const int64_t now = Now();
  auto video = Watchable(videos_, req, beacon->video_id, now);
  if (!video) return refuse(video.error(), "not_found");

  const bool opted_out = OptedOut(Header(req, "DNT"), Header(req, "Sec-GPC"));
  auto keys = KeysFor(req, beacon->video_id, now, opted_out);
  if (!keys) return refuse(keys.error(), "error");
  const Dimensions dims = DimensionsOf(UserAgent(req), req.client);

  IngestBatch batch;
  batch.viewer.viewer_key = keys->viewer_key;
  batch.viewer.dnt = opted_out;
  batch.viewer.bot = dims.bot;
  batch.viewer.owner = req.principal.signed_in() && !video->owner_id.empty() &&
                       req.principal.caller.user_id == video->owner_id;
  batch.viewer.country = dims.country;
  batch.viewer.device = dims.device;
  batch.viewer.browser = dims.browser;
  batch.viewer.os = dims.os;
  batch.catalog_duration_ms = video->duration_ms;
  batch.dedupe_key = keys->dedupe_key;
  batch.dedupe_hour = keys->hour;
  batch.beacon = std::move(*beacon);

  auto r = store_.Ingest(batch, now);
  if (!r) {
    const std::string_view outcome =
        r.error().code == ErrorCode::kInvalidArgument ? "invalid" : "error";
    return refuse(r.error(), outcome);
  }
  if (r->counted) {
    if (auto n = catalog_.IncrementViews(batch.beacon.video_id); !n) {
      log::Error("a counted view did not reach the catalog",
                 {{"video_id", batch.beacon.video_id}, {"error", n.error().message}});
    } else {
      counted_.Inc();
    }
  }
  batches_.With({r->replay ? "replay" : "accepted"}).Inc();
  events_.Inc(static_cast<double>(r->accepted));
  return http::Json(http::Status::accepted, json::object{{"accepted", r->accepted}});
}

Result<bool> BeaconApi::ClaimLegacyView(const http::Request& req, std::string_view video_id) {
  const int64_t now = Now();
  KINORA_TRY(Keys k, KeysFor(req, video_id, now, /*opted_out=*/true));
  return store_.ClaimDedupe(k.dedupe_key, k.hour);
}

}  // namespace kinora::audience
