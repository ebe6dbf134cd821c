#include "processor_role.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "kinora/catalog/catalog.h"
#include "kinora/core/log.h"
#include "kinora/media/probe.h"
#include "kinora/metrics/registry.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"
#include "signals.h"

namespace kinora::app {

media::MediaLimits MediaLimitsFrom(const Config& c) {
  return media::MediaLimits{.max_pixels = c.max_pixels,
                            .max_duration_seconds = static_cast<double>(c.max_duration_seconds)};
}

processor::ProcessorOptions ProcessorOptionsFrom(const Config& c, unsigned hardware_threads) {
  processor::ProcessorOptions o;
  o.workers = c.workers;
  o.lease = std::chrono::seconds(c.job_lease_seconds);
  o.work_dir = c.data_dir / "work";
  o.limits.memory_bytes = static_cast<uint64_t>(c.job_memory_mb) << 20;
  o.limits.wall = std::chrono::seconds(c.job_timeout_seconds);
  // CPU time: the watchdog's span on every core; no progress for 10 minutes is a hang.
  o.limits.cpu = o.limits.wall * std::max(1u, hardware_threads);
  o.limits.stall = std::min(o.limits.wall, std::chrono::seconds(600));
  o.media_limits = MediaLimitsFrom(c);
  return o;
}

}  // namespace kinora::app
