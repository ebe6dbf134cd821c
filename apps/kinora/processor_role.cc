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
  return o;
}

int RunProcessor(const Config& c) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure("processor", level);
  media::InstallLibavLogging();
  auto fail = [](std::string_view what, const Error& e) {
    log::Error(what, {{"error", e.message}});
    return 1;
  };
  auto store = storage::OpenObjectStore(c.storage_url);
  if (!store) return fail("cannot open the object store", store.error());
  auto queue = queue::OpenJobQueue(c.queue_url);
  if (!queue) return fail("cannot open the job queue", queue.error());
  auto catalog = catalog::OpenCatalog(c.db_url);
  if (!catalog) return fail("cannot open the catalog", catalog.error());
  metrics::Registry registry;
  processor::ProcessorOptions o = ProcessorOptionsFrom(c, std::thread::hardware_concurrency());
  o.workers = std::max(1, o.workers);
  processor::Processor p(**store, **queue, **catalog, registry, o);
  p.Start();
  {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    SignalWaiter waiter([&] {
      (*queue)->Interrupt();
      std::lock_guard lock(mu);
      done = true;
      cv.notify_all();
    });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
  }
  p.Stop();
  log::Info("stopped");
  return 0;
}

}  // namespace kinora::app
