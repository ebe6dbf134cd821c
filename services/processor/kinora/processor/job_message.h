// The queue message of a processing job (the seed's fields) and the object keys of a video's
// outputs.
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora::processor {

struct JobMessage {
  std::string video_id, bucket, video_key, metadata_key, original_filename, correlation_id;
};

// {"video_id","s3_bucket","s3_video_key","s3_metadata_key","original_filename",
// "correlation_id"}; video_id and s3_video_key are required. kInvalidArgument otherwise.
Result<JobMessage> ParseJobMessage(std::string_view body);

// Where an output file of `kinora process` (its path relative to the output directory) is
// published: "thumbnail.jpg" -> "thumbnails/{id}.jpg" (the seed's card), anything else ->
// "processed/{id}/{file}".
std::string OutputKey(std::string_view video_id, std::string_view file);
std::string ProcessedPrefix(std::string_view video_id);  // "processed/{id}/"

}  // namespace kinora::processor
