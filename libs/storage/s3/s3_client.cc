#include "s3_client.h"

#include <algorithm>
#include <boost/url.hpp>
#include <cctype>
#include <random>
#include <thread>

#include "kinora/aws/crypto.h"

namespace kinora::storage::s3 {

namespace {

bool Retryable(long status) { return status >= 500 || status == 429; }

std::chrono::milliseconds Backoff(std::chrono::milliseconds base, int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const auto cap = base * (1 << std::min(attempt, 6));
  std::uniform_int_distribution<int64_t> jitter(cap.count() / 2, cap.count());
  return std::chrono::milliseconds(jitter(rng));
}

// The text of the first <tag>…</tag> in xml (S3 error documents are small and flat).
std::string Element(const std::string& xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const size_t a = xml.find(open);
  if (a == std::string::npos) return {};
  const size_t b = xml.find(close, a + open.size());
  if (b == std::string::npos) return {};
  return xml.substr(a + open.size(), b - a - open.size());
}

}  // namespace

Client::Client(S3Config config) : config_(std::move(config)) {
  std::string endpoint = config_.endpoint;
  if (endpoint.empty()) endpoint = "https://s3." + config_.region + ".amazonaws.com";
  auto u = boost::urls::parse_uri(endpoint);
  if (u) {
    scheme_ = u->scheme();
    endpoint_host_ = u->encoded_host_and_port();
  } else {
    scheme_ = "https";
    endpoint_host_ = endpoint;
  }
  // As a browser writes the Host of a presigned URL (and so as it must be signed): lower case,
  // without the scheme's default port.
  auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  };
  lower(scheme_);
  lower(endpoint_host_);
  const std::string_view default_port = scheme_ == "https" ? ":443" : ":80";
  if (endpoint_host_.ends_with(default_port)) {
    endpoint_host_.resize(endpoint_host_.size() - default_port.size());
  }
}

std::string Client::StripPrefix(std::string_view full) const {
  if (full.starts_with(config_.prefix)) full.remove_prefix(config_.prefix.size());
  return std::string(full);
}

std::string Client::Describe() const {
  return "s3://" + config_.bucket + "/" + config_.prefix + " at " + scheme_ + "://" +
         endpoint_host_ + (config_.path_style ? " (path-style)" : " (virtual-hosted)");
}

std::string Client::Origin() const { return TargetFor("", true).url_base; }

Client::Target Client::TargetFor(std::string_view full_key, bool bucket_level) const {
  Target t;
  if (config_.path_style) {
    t.host = endpoint_host_;
    t.path = "/" + config_.bucket + (bucket_level ? "" : "/" + std::string(full_key));
  } else {
    t.host = config_.bucket + "." + endpoint_host_;
    t.path = "/" + std::string(full_key);
  }
  t.url_base = scheme_ + "://" + t.host;
  return t;
}

Result<aws::HttpResponse> Client::Send(const Call& call) {
  const bool bucket_level = call.key.empty();
  const Target t = TargetFor(FullKey(call.key), bucket_level);
  std::string url = t.url_base + aws::CanonicalUri(t.path, false);
  if (!call.query.empty()) url += "?" + aws::CanonicalQuery(call.query);
  // Over TLS the payload is protected in transit; over plain HTTP S3 wants it hashed.
  const std::string payload_hash =
      scheme_ == "https" ? "UNSIGNED-PAYLOAD" : aws::Sha256Hex(call.body);

  Error last = MakeError(ErrorCode::kUnavailable, "no attempt made");
  for (int attempt = 1; attempt <= std::max(1, config_.max_attempts); ++attempt) {
    aws::SignRequest sreq{.method = call.method,
                          .path = t.path,
                          .query = call.query,
                          .headers = call.headers,
                          .payload_hash = payload_hash};
    sreq.headers.emplace_back("Host", t.host);
    const aws::Signature sig =
        aws::SignWithHeaders(sreq, aws::CurrentCredentials(config_),
                             aws::SignOptions{.region = config_.region,
                                              .service = "s3",
                                              .time = std::chrono::system_clock::now(),
                                              .normalize_path = false,
                                              .sign_body = true});
    aws::HttpRequest hreq{
        .method = call.method, .url = url, .headers = call.headers, .body = call.body};
    hreq.headers.insert(hreq.headers.end(), sig.headers.begin(), sig.headers.end());
    auto resp = http_.Send(hreq);
    if (resp && !Retryable(resp->status)) return resp;
    if (resp) {
      last = ErrorFrom(*resp, call.method + " " + (call.key.empty() ? config_.bucket : call.key));
      if (attempt == config_.max_attempts) return resp;
    } else {
      last = resp.error();
    }
    if (attempt < config_.max_attempts) {
      std::this_thread::sleep_for(Backoff(config_.retry_base, attempt - 1));
    }
  }
  return Annotate(last, "after " + std::to_string(config_.max_attempts) + " attempts");
}

std::string Client::PresignGet(std::string_view key, std::chrono::seconds ttl) const {
  const Target t = TargetFor(FullKey(key), false);
  aws::SignRequest sreq{.method = "GET",
                        .path = t.path,
                        .query = {},
                        .headers = {{"Host", t.host}},
                        .payload_hash = "UNSIGNED-PAYLOAD"};
  const aws::Signature sig = aws::Presign(sreq, aws::CurrentCredentials(config_),
                                          aws::SignOptions{.region = config_.region,
                                                           .service = "s3",
                                                           .time = std::chrono::system_clock::now(),
                                                           .normalize_path = false},
                                          ttl);
  return t.url_base + aws::CanonicalUri(t.path, false) + "?" + aws::CanonicalQuery(sig.query);
}

std::string Client::Presign(std::string_view method, std::string_view key, const aws::Pairs& query,
                            std::chrono::seconds ttl) const {
  const Target t = TargetFor(FullKey(key), false);
  aws::SignRequest sreq{.method = std::string(method),
                        .path = t.path,
                        .query = query,
                        .headers = {{"Host", t.host}},
                        .payload_hash = "UNSIGNED-PAYLOAD"};
  const aws::Signature sig = aws::Presign(sreq, aws::CurrentCredentials(config_),
                                          aws::SignOptions{.region = config_.region,
                                                           .service = "s3",
                                                           .time = std::chrono::system_clock::now(),
                                                           .normalize_path = false},
                                          ttl);
  aws::Pairs all = query;
  all.insert(all.end(), sig.query.begin(), sig.query.end());
  return t.url_base + aws::CanonicalUri(t.path, false) + "?" + aws::CanonicalQuery(all);
}

Error ErrorFrom(const aws::HttpResponse& resp, std::string_view what) {
  const std::string code = Element(resp.body, "Code");
  const std::string message = Element(resp.body, "Message");
  std::string text = std::string(what) + ": S3 answered " + std::to_string(resp.status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += " (" + message + ")";
  ErrorCode ec = ErrorCode::kInternal;
  if (resp.status == 404)
    ec = ErrorCode::kNotFound;
  else if (resp.status == 416)
    ec = ErrorCode::kInvalidArgument;
  else if (resp.status == 403)
    ec = ErrorCode::kPermissionDenied;
  else if (Retryable(resp.status))
    ec = ErrorCode::kUnavailable;
  return MakeError(ec, std::move(text));
}

}  // namespace kinora::storage::s3
