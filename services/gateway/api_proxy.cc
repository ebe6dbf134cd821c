#include "kinora/gateway/api_proxy.h"

#include <charconv>

#include "kinora/access/session_cookie.h"
#include "kinora/http/edge_pages.h"
#include "kinora/http/problem.h"

namespace kinora::gateway {

namespace {

// Ordinary API calls get 15 s in all; uploads only an idle timeout (ARCHITECTURE.md §2).
http::ProxyOptions WithTotal(http::ProxyOptions o) {
  if (!o.total_timeout) o.total_timeout = std::chrono::seconds(15);
  return o;
}

// The listing, the one page every anonymous visitor asks for alike.
constexpr std::string_view kListing = "/api/analytics/videos";

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Whether the request carries no credentials (the gateway does not authenticate proxied
// requests: the role behind does, from a bearer token or the session cookie, access::Guard).
bool WithoutCredentials(const http::Request& req) {
  if (req.headers.count(http::bhttp::field::authorization) > 0) return false;
  for (auto it = req.headers.find(http::bhttp::field::cookie);
       it != req.headers.end() && it->name() == http::bhttp::field::cookie; ++it) {
    if (access::SessionCookieValue(it->value())) return false;
  }
  return true;
}

// The service's http::kSameUntil, removed from its answer; 0 when it said nothing (or nonsense).
int64_t TakeSameUntil(http::Response& r) {
  auto it = r.headers.find(http::kSameUntil);
  if (it == r.headers.end()) return 0;
  const std::string_view v = it->value();
  int64_t until = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), until);
  r.headers.erase(http::kSameUntil);
  return ec == std::errc() && end == v.data() + v.size() ? until : 0;
}

}  // namespace

ApiProxy::ApiProxy(http::Upstream uploader, http::Upstream analytics, ApiProxyOptions options,
                   catalog::Catalog* catalog, metrics::Registry& metrics,
                   ListVersionReader versions)
    : options_(options),
      uploader_(std::make_unique<http::ReverseProxy>(std::move(uploader), options.proxy)),
      analytics_(
          std::make_unique<http::ReverseProxy>(std::move(analytics), WithTotal(options.proxy))),
      catalog_(catalog),
      versions_(std::move(versions)),
      kept_answers_(metrics
                        .AddCounter("kinora_gateway_listing_pages_kept_total",
                                    "Anonymous listing pages the gateway answered as kept.")
                        .With()),
      kept_(options.kept_listing_bytes,
            catalog ? options.kept_listing_max_age : std::chrono::milliseconds(0)) {}

boost::asio::awaitable<http::Response> ApiProxy::ToAnalytics(http::Request& req,
                                                             http::BodyReader& body) {
  if (req.method != http::Verb::get || req.path != kListing || !WithoutCredentials(req) ||
      !kept_.enabled()) {
    co_return co_await analytics_->Forward(req, &body);
  }
  // Read before the page is asked for: a commit after this read, by anyone, changes it.
  // (Not a conditional expression: g++ 12 destroys a co_await's temporaries in one twice.)
  std::string version;
  if (versions_) {
    version = co_await versions_();
  } else {
    version = catalog_->ListVersion();
  }
  const auto made = std::chrono::steady_clock::now();
  if (auto page = kept_.Find(req.target, version, UnixNow(), made)) {
    kept_answers_.Inc();
    co_return AnswerFromKept(req, *page);
  }
  req.headers.set(http::kEdgeKeeps, "1");
  http::Response r = co_await analytics_->Forward(req, &body);
  const int64_t same_until = TakeSameUntil(r);
  const std::string_view tag = r.headers[http::bhttp::field::etag];
  if (r.status == http::Status::ok && !r.stream && same_until > 0 && !tag.empty() &&
      !version.empty()) {
    auto page = std::make_shared<KeptListings::Page>();
    page->version = version;
    page->same_until = same_until;
    page->made = made;
    page->tag = std::string(tag);
    // What the service's page head says (Analytics::PageHead), not what another caller's
    // request drew from it (CORS, correlation id).
    for (auto f : {http::bhttp::field::etag, http::bhttp::field::cache_control,
                   http::bhttp::field::content_type}) {
      if (auto v = r.headers[f]; !v.empty()) page->headers.set(f, v);
    }
    page->body = r.body;
    kept_.Keep(req.target, std::move(page));
  }
  co_return r;
}

void ApiProxy::Register(http::Router& router) {
  using http::Verb;
  // The uploader checks the exact limit while streaming; the gateway only stops what could
  // never pass (the file plus a generous multipart envelope).
  const http::RouteOptions upload{.body_limit = options_.max_upload_bytes + (1 << 20)};
  const http::RouteOptions small{.body_limit = 1 << 20};
  auto to = [](http::ReverseProxy* p) {
    return [p](http::Request& req, http::BodyReader& body) { return p->Forward(req, &body); };
  };
  http::RouteOptions counted = upload;  // a POST to the uploader is an upload (edge caps)
  counted.upload = true;
  for (Verb v : {Verb::get, Verb::post, Verb::put, Verb::patch, Verb::delete_}) {
    router.AddStreaming(v, "/api/uploader/*", to(uploader_.get()),
                        v == Verb::post ? counted : upload);
    router.AddStreaming(
        v, "/api/analytics/*",
        [this](http::Request& req, http::BodyReader& body) { return ToAnalytics(req, body); },
        small);
  }
  router.AddStreaming(Verb::post, "/api/upload", to(uploader_.get()), counted);
  // Resumable uploads (docs/uploads.md): a creation may carry data, a PATCH is a chunk.
  router.AddStreaming(Verb::options, "/api/uploads", to(uploader_.get()), small);
  router.AddStreaming(Verb::post, "/api/uploads", to(uploader_.get()), counted);
  router.AddStreaming(Verb::options, "/api/uploads/*", to(uploader_.get()), small);
  // A tus HEAD while the uploader is down (a restart, a rolling deploy): tus-js-client starts a
  // new upload on any non-2xx answer but 423, so the gateway says "locked, retry" instead of
  // 502/503 and the client resumes its own upload once the uploader is back.
  router.AddStreaming(
      Verb::get, "/api/uploads/*",
      [p = uploader_.get()](http::Request& req,
                            http::BodyReader& body) -> boost::asio::awaitable<http::Response> {
        http::Response r = co_await p->Forward(req, &body);
        const int status = static_cast<int>(r.status);
        if (req.method == Verb::head && status >= 502 && status <= 504) {
          http::Response locked = http::Problem(
              http::Status::locked, "the uploader is not reachable right now; retry shortly");
          locked.headers.set(http::bhttp::field::retry_after, "2");
          locked.headers.set("Tus-Resumable", "1.0.0");
          co_return locked;
        }
        co_return r;
      },
      small);
  router.AddStreaming(Verb::patch, "/api/uploads/*", to(uploader_.get()), counted);
  router.AddStreaming(Verb::delete_, "/api/uploads/*", to(uploader_.get()), small);
  // Direct-to-S3 uploads (/api/uploads/s3/multipart...): small JSON, the bytes go to the bucket.
  router.AddStreaming(Verb::post, "/api/uploads/*", to(uploader_.get()), small);
}

}  // namespace kinora::gateway
