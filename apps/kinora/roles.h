// The roles `kinora` runs: every role in one process (`serve`, the embedded default), or one
// role per process for a replicated deployment (`gateway`, `uploader`, `analytics`,
// `processor`). The same components, assembled from a different list (components.h).
#pragma once

#include "components.h"
#include "config.h"

namespace kinora::app {

// Runs until SIGINT/SIGTERM; returns the process exit code.
int RunRole(const Config& config, Role role);

}  // namespace kinora::app
