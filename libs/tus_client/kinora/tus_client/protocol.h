// The wire details of tus 1.0 as Kinora speaks it (docs/uploads.md): header names, the
// Upload-Metadata encoding, strict offset parsing, Location resolution and problem documents.
// Pure functions; the client (client.h) and its tests use them.
// Thread safety: pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinora::tus {

inline constexpr std::string_view kVersion = "1.0.0";
inline constexpr std::string_view kEndpointPath = "/api/uploads/";
inline constexpr std::string_view kOffsetContentType = "application/offset+octet-stream";

inline constexpr std::string_view kTusResumable = "Tus-Resumable";
inline constexpr std::string_view kUploadLength = "Upload-Length";
inline constexpr std::string_view kUploadOffset = "Upload-Offset";
inline constexpr std::string_view kUploadMetadata = "Upload-Metadata";
inline constexpr std::string_view kUploadChecksum = "Upload-Checksum";
inline constexpr std::string_view kUploadExpires = "Upload-Expires";
inline constexpr std::string_view kVideoId = "Kinora-Video-Id";

// Ordered key/value pairs; values are raw bytes (encoded by EncodeMetadata).
using Metadata = std::vector<std::pair<std::string, std::string>>;

std::string Base64(std::string_view bytes);

// "key base64,key base64" (tus's Upload-Metadata). Pairs with an empty value are sent as the
// bare key. REQUIRES: keys are non-empty ASCII without spaces or commas.
std::string EncodeMetadata(const Metadata& metadata);

// An Upload-Offset or Upload-Length value: decimal digits only (no sign, no spaces), at most
// 2^63-1; anything else is nullopt.
std::optional<uint64_t> ParseOffset(std::string_view value);

// The upload URL for a Location header: absolute URLs are kept; a path ("/api/uploads/x") is
// joined to the origin (scheme://host[:port]) of `server`. Empty when location is empty.
std::string ResolveLocation(std::string_view server, std::string_view location);

// "http://host:8080/" → "http://host:8080": the server URL without trailing slashes.
std::string NormalizeServer(std::string_view server);

// A human line for a refused request: the problem document's "detail" (else "title"), else
// the first 200 bytes of the body, else "HTTP <status>".
std::string ProblemDetail(long status, std::string_view body);

}  // namespace kinora::tus
