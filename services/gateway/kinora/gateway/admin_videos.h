// Administration of videos: POST /api/admin/videos/{id}/reprocess queues a reprocess job for
// a video (whatever its status: a PROCESSED one gets its outputs and content analysis made
// again, docs/content-analysis.md). Served by the gateway role, which owns /api/admin/*; the job
// goes through the catalog's outbox, which the uploader role's relay publishes.
// Thread safety: handlers may run concurrently (the catalog is thread-safe).
#pragma once

#include <string>

#include "kinora/catalog/catalog.h"
#include "kinora/http/router.h"

namespace kinora::gateway {

class AdminVideos {
 public:
  explicit AdminVideos(catalog::Catalog& catalog) : catalog_(catalog) {}

  // POST /api/admin/videos/{id}/reprocess (the right to call it is the access table's).
  void Register(http::Router& router);

  // 202 {"status":"queued","video_id","previous_status"}; 404 for an unknown video.
  http::Response Reprocess(http::Request& req);

 private:
  catalog::Catalog& catalog_;
};

}  // namespace kinora::gateway
