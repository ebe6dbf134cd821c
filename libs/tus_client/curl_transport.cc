#include <curl/curl.h>
#include <strings.h>

#include <algorithm>

#include "kinora/tus_client/transport.h"

namespace kinora::tus {

std::string Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return v;
  }
  return {};
}

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

constexpr long kUploadBuffer = 512 * 1024;  // libcurl's maximum is 2 MiB

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Exchange {
  const Request* req = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  uint64_t sent = 0;
  bool unreadable = false;  // read_body failed
  Response resp;
  uint64_t BodySize() const { return req->read_body ? req->body_size : req->body.size(); }
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
    ex->resp.headers.clear();  // a new response (after 100 Continue)
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
  const size_t len = static_cast<size_t>(std::min<uint64_t>(size * n, ex->BodySize() - ex->sent));
  if (ex->req->read_body) {
    if (!ex->req->read_body(ex->sent, std::span<char>(buf, len))) {
      ex->unreadable = true;
      return CURL_READFUNC_ABORT;
    }
  } else {
    std::copy_n(ex->req->body.data() + ex->sent, len, buf);
  }
  ex->sent += len;
  return len;
}

int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* ex = static_cast<Exchange*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > ex->BodySize()) {
    return CURL_SEEKFUNC_FAIL;
  }
  ex->sent = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->req->on_body_sent && ulnow > 0) ex->req->on_body_sent(static_cast<uint64_t>(ulnow));
  return ex->cancel && ex->cancel->load() ? 1 : 0;
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options) : options_(options) { static CurlGlobal once; }

  Result<Response> Send(const Request& req) override {
    if (options_.cancel && options_.cancel->load()) {
      return MakeError(ErrorCode::kCancelled, req.method + " cancelled");
    }
    if (easy_) {
      curl_easy_reset(easy_.get());  // keeps the connection cache
    } else {
      easy_.reset(curl_easy_init());
      if (!easy_) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
    }
    CURL* c = easy_.get();
    Exchange ex;
    ex.req = &req;
    ex.cancel = options_.cancel;

    curl_slist* list = nullptr;
    for (const auto& [k, v] : req.headers) {
      const std::string line = v.empty() ? k + ";" : k + ": " + v;
      list = curl_slist_append(list, line.c_str());
    }
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip per chunk
    std::unique_ptr<curl_slist, SlistDeleter> headers(list);
    if (!headers) return MakeError(ErrorCode::kInternal, "curl_slist_append failed");

    curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req.stall_timeout.count()));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &ex);

    if (req.method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (req.method == "GET") {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
      // POST, PATCH, DELETE: the body (possibly empty) with a Content-Length.
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(c, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(c, CURLOPT_READDATA, &ex);
      curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, OnSeek);
      curl_easy_setopt(c, CURLOPT_SEEKDATA, &ex);
      curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(ex.BodySize()));
      // Fewer, larger reads and sends than the 64 KiB default for a chunk of many MiB.
      curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, kUploadBuffer);
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }

    const CURLcode rc = curl_easy_perform(c);
    if (ex.unreadable) {
      easy_.reset();  // the request was cut short
      return MakeError(ErrorCode::kInternal,
                       req.method + " " + req.url + ": the body could not be read");
    }
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
      return MakeError(ErrorCode::kCancelled, req.method + " " + req.url + ": cancelled");
    }
    if (rc != CURLE_OK) {
      easy_.reset();  // may hold a broken connection
      return MakeError(ErrorCode::kUnavailable,
                       req.method + " " + req.url + ": " + curl_easy_strerror(rc));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex.resp.status);
    return std::move(ex.resp);
  }

 private:
  CurlOptions options_;
  std::unique_ptr<CURL, EasyDeleter> easy_;
};

}  // namespace

std::unique_ptr<Transport> NewCurlTransport(CurlOptions options) {
  return std::make_unique<CurlTransport>(options);
}

}  // namespace kinora::tus
