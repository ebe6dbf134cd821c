// `kinora reindex`: rebuilds the catalog from the metadata/{id}.json documents in the object
// store (written at upload and at every processing outcome), e.g. after losing the database or
// moving to another catalog backend.
#pragma once

#include "config.h"

namespace kinora::app {

struct ReindexArgs {
  bool update_existing = false;  // refresh rows that exist (counters are kept) instead of skipping
};

// Prints a JSON summary line; exit code 0, or 1 when some document could not be read.
int RunReindex(const Config& config, const ReindexArgs& args);

}  // namespace kinora::app
