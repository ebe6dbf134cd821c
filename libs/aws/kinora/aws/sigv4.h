// AWS Signature Version 4: signs a request with an Authorization header, or presigns it as a
// URL query (X-Amz-Signature), for any service (S3, SQS). Written once, checked byte for byte
// against AWS's published test suites (testdata/sigv4).
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinora::aws {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials
};

// The request as it will be sent. Path and query are given decoded ("/videos/a b.mp4",
// {"prefix", "a b"}); the signer encodes them the way SigV4 wants, once (which is also how they
// must go on the wire: use CanonicalUri/CanonicalQuery to build the URL).
struct SignRequest {
  std::string method{};
  std::string path = "/";
  Pairs query{};
  Pairs headers{};  // every header to sign; must include Host
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" (S3 only). Empty means the empty body.
  std::string payload_hash{};
};

struct SignOptions {
  std::string region{};
  std::string service{};  // "s3", "sqs"
  std::chrono::system_clock::time_point time{};
  // Remove "." and ".." segments and repeated slashes. Every service but S3, whose keys may
  // legitimately contain "//" and "..".
  bool normalize_path = true;
  // Send the payload hash as x-amz-content-sha256 and sign it (S3 requires this).
  bool sign_body = false;
  // Add the session token after signing instead of signing it (some services want that).
  bool omit_session_token = false;
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lowercase hex
  // To add to the request: for header signing X-Amz-Date, X-Amz-Security-Token,
  // X-Amz-Content-Sha256 and Authorization; for presigning, the X-Amz-* query parameters.
  Pairs headers;
  Pairs query;
};

// Header signing (Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…).
Signature SignWithHeaders(const SignRequest& req, const Credentials& creds,
                          const SignOptions& opts);
// Query signing, for presigned URLs valid for `expires` (1 s – 7 days).
Signature Presign(const SignRequest& req, const Credentials& creds, const SignOptions& opts,
                  std::chrono::seconds expires);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - . _ ~),
// and '/' too unless encode_slash.
std::string UriEncode(std::string_view s, bool encode_slash);
// The path as signed and sent ("/" for empty), normalised when asked.
std::string CanonicalUri(std::string_view path, bool normalize);
// name=value pairs encoded and sorted by name, then value, joined by '&'.
std::string CanonicalQuery(const Pairs& query);
// "20150830T123600Z"
std::string AmzDate(std::chrono::system_clock::time_point t);

}  // namespace kinora::aws
