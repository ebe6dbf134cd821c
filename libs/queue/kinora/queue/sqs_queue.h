// SQS JobQueue: Amazon SQS (or a compatible service) over its JSON protocol
// (X-Amz-Target: AmazonSQS.*), signed with SigV4. Long polls of up to 20 s that Interrupt()
// cuts short; dead letters come from the queue's redrive policy, which also gives
// max_receives. SQS semantics the SQLite backend does not share: Delete with a stale receipt
// handle succeeds without effect (SQS cannot tell), counts in Stats are approximate, and a
// dead letter's receive_count carries on counting in the dead-letter queue.
// Thread safety: as JobQueue.
#pragma once

#include <memory>
#include <string>

#include "kinora/aws/credentials.h"
#include "kinora/aws/sigv4.h"
#include "kinora/queue/job_queue.h"

namespace kinora::queue {

struct SqsConfig {
  std::string queue_url;  // as SQS returned it (QueueUrl)
  std::string endpoint;   // where requests go; empty = the queue URL's scheme://host
  std::string region = "us-east-1";
  aws::Credentials credentials;  // fixed keys; when empty, the provider below is used
  // Temporary credentials (IRSA, Pod Identity); filled from the environment by New…() when
  // neither is given.
  std::shared_ptr<aws::CredentialsProvider> credentials_provider;
};

// Reads the queue's redrive policy (and finds its dead-letter queue) before returning.
Result<std::unique_ptr<JobQueue>> NewSqsQueue(SqsConfig config);

// "sqs:" uses SQS_QUEUE_URL; "sqs:https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" names
// the queue. Completed from AWS_REGION/AWS_DEFAULT_REGION (else the region in an AWS queue URL),
// AWS_ENDPOINT_URL_SQS/AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN.
Result<SqsConfig> ParseSqsUrl(std::string_view url);

// Creates (or finds) queue `name` with a dead-letter queue `name`-dlq that takes a message after
// max_receives receives; returns the queue's URL. For tests and first-time setup; production
// queues come from Terraform.
Result<std::string> CreateSqsQueueWithDlq(const SqsConfig& endpoint, std::string_view name,
                                          int max_receives, int visibility_seconds = 30);
// Deletes a queue (and nothing else). For tests.
Result<void> DeleteSqsQueue(const SqsConfig& endpoint, std::string_view queue_url);

}  // namespace kinora::queue
