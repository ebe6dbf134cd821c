// The processing job: the message the uploader puts on the queue and the processor takes off
// it. Typed and versioned; the JSON keeps the seed's six fields, so a seed-era worker or
// message still works, and adds "type" and "version" so later job kinds and layouts can be
// told apart. Version 2 adds "reprocess": redo the job of a video that is already PROCESSED
// (kinora reprocess, POST /api/admin/videos/{id}/reprocess), which a version-1 worker would
// take for a duplicate delivery; so only reprocess jobs are written as version 2, and plain
// jobs stay version 1 for workers of every version.
// Thread safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>

#include "kinora/catalog/catalog.h"
#include "kinora/catalog/video.h"
#include "kinora/core/error.h"

namespace kinora::videos {

struct ProcessingJob {
  static constexpr std::string_view kType = "process";
  static constexpr int kVersion = 2;  // the newest layout this build reads

  std::string video_id;
  std::string bucket;        // s3_bucket
  std::string video_key;     // s3_video_key: the original
  std::string metadata_key;  // s3_metadata_key
  std::string original_filename;
  std::string correlation_id;  // of the upload, carried into the processor's logs
  // Redo the job even when the video is PROCESSED, replacing its outputs (version 2).
  bool reprocess = false;
};

// The job that processes `v` (its keys from keys.h).
ProcessingJob JobFor(const catalog::VideoRecord& v, std::string correlation_id);

// {"type":"process","version":1,"video_id","s3_bucket","s3_video_key","s3_metadata_key",
//  "original_filename","correlation_id"}; a reprocess job has "version":2 and "reprocess":true.
std::string ToJsonText(const ProcessingJob& job);

// Accepts seed messages (no type or version). kInvalidArgument when it cannot be a job at all
// (not JSON, no valid video_id or s3_video_key): no retry can help. kUnsupported for a job
// type or a version newer than this build understands: a newer worker may take it.
Result<ProcessingJob> ParseProcessingJob(std::string_view body);

// Queues a reprocess job for the video `video_id` through the catalog's outbox (the relay
// publishes it within about a second, from whichever role runs it), whatever the video's status.
// Returns the video as it was. kNotFound for an unknown video.
Result<catalog::VideoRecord> QueueReprocess(catalog::Catalog& catalog, std::string_view video_id,
                                            std::string correlation_id);

}  // namespace kinora::videos
