// The processor role: worker options from the settings, and `kinora processor` (the worker
// pool alone, consuming the configured queue; no HTTP).
#pragma once

#include "config.h"
#include "kinora/processor/processor.h"

namespace kinora::app {

processor::ProcessorOptions ProcessorOptionsFrom(const Config& c, unsigned hardware_threads);

// Runs until SIGINT/SIGTERM; returns the process exit code.
int RunProcessor(const Config& config);

}  // namespace kinora::app
