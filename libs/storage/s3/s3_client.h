// The S3 REST wire, shared by the S3 store's pieces: addressing (path-style or virtual-hosted),
// SigV4 signing, retries with backoff, and S3's XML answers mapped to Kinora errors in one place.
// Not part of the storage API. Thread safety: a Client may be used from many threads at once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kinora/aws/http_client.h"
#include "kinora/storage/object_store.h"
#include "kinora/storage/s3_store.h"

namespace kinora::storage::s3 {

struct Call {
  std::string method = "GET";
  std::string key;  // object key inside the store (the config prefix is added); "" = the bucket
  aws::Pairs query;
  aws::Pairs headers;
  std::string_view body;
};

class Client {
 public:
  explicit Client(S3Config config);

  // Sends with retries on connection errors, 5xx and throttling. Returns the final response,
  // whatever its status; transport failures after the last attempt are kUnavailable.
  Result<aws::HttpResponse> Send(const Call& call);
  // A presigned URL for GET of key, valid for ttl.
  std::string PresignGet(std::string_view key, std::chrono::seconds ttl) const;
  // A presigned URL for `method` on key with these query parameters (signed too), valid for
  // ttl (e.g. PUT ?partNumber=&uploadId= for UploadPart).
  std::string Presign(std::string_view method, std::string_view key, const aws::Pairs& query,
                      std::chrono::seconds ttl) const;

  // The origin every URL above starts with: scheme://host[:port], the bucket's host when
  // virtual-hosted, serialized as a browser does (lower case, no default port).
  std::string Origin() const;

  const S3Config& config() const { return config_; }
  // The full key in the bucket, and back.
  std::string FullKey(std::string_view key) const { return config_.prefix + std::string(key); }
  std::string StripPrefix(std::string_view full) const;
  std::string Describe() const;

 private:
  struct Target {
    std::string host;      // Host header (with :port when not the default)
    std::string path;      // decoded path
    std::string url_base;  // scheme://host
  };
  Target TargetFor(std::string_view full_key, bool bucket_level) const;

  S3Config config_;
  std::string scheme_;
  std::string endpoint_host_;  // host[:port]
  aws::HttpClient http_;
};

// Maps an S3 error response to a Kinora error: 404 → kNotFound, 416 → kInvalidArgument,
// 403 → kPermissionDenied, 5xx/429 → kUnavailable, others → kInternal; the message carries
// S3's Code and Message.
Error ErrorFrom(const aws::HttpResponse& resp, std::string_view what);

// -- XML answers ------------------------------------------------------------------------------

struct ListedObject {
  std::string key;  // full key
  uint64_t size = 0;
  std::string etag;
  std::chrono::system_clock::time_point last_modified;
};
struct ListResult {
  std::vector<ListedObject> objects;
  bool truncated = false;
};
Result<ListResult> ParseListObjectsV2(const std::string& xml);
Result<std::string> ParseUploadId(const std::string& xml);      // InitiateMultipartUploadResult
Result<std::string> ParseCompleteEtag(const std::string& xml);  // CompleteMultipartUploadResult
// The CompleteMultipartUpload body for these parts (numbers and ETags).
std::string CompletePartsXml(const std::vector<UploadedPart>& parts);
// The same for parts numbered 1, 2, … with these ETags.
std::string CompleteMultipartXml(const std::vector<std::string>& part_etags);
// ListPartsResult → parts; whether more pages follow in *truncated, the next marker in *next.
Result<std::vector<UploadedPart>> ParseListParts(const std::string& xml, bool* truncated,
                                                 std::string* next);
// Base64 of the body's MD5, for the Content-MD5 header DeleteObjects requires.
std::string ContentMd5(std::string_view body);
// "Tue, 24 Nov 2026 10:47:29 GMT" or "2026-11-24T10:47:29.000Z"; now() if unparseable.
std::chrono::system_clock::time_point ParseS3Time(std::string_view s);

}  // namespace kinora::storage::s3
