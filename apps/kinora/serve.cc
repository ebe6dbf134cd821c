#include "serve.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "kinora/analytics/analytics.h"
#include "kinora/catalog/catalog.h"
#include "kinora/core/log.h"
#include "kinora/gateway/gateway.h"
#include "kinora/http/server.h"
#include "kinora/media/probe.h"
#include "kinora/metrics/registry.h"
#include "kinora/queue/job_queue.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/uploader.h"
#include "processor_role.h"
#include "signals.h"

namespace kinora::app {
namespace {

namespace fs = std::filesystem;

// The URL-signing secret: configured, or generated once and kept (0600) in the data dir so
// signed URLs stay valid across restarts.
Result<std::string> SigningKey(const Config& c) {
  if (!c.signing_key.empty()) return c.signing_key;
  fs::path file = c.data_dir / "signing.key";
  std::ifstream in(file);
  std::string key;
  if (in && std::getline(in, key) && key.size() >= 32) return key;
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  key.clear();
  for (int i = 0; i < 64; ++i) key.push_back(kHex[rd() % 16]);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kUnavailable, "cannot write " + file.string());
  std::string line = key + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return MakeError(ErrorCode::kUnavailable, "cannot write " + file.string());
  return key;
}

int Fail(std::string_view what, const Error& e) {
  log::Error(what, {{"error", e.message}});
  std::fprintf(stderr, "kinora: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               e.message.c_str());
  return 1;
}

}  // namespace

int RunServe(const Config& c) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure("serve", level);
  media::InstallLibavLogging();

  std::error_code ec;
  fs::create_directories(c.data_dir, ec);
  if (ec)
    return Fail("cannot create the data directory",
                MakeError(ErrorCode::kUnavailable, ec.message()));

  auto store = storage::OpenObjectStore(c.storage_url);
  if (!store) return Fail("cannot open the object store", store.error());
  auto queue = queue::OpenJobQueue(c.queue_url);
  if (!queue) return Fail("cannot open the job queue", queue.error());
  auto catalog = catalog::OpenCatalog(c.db_url);
  if (!catalog) return Fail("cannot open the catalog", catalog.error());
  auto key = SigningKey(c);
  if (!key) return Fail("cannot set up URL signing", key.error());

  metrics::Registry registry;
  storage::ObjectStore& s = **store;
  queue::JobQueue& q = **queue;
  catalog::Catalog& cat = **catalog;
  registry.AddCallbackGauge("kinora_queue_visible_messages", "Jobs waiting in the queue.", [&q] {
    auto st = q.Stats();
    return st ? static_cast<double>(st->visible) : 0.0;
  });
  registry.AddCallbackGauge("kinora_queue_dead_messages", "Jobs in the dead-letter queue.", [&q] {
    auto st = q.Stats();
    return st ? static_cast<double>(st->dead) : 0.0;
  });

  http::UrlSigner signer(*key);
  http::Router router;
  gateway::Gateway gw(s, signer, registry,
                      {{"storage", [&s] { return s.Ping(); }},
                       {"queue", [&q] { return q.Ping(); }},
                       {"catalog", [&cat] { return cat.Ping(); }}},
                      gateway::GatewayOptions{.role = "serve", .web_dir = c.web_dir});
  analytics::Analytics an(
      cat, signer, registry,
      analytics::AnalyticsOptions{.url_ttl = std::chrono::seconds(c.url_ttl_seconds)});
  uploader::Uploader up(s, cat, q, registry,
                        uploader::UploaderOptions{.max_upload_bytes = c.max_upload_bytes,
                                                  .bucket = c.bucket,
                                                  .present = [&an](const catalog::VideoRecord& v) {
                                                    return an.VideoJson(v);
                                                  }});
  gw.Register(router);
  up.Register(router, "/api/uploader");
  router.AddStreaming(
      http::Verb::post, "/api/upload",  // seed-compatible alias
      [&up](http::Request& req, http::BodyReader& body) { return up.Upload(req, body); },
      up.upload_route_options());
  an.Register(router, "/api/analytics");

  http::ServerOptions so;
  so.host = c.host;
  so.port = c.port;
  so.threads = c.http_threads;
  so.metrics = &registry;
  std::unique_ptr<processor::Processor> proc;
  if (c.workers > 0) {
    proc = std::make_unique<processor::Processor>(
        s, q, cat, registry, ProcessorOptionsFrom(c, std::thread::hardware_concurrency()));
  }
  http::Server server(so, std::move(router));
  auto port = server.Listen();
  if (!port) return Fail("cannot start the HTTP server", port.error());
  // Processing runs on its own worker threads (each job in a child process), never on the
  // HTTP threads.
  log::Info("kinora serve is listening",
            {{"address", "http://" + c.host + ":" + std::to_string(*port)},
             {"data_dir", fs::absolute(c.data_dir).string()},
             {"storage", s.Describe()},
             {"queue", q.Describe()},
             {"catalog", cat.Describe()}});
  if (proc) proc->Start();
  {
    SignalWaiter waiter([&] {
      server.Stop();
      if (proc) proc->RequestStop();
      q.Interrupt();
    });
    server.Run();
  }
  if (proc) proc->Stop();  // running jobs are released to the queue for the next start
  log::Info("stopped");
  return 0;
}

}  // namespace kinora::app
