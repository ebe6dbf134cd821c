// A tus 1.0 client for Kinora's /api/uploads/ (docs/uploads.md): one request per call, no
// retries here (file_upload.h retries and resumes). Statuses become Error values in one place,
// StatusError: retriable answers (5xx, 409, 423, 429, 460) are kUnavailable or
// kResourceExhausted, refusals keep the problem document's detail in the message.
// Thread safety: a Client is used by one thread at a time (as its Transport).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/tus_client/protocol.h"
#include "kinora/tus_client/transport.h"

namespace kinora::tus {

struct ClientOptions {
  std::string server;    // http(s)://host[:port], the Kinora instance
  std::string token;     // a personal API token (Authorization: Bearer); empty: none
  bool checksum = true;  // send Upload-Checksum: sha1 with every PATCH
};

// What the server says about an upload after HEAD or PATCH.
struct UploadStatus {
  uint64_t offset = 0;
  std::optional<uint64_t> length;  // HEAD only
  std::string video_id;            // Kinora-Video-Id, once the upload completed and was ingested
};

struct Created {
  std::string url;  // absolute upload URL
  uint64_t offset = 0;
};

// The error for a non-success answer: the code from the status (retriable or not, see
// IsRetriable), the message "<what>: HTTP <status>: <problem detail>".
Error StatusError(std::string_view what, long status, std::string_view body);

// True for errors worth a delay and a re-HEAD: transport failures, 5xx, 409, 423, 429, 460.
bool IsRetriable(const Error& error);

class Client {
 public:
  Client(Transport& transport, ClientOptions options);

  std::string EndpointUrl() const;  // server + /api/uploads/
  bool checksum() const { return options_.checksum; }

  // POST with Upload-Length and Upload-Metadata → 201 and its Location.
  Result<Created> Create(uint64_t length, const Metadata& metadata);
  // HEAD → Upload-Offset, Upload-Length, Kinora-Video-Id when complete.
  Result<UploadStatus> Head(const std::string& url);
  // PATCH `body` at `offset` → 204 with the new offset (and Kinora-Video-Id on the last one).
  // `final` gives the request the long stall timeout (the server ingests before answering).
  // `checksum` is the body's UploadChecksum when already computed (else it is computed here).
  Result<UploadStatus> Patch(const std::string& url, uint64_t offset, std::string_view body,
                             bool final, const std::function<void(uint64_t)>& on_body_sent = {},
                             std::string_view checksum = {});
  // The same with a body of `size` bytes read on demand; `checksum` is required when the client
  // sends checksums (the header goes before the body).
  Result<UploadStatus> Patch(const std::string& url, uint64_t offset, uint64_t size,
                             const BodyReader& read, bool final,
                             const std::function<void(uint64_t)>& on_body_sent,
                             std::string_view checksum);
  // DELETE → 204 (a 404 counts as done).
  Result<void> Terminate(const std::string& url);

 private:
  Headers BaseHeaders() const;

  Transport& transport_;
  ClientOptions options_;
};

}  // namespace kinora::tus
