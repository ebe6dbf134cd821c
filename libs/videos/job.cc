#include "kinora/videos/job.h"

#include <boost/json.hpp>

#include "kinora/core/ids.h"
#include "kinora/core/json_text.h"
#include "kinora/videos/keys.h"

namespace kinora::videos {

namespace json = boost::json;

ProcessingJob JobFor(const catalog::VideoRecord& v, std::string correlation_id) {
  return ProcessingJob{.video_id = v.video_id,
                       .bucket = v.bucket,
                       .video_key = v.video_key,
                       .metadata_key = MetadataKey(v.video_id),
                       .original_filename = v.original_filename,
                       .correlation_id = std::move(correlation_id)};
}

std::string ToJsonText(const ProcessingJob& job) {
  json::object o{{"type", ProcessingJob::kType},
                 {"version", job.reprocess ? 2 : 1},
                 {"video_id", job.video_id},
                 {"s3_bucket", job.bucket},
                 {"s3_video_key", job.video_key},
                 {"s3_metadata_key", job.metadata_key},
                 {"original_filename", job.original_filename},
                 {"correlation_id", job.correlation_id}};
  if (job.reprocess) o["reprocess"] = true;
  return kinora::ToJsonText(o);
}

Result<catalog::VideoRecord> QueueReprocess(catalog::Catalog& catalog, std::string_view video_id,
                                            std::string correlation_id) {
  KINORA_TRY(catalog::VideoRecord v, catalog.Get(video_id));
  ProcessingJob job = JobFor(v, std::move(correlation_id));
  job.reprocess = true;
  KINORA_TRY_VOID(catalog.AddJob(v.video_id, ToJsonText(job)));
  return v;
}

Result<ProcessingJob> ParseProcessingJob(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return InvalidArgument("the job message is not a JSON object");
  }
  const json::object& o = v.get_object();
  auto str = [&](std::string_view key) {
    const json::value* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  if (const json::value* t = o.if_contains("type"); t && *t != json::value(ProcessingJob::kType)) {
    return Unsupported("the job is of a type this worker does not know");
  }
  if (const json::value* ver = o.if_contains("version")) {
    if (!ver->is_int64() || ver->get_int64() < 1) {
      return InvalidArgument("the job message has no valid version");
    }
    if (ver->get_int64() > ProcessingJob::kVersion) {
      return Unsupported("the job has version " + std::to_string(ver->get_int64()) +
                         "; this worker understands up to " +
                         std::to_string(ProcessingJob::kVersion));
    }
  }
  ProcessingJob job{.video_id = str("video_id"),
                    .bucket = str("s3_bucket"),
                    .video_key = str("s3_video_key"),
                    .metadata_key = str("s3_metadata_key"),
                    .original_filename = str("original_filename"),
                    .correlation_id = str("correlation_id"),
                    .reprocess = false};
  if (const json::value* r = o.if_contains("reprocess")) {
    if (!r->is_bool()) return InvalidArgument("the job message's reprocess is not a boolean");
    job.reprocess = r->get_bool();
  }
  if (!IsUuid(job.video_id)) {
    return InvalidArgument("the job message has no valid video_id");
  }
  if (job.video_key.empty()) {
    return InvalidArgument("the job message has no s3_video_key");
  }
  return job;
}

}  // namespace kinora::videos
