#include "kinora/tus_client/client.h"

#include <algorithm>
#include <span>

#include "kinora/tus_client/checksum.h"

namespace kinora::tus {

Error StatusError(std::string_view what, long status, std::string_view body) {
  std::string message =
      std::string(what) + ": HTTP " + std::to_string(status) + ": " + ProblemDetail(status, body);
  ErrorCode code = ErrorCode::kInternal;
  switch (status) {
    case 400:
    case 412:
      code = ErrorCode::kInvalidArgument;
      break;
    case 401:
      code = ErrorCode::kUnauthenticated;
      break;
    case 403:
      code = ErrorCode::kPermissionDenied;
      break;
    case 404:
    case 410:
      code = ErrorCode::kNotFound;
      break;
    case 413:
      code = ErrorCode::kTooLarge;
      break;
    case 415:
      code = ErrorCode::kUnsupportedMediaType;
      break;
    case 422:
      code = ErrorCode::kUnsupported;
      break;
    case 429:
      code = ErrorCode::kResourceExhausted;
      break;
    case 507:
      code = ErrorCode::kInsufficientStorage;
      break;
    case 409:  // offset conflict: re-HEAD and continue from the server's offset
    case 423:  // another PATCH in progress (ours, cut off, still finishing)
    case 460:  // checksum mismatch: the chunk was discarded, send it again
      code = ErrorCode::kUnavailable;
      break;
    default:
      code = status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kInternal;
  }
  return MakeError(code, std::move(message));
}

bool IsRetriable(const Error& error) {
  return error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kResourceExhausted ||
         error.code == ErrorCode::kDeadlineExceeded || error.code == ErrorCode::kBadUpstream;
}

Client::Client(Transport& transport, ClientOptions options)
    : transport_(transport), options_(std::move(options)) {
  options_.server = NormalizeServer(options_.server);
}

std::string Client::EndpointUrl() const { return options_.server + std::string(kEndpointPath); }

Headers Client::BaseHeaders() const {
  Headers h{{std::string(kTusResumable), std::string(kVersion)}};
  if (!options_.token.empty()) h.emplace_back("Authorization", "Bearer " + options_.token);
  return h;
}

namespace {

Result<uint64_t> OffsetOf(const Response& r, std::string_view what) {
  const auto offset = ParseOffset(r.Header(kUploadOffset));
  if (!offset) {
    return MakeError(ErrorCode::kBadUpstream,
                     std::string(what) + ": the answer has no valid Upload-Offset");
  }
  return *offset;
}

}  // namespace

Result<Created> Client::Create(uint64_t length, const Metadata& metadata) {
  Request req{.method = "POST", .url = EndpointUrl(), .headers = BaseHeaders()};
  req.headers.emplace_back(std::string(kUploadLength), std::to_string(length));
  req.headers.emplace_back(std::string(kUploadMetadata), EncodeMetadata(metadata));
  KINORA_TRY(Response r, transport_.Send(req));
  if (r.status != 201) return StatusError("create", r.status, r.body);
  Created created;
  created.url = ResolveLocation(options_.server, r.Header("Location"));
  if (created.url.empty()) {
    return MakeError(ErrorCode::kBadUpstream, "create: the answer has no Location");
  }
  const auto offset = ParseOffset(r.Header(kUploadOffset));
  created.offset = offset.value_or(0);
  return created;
}

Result<UploadStatus> Client::Head(const std::string& url) {
  Request req{.method = "HEAD", .url = url, .headers = BaseHeaders()};
  KINORA_TRY(Response r, transport_.Send(req));
  // HEAD has no body: the problem document's detail is not available.
  if (r.status != 200 && r.status != 204) return StatusError("head", r.status, r.body);
  UploadStatus s;
  KINORA_TRY(s.offset, OffsetOf(r, "head"));
  s.length = ParseOffset(r.Header(kUploadLength));
  s.video_id = r.Header(kVideoId);
  return s;
}

Result<UploadStatus> Client::Patch(const std::string& url, uint64_t offset, std::string_view body,
                                   bool final, const std::function<void(uint64_t)>& on_body_sent,
                                   std::string_view checksum) {
  const std::string sum =
      options_.checksum && checksum.empty() ? UploadChecksum(body) : std::string(checksum);
  return Patch(
      url, offset, body.size(),
      [body](uint64_t at, std::span<char> out) {
        std::copy_n(body.data() + at, out.size(), out.data());
        return true;
      },
      final, on_body_sent, sum);
}

Result<UploadStatus> Client::Patch(const std::string& url, uint64_t offset, uint64_t size,
                                   const BodyReader& read, bool final,
                                   const std::function<void(uint64_t)>& on_body_sent,
                                   std::string_view checksum) {
  Request req{.method = "PATCH", .url = url, .headers = BaseHeaders()};
  req.body_size = size;
  req.read_body = read;
  req.headers.emplace_back("Content-Type", std::string(kOffsetContentType));
  req.headers.emplace_back(std::string(kUploadOffset), std::to_string(offset));
  if (options_.checksum) {
    if (checksum.empty()) return MakeError(ErrorCode::kInternal, "a PATCH without its checksum");
    req.headers.emplace_back(std::string(kUploadChecksum), std::string(checksum));
  }
  if (final) req.stall_timeout = std::chrono::seconds(600);
  req.on_body_sent = on_body_sent;
  KINORA_TRY(Response r, transport_.Send(req));
  if (r.status != 204 && r.status != 200) return StatusError("patch", r.status, r.body);
  UploadStatus s;
  KINORA_TRY(s.offset, OffsetOf(r, "patch"));
  s.video_id = r.Header(kVideoId);
  return s;
}

Result<void> Client::Terminate(const std::string& url) {
  Request req{.method = "DELETE", .url = url, .headers = BaseHeaders()};
  KINORA_TRY(Response r, transport_.Send(req));
  if (r.status == 204 || r.status == 200 || r.status == 404) return {};
  return StatusError("terminate", r.status, r.body);
}

}  // namespace kinora::tus
