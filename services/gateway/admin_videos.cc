#include "kinora/gateway/admin_videos.h"

#include <boost/json.hpp>

#include "kinora/core/ids.h"
#include "kinora/core/log.h"
#include "kinora/http/problem.h"
#include "kinora/videos/job.h"

namespace kinora::gateway {

void AdminVideos::Register(http::Router& router) {
  router.Add(http::Verb::post, "/api/admin/videos/{id}/reprocess",
             [this](http::Request& r) { return Reprocess(r); });
}

http::Response AdminVideos::Reprocess(http::Request& req) {
  const std::string& id = req.path_params["id"];
  if (!IsUuid(id)) return http::ProblemFrom(NotFound("video not found: " + id.substr(0, 64)));
  auto queued = videos::QueueReprocess(catalog_, id, req.correlation_id);
  if (!queued) return http::ProblemFrom(queued.error());
  log::Info("reprocess queued", {{"video_id", id},
                                 {"correlation_id", req.correlation_id},
                                 {"by", req.principal.caller.user_id}});
  return http::Json(http::Status::accepted,
                    boost::json::object{{"status", "queued"},
                                        {"video_id", id},
                                        {"previous_status", catalog::ToString(queued->status)}});
}

}  // namespace kinora::gateway
