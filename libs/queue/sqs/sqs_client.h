// The SQS JSON protocol wire: one POST per action to the endpoint's "/", SigV4-signed, retried
// on throttling, 5xx and connection errors; SQS's error documents mapped to Kinora errors in
// one place. Not part of the queue API. Thread safety: usable from many threads at once.
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <string>

#include "kinora/aws/http_client.h"
#include "kinora/queue/sqs_queue.h"

namespace kinora::queue::sqs {

class Client {
 public:
  explicit Client(SqsConfig config);

  // Calls AmazonSQS.<action> with `body`; returns the parsed JSON answer ({} for an empty one).
  // `timeout` bounds one attempt; `cancel` (may be null) stops a waiting call with kCancelled.
  Result<boost::json::object> Call(std::string_view action, const boost::json::object& body,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                   const std::atomic<bool>* cancel = nullptr);

  const SqsConfig& config() const { return config_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  SqsConfig config_;
  std::string endpoint_;  // scheme://host[:port]
  std::string host_;
  aws::HttpClient http_;
};

// Maps an SQS error answer (status + {"__type": "…#Code", "message": "…"}) to a Kinora error.
Error ErrorFrom(long status, std::string_view body, std::string_view action);

}  // namespace kinora::queue::sqs
