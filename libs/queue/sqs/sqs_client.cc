#include "sqs_client.h"

#include <boost/url.hpp>
#include <random>
#include <thread>

#include "kinora/aws/crypto.h"

namespace kinora::queue::sqs {

namespace json = boost::json;

namespace {

constexpr int kMaxAttempts = 4;

bool Retryable(long status, std::string_view code) {
  return status >= 500 || status == 429 || code == "ThrottlingException" ||
         code == "RequestThrottled" || code == "ServiceUnavailable";
}

std::string CodeOf(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const json::object& o = v.as_object();
  const json::value* t = o.if_contains("__type");
  if (!t) t = o.if_contains("code");
  if (!t || !t->is_string()) return {};
  std::string_view type = t->as_string();
  if (auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  return std::string(type);
}

}  // namespace

Error ErrorFrom(long status, std::string_view body, std::string_view action) {
  const std::string code = CodeOf(body);
  std::string message;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    for (const char* key : {"message", "Message"}) {
      if (auto* m = v.as_object().if_contains(key); m && m->is_string()) {
        message = std::string(m->as_string());
      }
    }
  }
  std::string text = "SQS " + std::string(action) + ": " + std::to_string(status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += " (" + message + ")";
  ErrorCode ec_out = ErrorCode::kInternal;
  if (code == "QueueDoesNotExist" || code == "NonExistentQueue" ||
      code == "ReceiptHandleIsInvalid" || code == "MessageNotInflight" ||
      code == "InvalidReceiptHandle") {
    ec_out = ErrorCode::kNotFound;
  } else if (code == "InvalidParameterValue" || code == "InvalidAttributeValue" ||
             code == "MissingParameter" || code == "InvalidMessageContents") {
    ec_out = ErrorCode::kInvalidArgument;
  } else if (code == "AccessDenied" || code == "AccessDeniedException" ||
             code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" ||
             code == "ExpiredToken" || status == 403) {
    ec_out = ErrorCode::kPermissionDenied;
  } else if (Retryable(status, code)) {
    ec_out = ErrorCode::kUnavailable;
  }
  return MakeError(ec_out, std::move(text));
}

Client::Client(SqsConfig config) : config_(std::move(config)) {
  std::string endpoint = config_.endpoint.empty() ? config_.queue_url : config_.endpoint;
  auto u = boost::urls::parse_uri(endpoint);
  if (u) {
    host_ = u->encoded_host_and_port();
    endpoint_ = std::string(u->scheme()) + "://" + host_;
  } else {
    endpoint_ = endpoint;
    host_ = endpoint;
  }
}

Result<json::object> Client::Call(std::string_view action, const json::object& body,
                                  std::chrono::milliseconds timeout,
                                  const std::atomic<bool>* cancel) {
  const std::string payload = json::serialize(body);
  const std::string target = "AmazonSQS." + std::string(action);
  thread_local std::mt19937 rng{std::random_device{}()};
  Error last = MakeError(ErrorCode::kUnavailable, "no attempt made");
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    aws::SignRequest sreq{.method = "POST",
                          .path = "/",
                          .query = {},
                          .headers = {{"Content-Type", "application/x-amz-json-1.0"},
                                      {"Host", host_},
                                      {"X-Amz-Target", target}},
                          .payload_hash = aws::Sha256Hex(payload)};
    const aws::Signature sig = aws::SignWithHeaders(
        sreq, aws::CurrentCredentials(config_),
        aws::SignOptions{
            .region = config_.region, .service = "sqs", .time = std::chrono::system_clock::now()});
    aws::HttpRequest hreq{
        .method = "POST",
        .url = endpoint_ + "/",
        .headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", target}},
        .body = payload,
        .timeout = timeout,
        .cancel = cancel};
    hreq.headers.insert(hreq.headers.end(), sig.headers.begin(), sig.headers.end());
    auto resp = http_.Send(hreq);
    if (resp && resp->status == 200) {
      if (resp->body.empty()) return json::object{};
      boost::system::error_code ec;
      json::value v = json::parse(resp->body, ec);
      if (ec || !v.is_object()) {
        return MakeError(ErrorCode::kInternal,
                         "SQS " + std::string(action) + ": answer is not JSON");
      }
      return std::move(v.as_object());
    }
    if (!resp) {
      if (resp.error().code == ErrorCode::kCancelled) return resp.error();
      last = resp.error();
    } else {
      last = ErrorFrom(resp->status, resp->body, action);
      if (!Retryable(resp->status, CodeOf(resp->body))) return last;
    }
    if (attempt < kMaxAttempts) {
      const int cap = 100 << attempt;
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(cap / 2, cap)(rng)));
    }
  }
  return Annotate(last, "after " + std::to_string(kMaxAttempts) + " attempts");
}

}  // namespace kinora::queue::sqs
