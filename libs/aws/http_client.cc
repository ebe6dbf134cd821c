#include "kinora/aws/http_client.h"

#include <curl/curl.h>
#include <strings.h>

#include <mutex>
#include <vector>

namespace kinora::aws {

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

void EnsureCurlGlobal() { static CurlGlobal once; }

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct Exchange {
  const HttpRequest* req = nullptr;
  size_t sent = 0;
  HttpResponse resp;
};

size_t OnBody(char* ptr, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  ex->resp.body.append(ptr, size * n);
  return size * n;
}

size_t OnHeader(char* ptr, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(ptr, size * n);
  if (line.starts_with("HTTP/")) {
    ex->resp.headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  ex->resp.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return size * n;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::string_view body = ex->req->body;
  const size_t len = std::min(size * n, body.size() - ex->sent);
  std::copy_n(body.data() + ex->sent, len, buf);
  ex->sent += len;
  return len;
}

int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* ex = static_cast<Exchange*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > ex->req->body.size()) {
    return CURL_SEEKFUNC_FAIL;
  }
  ex->sent = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel->load() ? 1 : 0;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return {};
}

struct HttpClient::Pool {
  std::mutex mu;
  std::vector<Easy> idle;
};

HttpClient::HttpClient(HttpClientOptions opts) : pool_(std::make_unique<Pool>()), opts_(opts) {
  EnsureCurlGlobal();
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::Send(const HttpRequest& req) {
  Easy easy;
  {
    std::lock_guard lock(pool_->mu);
    if (!pool_->idle.empty()) {
      easy = std::move(pool_->idle.back());
      pool_->idle.pop_back();
    }
  }
  if (easy) {
    curl_easy_reset(easy.get());  // keeps the connection cache
  } else {
    easy.reset(curl_easy_init());
    if (!easy) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  }
  CURL* c = easy.get();
  Exchange ex;
  ex.req = &req;

  curl_slist* list = nullptr;
  for (const auto& [k, v] : req.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    const std::string line = v.empty() ? k + ";" : k + ": " + v;
    list = curl_slist_append(list, line.c_str());
  }
  // No "Expect: 100-continue" round trip: peers answer errors at once anyway.
  list = curl_slist_append(list, "Expect:");
  Slist headers(list);
  if (!headers) return MakeError(ErrorCode::kInternal, "curl_slist_append failed");

  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opts_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, opts_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, opts_.verify_tls ? 2L : 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (req.cancel) {
    if (req.cancel->load()) return MakeError(ErrorCode::kCancelled, req.method + " cancelled");
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(req.cancel));
  }

  if (req.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    // Every other method sends req.body (possibly empty) with a Content-Length.
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(c, CURLOPT_READDATA, &ex);
    curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, OnSeek);
    curl_easy_setopt(c, CURLOPT_SEEKDATA, &ex);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    return MakeError(ErrorCode::kCancelled,
                     req.method + " " + req.url.substr(0, req.url.find('?')) + ": cancelled");
  }
  if (rc != CURLE_OK) {
    // The handle may hold a broken connection; drop it rather than pool it.
    return MakeError(
        ErrorCode::kUnavailable,
        req.method + " " + req.url.substr(0, req.url.find('?')) + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex.resp.status);
  {
    std::lock_guard lock(pool_->mu);
    if (pool_->idle.size() < opts_.max_idle_handles) pool_->idle.push_back(std::move(easy));
  }
  return std::move(ex.resp);
}

}  // namespace kinora::aws
