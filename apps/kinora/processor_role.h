// The processor role's worker options, from the settings.
#pragma once

#include "config.h"
#include "kinora/processor/processor.h"

namespace kinora::app {

processor::ProcessorOptions ProcessorOptionsFrom(const Config& c, unsigned hardware_threads);
// KINORA_MAX_PIXELS and KINORA_MAX_DURATION_SECONDS, for the probe and the processing child.
media::MediaLimits MediaLimitsFrom(const Config& c);

}  // namespace kinora::app
