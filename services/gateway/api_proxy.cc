#include "kinora/gateway/api_proxy.h"

#include "kinora/http/problem.h"

namespace kinora::gateway {

namespace {

// Ordinary API calls get 15 s in all; uploads only an idle timeout (ARCHITECTURE.md §2).
http::ProxyOptions WithTotal(http::ProxyOptions o) {
  if (!o.total_timeout) o.total_timeout = std::chrono::seconds(15);
  return o;
}

}  // namespace

ApiProxy::ApiProxy(http::Upstream uploader, http::Upstream analytics, ApiProxyOptions options)
    : options_(options),
      uploader_(std::make_unique<http::ReverseProxy>(std::move(uploader), options.proxy)),
      analytics_(
          std::make_unique<http::ReverseProxy>(std::move(analytics), WithTotal(options.proxy))) {}

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
    router.AddStreaming(v, "/api/analytics/*", to(analytics_.get()), small);
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
