// `kinora reprocess ID... | --all`: queues reprocess jobs (kinora/videos/job.h), so videos
// processed before the content analysis existed get it, and every output is made again by the
// current pipeline. The jobs go through the catalog's outbox: a running server (its uploader
// role) publishes them within about a second and its processors do them.
#pragma once

#include <string>
#include <vector>

#include "config.h"

namespace kinora::app {

struct ReprocessArgs {
  std::vector<std::string> video_ids;
  bool all = false;  // every video in the catalog
};

// Prints a JSON summary line ({"queued":N,"failed":M,"errors":[…]}); exit code 0, 1 when some
// video could not be queued (unknown id, catalog error), 2 for bad arguments.
int RunReprocess(const Config& config, const ReprocessArgs& args);

}  // namespace kinora::app
