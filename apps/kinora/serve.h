// `kinora serve`: every role in one process on the embedded backends.
#pragma once

#include "config.h"

namespace kinora::app {

// Runs until SIGINT/SIGTERM; returns the process exit code.
int RunServe(const Config& config);

}  // namespace kinora::app
