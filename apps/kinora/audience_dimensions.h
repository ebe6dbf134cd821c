// The beacon ingest's breakdown dimensions from the maintained data: browser, OS and device
// type from uap-core's regexes (libs/useragent), country from the operator's .mmdb
// (libs/geoip, KINORA_GEOIP_DB; none → no country).
// Thread safety: the resolver may be called from any thread (both libraries are).
#pragma once

#include "config.h"
#include "kinora/audience/viewer.h"
#include "kinora/core/error.h"

namespace kinora::app {

// Loads the regexes and opens the database once. Fails when KINORA_UAP_REGEXES or
// KINORA_GEOIP_DB names a file that does not load.
Result<audience::DimensionResolver> MakeDimensionResolver(const Config& c);

}  // namespace kinora::app
