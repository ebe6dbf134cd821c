// The processor role's worker options, from the settings.
#pragma once

#include "config.h"
#include "kinora/processor/processor.h"

namespace kinora::app {

processor::ProcessorOptions ProcessorOptionsFrom(const Config& c, unsigned hardware_threads);

}  // namespace kinora::app
