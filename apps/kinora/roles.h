// The roles `kinora` runs: every role in one process (`serve`, the embedded default), or one
// role per process for a replicated deployment (`gateway`, `uploader`, `analytics`,
// `processor`). The same components, assembled from a different list (userver style).
#pragma once

#include "config.h"

namespace kinora::app {

enum class Role { kServe, kGateway, kUploader, kAnalytics, kProcessor };

std::string_view ToString(Role r);

// Runs until SIGINT/SIGTERM; returns the process exit code.
int RunRole(const Config& config, Role role);

}  // namespace kinora::app
