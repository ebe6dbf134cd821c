// The uploader role: accepts multipart uploads, streams the file into the object store while
// validating it (extension, size, non-empty, really a video), then records the catalog row
// and metadata and enqueues the processing job. Also deletes videos.
// Nothing becomes visible in the store or the catalog unless every check passed; a failure
// after that point undoes what was written.
// Thread safety: handlers may run concurrently; the Uploader holds no per-request state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"
#include "kinora/metrics/registry.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"

namespace kinora::uploader {

// Turns a catalog row into the public JSON of a video (with signed URLs). The wiring passes the
// analytics role's presenter so an upload answer shows the same video the details endpoint
// does; the default is the bare catalog JSON.
using VideoPresenter = std::function<boost::json::object(const catalog::VideoRecord&)>;

struct UploaderOptions {
  uint64_t max_upload_bytes = 524288000;  // of the file part
  std::string bucket = "local";           // reported as s3_bucket
  VideoPresenter present;                 // empty: catalog::ToJson
};

class Uploader {
 public:
  Uploader(storage::ObjectStore& store, catalog::Catalog& catalog, queue::JobQueue& queue,
           metrics::Registry& metrics, UploaderOptions options);

  // Registers POST {prefix}/upload and DELETE {prefix}/videos/{id}.
  void Register(http::Router& router, const std::string& prefix);
  // The body limit for an upload route registered elsewhere (an alias).
  http::RouteOptions upload_route_options() const;
  boost::asio::awaitable<http::Response> Upload(http::Request& req, http::BodyReader& body);
  http::Response Delete(http::Request& req);

 private:
  storage::ObjectStore& store_;
  catalog::Catalog& catalog_;
  queue::JobQueue& queue_;
  UploaderOptions options_;
  metrics::Family<metrics::Counter>& uploads_;
  metrics::Counter& upload_bytes_;
};

// Lowercase extension of an accepted video filename, or kInvalidArgument saying what is allowed.
Result<std::string> AcceptedExtension(std::string_view filename);
// The client's filename made safe to show: no directories, no control characters, ≤ 255 bytes.
std::string SafeDisplayName(std::string_view filename);

}  // namespace kinora::uploader
