// Serving a stored entity (object or file) to GET/HEAD with Range/206/416, ETag and
// If-None-Match/304, Last-Modified, Accept-Ranges and caching headers.
// Thread safety: pure function; `open` is called at most once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "kinora/http/message.h"

namespace kinora::http {

struct EntityInfo {
  uint64_t size = 0;
  std::string etag;  // quoted strong validator
  std::string content_type;
  std::chrono::system_clock::time_point last_modified;
  std::string cache_control;  // e.g. "private, max-age=3600"
};

// Opens the entity's bytes [first, last] (inclusive) as a stream.
using OpenRange = std::function<Result<StreamBody>(uint64_t first, uint64_t last)>;

Response ServeEntity(const Request& req, const EntityInfo& info, const OpenRange& open);

// Whether an If-None-Match header value names `etag` (a list, "*", weak tags compared weakly as
// RFC 9110 requires for GET).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace kinora::http
