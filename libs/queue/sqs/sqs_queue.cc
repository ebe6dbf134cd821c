#include "kinora/queue/sqs_queue.h"

#include <atomic>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <climits>
#include <cstdlib>

#include "sqs_answers.h"
#include "sqs_client.h"

namespace kinora::queue {

namespace json = boost::json;
using sqs::Count;
using sqs::Str;
using sqs::ToMessages;

namespace {

constexpr size_t kMaxBody = 256 * 1024;
constexpr int kMaxVisibility = 12 * 3600;

Error Invalid(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

Result<json::object> Attributes(sqs::Client& c, const std::string& url,
                                std::initializer_list<std::string_view> names) {
  json::array list;
  for (auto n : names) list.emplace_back(n);
  KINORA_TRY(json::object r, c.Call("GetQueueAttributes",
                                    json::object{{"QueueUrl", url}, {"AttributeNames", list}}));
  if (auto* a = r.if_contains("Attributes"); a && a->is_object()) return a->as_object();
  return json::object{};
}

json::object ReceiveRequest(const std::string& url, int max, int wait, int visibility) {
  return json::object{{"QueueUrl", url},
                      {"MaxNumberOfMessages", max},
                      {"WaitTimeSeconds", wait},
                      {"VisibilityTimeout", visibility},
                      {"AttributeNames", json::array{"ApproximateReceiveCount"}},
                      {"MessageSystemAttributeNames", json::array{"ApproximateReceiveCount"}}};
}

class SqsQueue final : public JobQueue {
 public:
  SqsQueue(std::unique_ptr<sqs::Client> client, std::string dlq_url, int max_receives)
      : client_(std::move(client)), dlq_url_(std::move(dlq_url)), max_receives_(max_receives) {}

  Result<std::string> Send(std::string_view body, Seconds delay) override {
    if (body.empty()) return Invalid("send: empty message body");
    if (body.size() > kMaxBody) {
      return MakeError(ErrorCode::kTooLarge, "send: message body over 256 KiB");
    }
    if (delay.count() < 0 || delay.count() > 900) return Invalid("send: delay must be 0–900 s");
    KINORA_TRY(json::object r,
               client_->Call("SendMessage", json::object{{"QueueUrl", url()},
                                                         {"MessageBody", body},
                                                         {"DelaySeconds", delay.count()}}));
    std::string id = Str(r, "MessageId");
    if (id.empty()) return MakeError(ErrorCode::kInternal, "SQS SendMessage: no MessageId");
    return id;
  }

  Result<std::vector<Message>> Receive(int max_messages, Seconds wait,
                                       Seconds visibility) override {
    if (max_messages < 1 || max_messages > 10) return Invalid("receive: 1–10 messages");
    if (wait.count() < 0 || wait.count() > 20) return Invalid("receive: wait must be 0–20 s");
    if (visibility.count() < 0 || visibility.count() > kMaxVisibility) {
      return Invalid("receive: visibility must be 0–43200 s");
    }
    if (interrupted_.load()) return std::vector<Message>{};
    auto r = client_->Call("ReceiveMessage",
                           ReceiveRequest(url(), max_messages, static_cast<int>(wait.count()),
                                          static_cast<int>(visibility.count())),
                           std::chrono::seconds(wait.count() + 15), &interrupted_);
    if (!r) {
      if (r.error().code == ErrorCode::kCancelled) return std::vector<Message>{};
      return r.error();
    }
    return ToMessages(*r);
  }

  Result<void> ChangeVisibility(std::string_view receipt_handle, Seconds visibility) override {
    if (visibility.count() < 0 || visibility.count() > kMaxVisibility) {
      return Invalid("change visibility: 0–43200 s");
    }
    KINORA_TRY_VOID(client_->Call("ChangeMessageVisibility",
                                  json::object{{"QueueUrl", url()},
                                               {"ReceiptHandle", receipt_handle},
                                               {"VisibilityTimeout", visibility.count()}}));
    return {};
  }

  Result<void> Delete(std::string_view receipt_handle) override {
    if (receipt_handle.empty()) return Invalid("delete: empty receipt handle");
    KINORA_TRY_VOID(client_->Call(
        "DeleteMessage", json::object{{"QueueUrl", url()}, {"ReceiptHandle", receipt_handle}}));
    return {};
  }

  Result<QueueStats> Stats() override {
    KINORA_TRY(json::object a,
               Attributes(*client_, url(),
                          {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                           "ApproximateNumberOfMessagesDelayed"}));
    QueueStats s;
    s.visible = Count(a, "ApproximateNumberOfMessages");
    s.in_flight = Count(a, "ApproximateNumberOfMessagesNotVisible");
    s.delayed = Count(a, "ApproximateNumberOfMessagesDelayed");
    if (!dlq_url_.empty()) {
      KINORA_TRY(json::object d, Attributes(*client_, dlq_url_,
                                            {"ApproximateNumberOfMessages",
                                             "ApproximateNumberOfMessagesNotVisible"}));
      s.dead = Count(d, "ApproximateNumberOfMessages") +
               Count(d, "ApproximateNumberOfMessagesNotVisible");
    }
    return s;
  }

  // Peeks: receives from the dead-letter queue with a zero visibility timeout, so the messages
  // stay there (each peek counts as a receive in SQS).
  Result<std::vector<Message>> DeadLetters(int max_messages) override {
    if (max_messages < 1) return Invalid("dead letters: at least one");
    if (dlq_url_.empty()) return std::vector<Message>{};
    KINORA_TRY(json::object r,
               client_->Call("ReceiveMessage",
                             ReceiveRequest(dlq_url_, std::min(max_messages, 10), 0, 0)));
    return ToMessages(r);
  }

  Result<void> Ping() override {
    KINORA_TRY_VOID(Attributes(*client_, url(), {"QueueArn"}));
    return {};
  }

  std::string Describe() const override {
    return "sqs " + url() + " via " + client_->endpoint() +
           (dlq_url_.empty() ? " (no dead-letter queue)" : " (dead letters: " + dlq_url_ + ")");
  }

  int max_receives() const override { return max_receives_; }

  void Interrupt() override { interrupted_.store(true); }

 private:
  const std::string& url() const { return client_->config().queue_url; }

  std::unique_ptr<sqs::Client> client_;
  std::string dlq_url_;
  int max_receives_;
  std::atomic<bool> interrupted_{false};
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

Result<std::unique_ptr<JobQueue>> NewSqsQueue(SqsConfig config) {
  if (config.credentials.access_key_id.empty() && !config.credentials_provider) {
    KINORA_TRY(config.credentials_provider, aws::CredentialsFromEnvironment(config.region));
  }
  if (config.queue_url.empty()) return Invalid("sqs: no queue URL");
  auto client = std::make_unique<sqs::Client>(config);
  KINORA_TRY(json::object a, Attributes(*client, config.queue_url, {"RedrivePolicy"}));
  std::string dlq_url;
  int max_receives = INT_MAX;  // without a redrive policy, SQS retries for ever
  if (const std::string policy = Str(a, "RedrivePolicy"); !policy.empty()) {
    boost::system::error_code ec;
    json::value p = json::parse(policy, ec);
    if (ec || !p.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument, "sqs: RedrivePolicy is not JSON: " + policy);
    }
    const json::object& po = p.as_object();
    const json::value* mrc = po.if_contains("maxReceiveCount");
    if (mrc && mrc->is_string()) max_receives = std::atoi(mrc->as_string().c_str());
    if (mrc && mrc->is_int64()) max_receives = static_cast<int>(mrc->as_int64());
    const std::string arn = Str(po, "deadLetterTargetArn");
    const std::string name = arn.substr(arn.rfind(':') + 1);
    if (!name.empty()) {
      json::object q{{"QueueName", name}};
      if (const size_t acct_end = arn.rfind(':'); acct_end != std::string::npos) {
        const size_t acct_start = arn.rfind(':', acct_end - 1);
        if (acct_start != std::string::npos) {
          q["QueueOwnerAWSAccountId"] = arn.substr(acct_start + 1, acct_end - acct_start - 1);
        }
      }
      KINORA_TRY(json::object u, client->Call("GetQueueUrl", q));
      dlq_url = Str(u, "QueueUrl");
    }
  }
  if (max_receives < 1) max_receives = INT_MAX;
  return std::unique_ptr<JobQueue>(
      std::make_unique<SqsQueue>(std::move(client), std::move(dlq_url), max_receives));
}

Result<SqsConfig> ParseSqsUrl(std::string_view url) {
  if (!url.starts_with("sqs:")) return Invalid("SQS queue URL must start with sqs:");
  SqsConfig c;
  c.queue_url = std::string(url.substr(4));
  if (c.queue_url.empty()) c.queue_url = Env("SQS_QUEUE_URL");
  if (c.queue_url.empty()) {
    return Invalid("KINORA_QUEUE=sqs: needs the queue URL, after 'sqs:' or in SQS_QUEUE_URL");
  }
  auto u = boost::urls::parse_uri(c.queue_url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty()) {
    return Invalid("SQS queue URL '" + c.queue_url +
                   "' is not an http(s):// URL (expected sqs:https://sqs.<region>.amazonaws.com/"
                   "<account>/<name>)");
  }
  c.region = Env("AWS_REGION");
  if (c.region.empty()) c.region = Env("AWS_DEFAULT_REGION");
  if (c.region.empty()) {
    // https://sqs.<region>.amazonaws.com/<account>/<name>
    const std::string host = u->host();
    if (host.starts_with("sqs.") && host.find(".amazonaws.com") != std::string::npos) {
      c.region = host.substr(4, host.find('.', 4) - 4);
    }
  }
  if (c.region.empty()) c.region = "us-east-1";
  c.endpoint = Env("AWS_ENDPOINT_URL_SQS");
  if (c.endpoint.empty()) c.endpoint = Env("AWS_ENDPOINT_URL");
  c.credentials = {Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"),
                   Env("AWS_SESSION_TOKEN")};
  if (c.credentials.access_key_id.empty() != c.credentials.secret_access_key.empty() ||
      (c.credentials.access_key_id.empty() && !aws::CredentialsInEnvironment())) {
    return Invalid("SQS needs credentials: " + aws::kCredentialsHelp);
  }
  return c;
}

Result<std::string> CreateSqsQueueWithDlq(const SqsConfig& endpoint, std::string_view name,
                                          int max_receives, int visibility_seconds) {
  sqs::Client c(endpoint);
  const std::string dlq_name = std::string(name) + "-dlq";
  KINORA_TRY(json::object d, c.Call("CreateQueue", json::object{{"QueueName", dlq_name}}));
  const std::string dlq_url = Str(d, "QueueUrl");
  KINORA_TRY(json::object da, Attributes(c, dlq_url, {"QueueArn"}));
  const std::string policy =
      json::serialize(json::object{{"deadLetterTargetArn", Str(da, "QueueArn")},
                                   {"maxReceiveCount", std::to_string(max_receives)}});
  KINORA_TRY(
      json::object q,
      c.Call("CreateQueue",
             json::object{{"QueueName", name},
                          {"Attributes", json::object{{"RedrivePolicy", policy},
                                                      {"VisibilityTimeout",
                                                       std::to_string(visibility_seconds)}}}}));
  return Str(q, "QueueUrl");
}

Result<void> DeleteSqsQueue(const SqsConfig& endpoint, std::string_view queue_url) {
  sqs::Client c(endpoint);
  KINORA_TRY_VOID(c.Call("DeleteQueue", json::object{{"QueueUrl", queue_url}}));
  return {};
}

}  // namespace kinora::queue
