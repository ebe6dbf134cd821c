// The JobQueue contract against a real SQS peer (npm fauxqs on loopback, started by
// tests/peers/with_peers.py, which exports KINORA_TEST_SQS_ENDPOINT). Every test gets its own
// queue and dead-letter queue (maxReceiveCount 2), deleted afterwards.
#include "kinora/queue/sqs_queue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "kinora/queue/job_queue.h"
#include "kinora/queue/job_queue_contract.h"

namespace kinora::queue {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

SqsConfig Endpoint() {
  SqsConfig c;
  c.endpoint = Env("KINORA_TEST_SQS_ENDPOINT");
  c.region = "us-east-1";
  c.credentials = {Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), ""};
  return c;
}

testing::QueueInstance MakeSqs() {
  static std::atomic<int> counter{0};
  if (Env("KINORA_TEST_SQS_ENDPOINT").empty()) {
    ADD_FAILURE()
        << "KINORA_TEST_SQS_ENDPOINT is not set: run through tests/peers/with_peers.py --sqs";
    return {};
  }
  const std::string name = "jobs-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  auto url = CreateSqsQueueWithDlq(Endpoint(), name, testing::kContractMaxReceives);
  EXPECT_TRUE(url) << url.error().message;
  if (!url) return {};
  SqsConfig c = Endpoint();
  c.queue_url = *url;
  auto q = NewSqsQueue(c);
  EXPECT_TRUE(q) << q.error().message;
  return {q ? std::move(*q) : nullptr, [url = *url] { (void)DeleteSqsQueue(Endpoint(), url); }};
}

using testing::JobQueueContract;
INSTANTIATE_TEST_SUITE_P(Sqs, JobQueueContract,
                         ::testing::Values(testing::JobQueueBackend{
                             .name = "sqs", .make = MakeSqs, .reports_stale_deletes = false}),
                         testing::JobQueueBackendName);

TEST(SqsQueue, RedrivePolicyGivesMaxReceivesAndDescribeNamesBothQueues) {
  auto url = CreateSqsQueueWithDlq(Endpoint(), "describe-" + std::to_string(::getpid()), 5);
  ASSERT_TRUE(url) << url.error().message;
  SqsConfig c = Endpoint();
  c.queue_url = *url;
  auto q = NewSqsQueue(c);
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ((*q)->max_receives(), 5);
  EXPECT_NE((*q)->Describe().find(*url), std::string::npos);
  EXPECT_NE((*q)->Describe().find("-dlq"), std::string::npos);
  EXPECT_TRUE((*q)->Ping());
}

TEST(SqsQueue, MissingQueueIsNotFound) {
  SqsConfig c = Endpoint();
  c.queue_url = "http://sqs.us-east-1.localhost/000000000000/no-such-queue";
  auto q = NewSqsQueue(c);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kNotFound) << q.error().message;
}

TEST(SqsQueue, UrlsAndEnvironment) {
  setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SECRET", 1);
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  unsetenv("AWS_ENDPOINT_URL");
  unsetenv("AWS_ENDPOINT_URL_SQS");
  auto c = ParseSqsUrl("sqs:https://sqs.eu-west-1.amazonaws.com/123456789012/kinora-jobs");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->queue_url, "https://sqs.eu-west-1.amazonaws.com/123456789012/kinora-jobs");
  EXPECT_EQ(c->endpoint, "");
  setenv("SQS_QUEUE_URL", "http://sqs.us-east-1.localhost:9324/000000000000/jobs", 1);
  setenv("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324", 1);
  auto seed = ParseSqsUrl("sqs:");
  ASSERT_TRUE(seed);
  EXPECT_EQ(seed->queue_url, "http://sqs.us-east-1.localhost:9324/000000000000/jobs");
  EXPECT_EQ(seed->endpoint, "http://127.0.0.1:9324");
  unsetenv("SQS_QUEUE_URL");
  EXPECT_FALSE(ParseSqsUrl("sqs:"));
}

// KINORA_QUEUE may be the queue's own URL (as SQS names it), without the "sqs:" prefix.
TEST(SqsQueue, OpensByThePlainQueueUrl) {
  const std::string name = "plain-" + std::to_string(::getpid());
  auto url = CreateSqsQueueWithDlq(Endpoint(), name, 3);
  ASSERT_TRUE(url) << url.error().message;
  setenv("AWS_ENDPOINT_URL_SQS", Env("KINORA_TEST_SQS_ENDPOINT").c_str(), 1);
  auto q = OpenJobQueue(*url);
  unsetenv("AWS_ENDPOINT_URL_SQS");
  ASSERT_TRUE(q) << q.error().message;
  ASSERT_TRUE((*q)->Send("hello"));
  auto got = (*q)->Receive(1, Seconds{1}, Seconds{30});
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().body, "hello");
  EXPECT_EQ((*q)->max_receives(), 3);
  (void)DeleteSqsQueue(Endpoint(), *url);
}

}  // namespace
}  // namespace kinora::queue
