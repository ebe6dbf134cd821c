// The processing job: the message the uploader puts on the queue and the processor takes off
// it. Typed and versioned; the JSON keeps the seed's six fields, so a seed-era worker or
// message still works, and adds "type" and "version" so later job kinds and layouts can be
// told apart.
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "kinora/catalog/video.h"
#include "kinora/core/error.h"

namespace kinora::videos {

struct ProcessingJob {
  static constexpr std::string_view kType = "process";
  static constexpr int kVersion = 1;

  std::string video_id;
  std::string bucket;        // s3_bucket
  std::string video_key;     // s3_video_key: the original
  std::string metadata_key;  // s3_metadata_key
  std::string original_filename;
  std::string correlation_id;  // of the upload, carried into the processor's logs
};

// The job that processes `v` (its keys from keys.h).
ProcessingJob JobFor(const catalog::VideoRecord& v, std::string correlation_id);

// {"type":"process","version":1,"video_id","s3_bucket","s3_video_key","s3_metadata_key",
//  "original_filename","correlation_id"}
std::string ToJsonText(const ProcessingJob& job);

// Accepts seed messages (no type or version). kInvalidArgument when it cannot be a job at all
// (not JSON, no valid video_id or s3_video_key): no retry can help. kUnsupported for a job
// type or a version newer than this build understands: a newer worker may take it.
Result<ProcessingJob> ParseProcessingJob(std::string_view body);

}  // namespace kinora::videos
