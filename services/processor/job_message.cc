#include "kinora/processor/job_message.h"

#include <boost/json/parse.hpp>

#include "kinora/core/ids.h"
#include "kinora/media/transcode.h"

namespace kinora::processor {

Result<JobMessage> ParseJobMessage(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "the job message is not a JSON object");
  }
  const boost::json::object& o = v.get_object();
  auto str = [&](std::string_view key) {
    const boost::json::value* f = o.if_contains(key);
    return f && f->is_string() ? std::string(f->get_string()) : std::string();
  };
  JobMessage m{str("video_id"),          str("s3_bucket"),     str("s3_video_key"),
               str("s3_metadata_key"),   str("original_filename"), str("correlation_id")};
  if (!IsUuid(m.video_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "the job message has no valid video_id");
  }
  if (m.video_key.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the job message has no s3_video_key");
  }
  return m;
}

std::string ProcessedPrefix(std::string_view video_id) {
  return "processed/" + std::string(video_id) + "/";
}

std::string OutputKey(std::string_view video_id, std::string_view file) {
  if (file == media::kThumbnailFile) return "thumbnails/" + std::string(video_id) + ".jpg";
  return ProcessedPrefix(video_id) + std::string(file);
}

}  // namespace kinora::processor
