// S3 ObjectStore: any S3-compatible service (AWS S3, MinIO, s3rver) over its REST API, signed
// with SigV4. Puts stream: small objects go up in one PutObject at Commit; anything larger than
// a part becomes a multipart upload with parts sent in parallel while the caller keeps writing
// (memory stays at about (parallel_parts + 1) × part_size), completed at Commit and aborted on
// failure, so a half-made object is never visible. Gets read in ranged chunks. 5xx, throttling
// and connection errors are retried with backoff.
// Thread safety: as ObjectStore.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kinora/aws/credentials.h"
#include "kinora/aws/sigv4.h"
#include "kinora/storage/object_store.h"

namespace kinora::storage {

struct S3Config {
  std::string bucket;
  std::string prefix;    // optional key prefix inside the bucket ("site-a/"), ends with '/'
  std::string endpoint;  // "http://127.0.0.1:4568"; empty = AWS (https://s3.<region>.amazonaws.com)
  std::string region = "us-east-1";
  bool path_style = true;        // bucket in the path; false = virtual-hosted (bucket.host)
  aws::Credentials credentials;  // fixed keys; when empty, the provider below is used
  // Temporary credentials (IRSA, Pod Identity); filled from the environment by New…() when
  // neither is given.
  std::shared_ptr<aws::CredentialsProvider> credentials_provider;
  size_t part_size = 8 << 20;  // ≥ 5 MiB (S3's minimum for all but the last part)
  int parallel_parts = 4;
  int max_attempts = 4;  // per request, for retryable failures
  std::chrono::milliseconds retry_base{100};
};

Result<std::unique_ptr<ObjectStore>> NewS3Store(S3Config config);

// s3://bucket[/prefix][?endpoint=…&region=…&path_style=true|false], completed from the
// environment the AWS SDKs read: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_REGION (or AWS_DEFAULT_REGION), AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL. Query parameters
// win over the environment. A custom endpoint defaults to path-style addressing, AWS to
// virtual-hosted.
Result<S3Config> ParseS3Url(std::string_view url);

}  // namespace kinora::storage
