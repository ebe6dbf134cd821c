// The processing job message (libs/videos/job.cc), as the processor takes it off the queue. A
// message that parses must survive its own serialisation unchanged.
#include <string>

#include "fuzz_check.h"
#include "kinora/videos/job.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto job = kinora::videos::ParseProcessingJob(body);
  if (!job) return 0;
  KINORA_FUZZ_CHECK(!job->video_id.empty() && !job->video_key.empty());
  auto again = kinora::videos::ParseProcessingJob(kinora::videos::ToJsonText(*job));
  KINORA_FUZZ_CHECK(again.has_value());
  KINORA_FUZZ_CHECK(again->video_id == job->video_id && again->bucket == job->bucket);
  KINORA_FUZZ_CHECK(again->video_key == job->video_key && again->metadata_key == job->metadata_key);
  KINORA_FUZZ_CHECK(again->original_filename == job->original_filename &&
                    again->correlation_id == job->correlation_id);
  return 0;
}
