#include "kinora/gateway/gateway.h"

#include <boost/json.hpp>
#include <charconv>

#include "kinora/core/public_text.h"
#include "kinora/gateway/playlist_signing.h"
#include "kinora/gateway/static_files.h"
#include "kinora/gateway/storyboard_signing.h"
#include "kinora/http/entity.h"
#include "kinora/http/problem.h"
#include "kinora/videos/keys.h"

namespace kinora::gateway {
namespace {

namespace json = boost::json;
using http::Response;
using http::Status;

// What / says when the binary found no built web app: how to get one. The API works anyway.
Response NoWebApp() {
  Response r;
  r.status = Status::not_found;
  r.body = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kinora: the web app is not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>Kinora is running, but its web app is not built</h1>
<p>The API answers under <a href="/api/analytics/videos">/api/</a>. To get the web app, build it
from the source tree and start Kinora again:</p>
<pre>bash scripts/build_web.sh      # web/ &rarr; web/dist
kinora serve                   # finds web/dist of the tree it was built from</pre>
<p>Or point <code>KINORA_WEB_DIR</code> (<code>--web-dir</code>) at a built copy. An installed
<code>kinora</code> also looks in <code>&lt;prefix&gt;/share/kinora/web</code> and in a
<code>web</code> directory beside the binary.</p>
</body></html>
)";
  r.Set(http::bhttp::field::content_type, "text/html; charset=utf-8");
  r.Set(http::bhttp::field::cache_control, "no-cache");
  return r;
}

}  // namespace

Gateway::Gateway(storage::ObjectStore& store, catalog::Catalog* catalog,
                 const http::UrlSigner& signer, metrics::Registry& metrics,
                 std::vector<ReadyCheck> checks, GatewayOptions options)
    : store_(store),
      catalog_(catalog),
      signer_(signer),
      metrics_(metrics),
      checks_(std::move(checks)),
      options_(std::move(options)) {}

void Gateway::RegisterOps(http::Router& router) {
  using http::Verb;
  router.Add(Verb::get, "/health", [this](http::Request& r) { return Health(r); });
  router.Add(Verb::get, "/ready", [this](http::Request& r) { return Ready(r); });
  router.Add(Verb::get, "/metrics", [this](http::Request& r) { return Metrics(r); });
}

void Gateway::RegisterWeb(http::Router& router) {
  using http::Verb;
  router.Add(Verb::get, "/media/*", [this](http::Request& r) { return Media(r); });
  router.SetFallback([this](http::Request& r) { return Static(r); });
}

Response Gateway::Health(http::Request&) {
  return http::Json(json::object{{"status", "ok"}, {"role", options_.role}});
}

Response Gateway::Ready(http::Request&) {
  json::object checks;
  std::string failed;
  for (const auto& [name, check] : checks_) {
    auto r = check();
    checks[name] = r ? std::string("ok") : WithoutServerPaths(r.error().message);
    if (!r) failed += (failed.empty() ? "" : ", ") + name;
  }
  if (!failed.empty()) {
    return http::ProblemFrom(Unavailable("not ready: " + failed + " unavailable"),
                             json::object{{"checks", std::move(checks)}});
  }
  return http::Json(json::object{{"status", "ready"}, {"checks", std::move(checks)}});
}

Response Gateway::Metrics(http::Request&) {
  Response r;
  r.body = metrics_.Render();
  r.Set(http::bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  r.Set(http::bhttp::field::cache_control, "no-store");
  return r;
}

Response Gateway::Media(http::Request& req) {
  const std::string& key = req.path_params["*"];
  // Only a video's media is served, and only while the URL's generation is the video's: a
  // deleted video, or one whose visibility changed, no longer answers to URLs handed out before.
  const std::optional<std::string> video_id = videos::VideoIdOfMediaKey(key);
  // A key of no video cannot carry a valid signature: the same 403 as any altered URL.
  const Error invalid = PermissionDenied("the URL signature is not valid");
  if (!video_id || !storage::ValidateKey(key) || !catalog_) return http::ProblemFrom(invalid);
  auto video = catalog_->Get(*video_id);
  if (!video) {
    return http::ProblemFrom(video.error().code == ErrorCode::kNotFound ? invalid : video.error());
  }
  const int64_t generation = video->media_generation;
  auto ok = signer_.Verify(key, req.Query("expires").value_or(""),
                           req.Query("signature").value_or(""), generation);
  if (!ok) return http::ProblemFrom(ok.error());
  auto head = store_.Head(key);
  if (!head) {
    return head.error().code == ErrorCode::kNotFound ? http::ProblemFrom(NotFound("no such media"))
                                                     : http::ProblemFrom(head.error());
  }
  if (key.ends_with(".m3u8")) return Playlist(req, key, generation);
  if (key.ends_with(".vtt")) return Storyboard(req, key, generation);
  http::EntityInfo info;
  info.size = head->size;
  info.etag = head->etag;
  info.content_type = head->content_type;
  info.last_modified = head->last_modified;
  info.cache_control = "private, max-age=3600";
  return http::ServeEntity(
      req, info, [&](uint64_t first, uint64_t last) -> Result<http::StreamBody> {
        KINORA_TRY(auto reader, store_.Get(key, storage::ByteRange{first, last}));
        std::shared_ptr<storage::ObjectReader> shared = std::move(reader);
        return http::StreamBody{last - first + 1,
                                [shared](std::span<char> buf) { return shared->Read(buf); }};
      });
}

// Playlists are rewritten so every URI inside carries a signature (see playlist_signing.h).
Response Gateway::Playlist(http::Request& req, const std::string& key, int64_t generation) {
  auto text = storage::GetBytes(store_, key, 4 << 20);
  if (!text) return http::ProblemFrom(text.error());
  int64_t expires = 0;
  const std::string exp = req.Query("expires").value_or("0");
  std::from_chars(exp.data(), exp.data() + exp.size(), expires);
  Response r;
  // Segments through /media/ too (never presigned store URLs, which could not be revoked).
  r.body = SignPlaylist(*text, key, signer_, expires, {}, generation);
  r.Set(http::bhttp::field::content_type, "application/vnd.apple.mpegurl");
  r.Set(http::bhttp::field::cache_control, "private, no-cache");
  return r;
}

// Storyboard tracks likewise: every sprite URI inside carries a signature (storyboard_signing.h).
Response Gateway::Storyboard(http::Request& req, const std::string& key, int64_t generation) {
  auto text = storage::GetBytes(store_, key, 4 << 20);
  if (!text) return http::ProblemFrom(text.error());
  int64_t expires = 0;
  const std::string exp = req.Query("expires").value_or("0");
  std::from_chars(exp.data(), exp.data() + exp.size(), expires);
  Response r;
  r.body = SignStoryboard(*text, key, signer_, expires, generation);
  r.Set(http::bhttp::field::content_type, "text/vtt; charset=utf-8");
  r.Set(http::bhttp::field::cache_control, "private, no-cache");
  return r;
}

Response Gateway::Static(http::Request& req) {
  bool api = req.path == "/api" || req.path.rfind("/api/", 0) == 0;
  if (!api && options_.web_dir.empty() && (req.path == "/" || req.path == "/index.html")) {
    return NoWebApp();
  }
  if (api || options_.web_dir.empty()) {
    return http::ProblemFrom(NotFound("no such endpoint: " + req.path));
  }
  if (auto file = ResolveStatic(options_.web_dir, req.path)) {
    bool immutable = req.path.rfind("/assets/", 0) == 0;  // Vite's content-hashed files
    return ServeFile(req, *file, immutable);
  }
  // Client-side routes (/library, /watch/…) get the app shell; missing assets stay 404.
  if (req.path.rfind("/assets/", 0) == 0) {
    return http::ProblemFrom(NotFound("no such file: " + req.path));
  }
  if (auto index = ResolveStatic(options_.web_dir, "/index.html")) {
    return ServeFile(req, *index, false);
  }
  return http::ProblemFrom(NotFound("the web app has no index.html"));
}

}  // namespace kinora::gateway
