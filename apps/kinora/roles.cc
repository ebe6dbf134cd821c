#include "roles.h"

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
#include "kinora/gateway/api_proxy.h"
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

std::string_view ToString(Role r) {
  switch (r) {
    case Role::kServe:
      return "serve";
    case Role::kGateway:
      return "gateway";
    case Role::kUploader:
      return "uploader";
    case Role::kAnalytics:
      return "analytics";
    case Role::kProcessor:
      return "processor";
  }
  return "serve";
}

int RunRole(const Config& c, Role role) {
  const std::string name(ToString(role));
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure(name, level);
  media::InstallLibavLogging();

  // What this role needs.
  const bool all = role == Role::kServe;
  const bool needs_queue = all || role == Role::kUploader || role == Role::kProcessor;
  const bool needs_catalog = role != Role::kGateway;
  const bool serves_api_here = all || role == Role::kUploader || role == Role::kAnalytics;

  std::error_code ec;
  fs::create_directories(c.data_dir, ec);
  if (ec)
    return Fail("cannot create the data directory",
                MakeError(ErrorCode::kUnavailable, ec.message()));

  auto store = storage::OpenObjectStore(c.storage_url);
  if (!store) return Fail("cannot open the object store", store.error());
  std::unique_ptr<queue::JobQueue> q;
  if (needs_queue) {
    auto opened = queue::OpenJobQueue(c.queue_url);
    if (!opened) return Fail("cannot open the job queue", opened.error());
    q = std::move(*opened);
  }
  std::unique_ptr<catalog::Catalog> cat;
  if (needs_catalog) {
    auto opened = catalog::OpenCatalog(c.db_url);
    if (!opened) return Fail("cannot open the catalog", opened.error());
    cat = std::move(*opened);
  }
  auto key = SigningKey(c);
  if (!key) return Fail("cannot set up URL signing", key.error());

  metrics::Registry registry;
  storage::ObjectStore& s = **store;
  if (q) {
    queue::JobQueue* qp = q.get();
    registry.AddCallbackGauge("kinora_queue_visible_messages", "Jobs waiting in the queue.", [qp] {
      auto st = qp->Stats();
      return st ? static_cast<double>(st->visible) : 0.0;
    });
    registry.AddCallbackGauge("kinora_queue_dead_messages", "Jobs in the dead-letter queue.", [qp] {
      auto st = qp->Stats();
      return st ? static_cast<double>(st->dead) : 0.0;
    });
  }

  std::vector<gateway::ReadyCheck> checks = {{"storage", [&s] { return s.Ping(); }}};
  if (q) checks.push_back({"queue", [qp = q.get()] { return qp->Ping(); }});
  if (cat) checks.push_back({"catalog", [cp = cat.get()] { return cp->Ping(); }});

  http::UrlSigner signer(*key);
  http::Router router;
  gateway::Gateway gw(s, signer, registry, std::move(checks),
                      gateway::GatewayOptions{.role = name, .web_dir = c.web_dir});
  std::unique_ptr<analytics::Analytics> an;
  std::unique_ptr<uploader::Uploader> up;
  std::unique_ptr<gateway::ApiProxy> proxy;
  if (all || role == Role::kGateway) {
    gw.Register(router);
  } else {
    gw.RegisterOps(router);
  }
  if (serves_api_here) {
    // The uploader answers with the video's public JSON, which the analytics code renders.
    an = std::make_unique<analytics::Analytics>(
        *cat, signer, registry,
        analytics::AnalyticsOptions{.url_ttl = std::chrono::seconds(c.url_ttl_seconds),
                                    .direct_store = &s});
  }
  if (all || role == Role::kUploader) {
    analytics::Analytics* anp = an.get();
    up = std::make_unique<uploader::Uploader>(
        s, *cat, *q, registry,
        uploader::UploaderOptions{
            .max_upload_bytes = c.max_upload_bytes,
            .bucket = c.bucket,
            .present = [anp](const catalog::VideoRecord& v) { return anp->VideoJson(v); }});
    up->Register(router, "/api/uploader");
    uploader::Uploader* upp = up.get();
    router.AddStreaming(
        http::Verb::post, "/api/upload",  // seed-compatible alias
        [upp](http::Request& req, http::BodyReader& body) { return upp->Upload(req, body); },
        up->upload_route_options());
  }
  if (all || role == Role::kAnalytics) an->Register(router, "/api/analytics");
  if (role == Role::kGateway) {
    auto uploader_up = http::ParseUpstream("uploader", c.uploader_url);
    auto analytics_up = http::ParseUpstream("analytics", c.analytics_url);
    if (!uploader_up || !analytics_up) {
      return Fail("the gateway needs KINORA_UPLOADER_URL and KINORA_ANALYTICS_URL",
                  !uploader_up ? uploader_up.error() : analytics_up.error());
    }
    proxy = std::make_unique<gateway::ApiProxy>(
        *uploader_up, *analytics_up,
        gateway::ApiProxyOptions{.max_upload_bytes = c.max_upload_bytes, .proxy = {}});
    proxy->Register(router);
  }

  std::unique_ptr<processor::Processor> proc;
  if ((all && c.workers > 0) || role == Role::kProcessor) {
    processor::ProcessorOptions o = ProcessorOptionsFrom(c, std::thread::hardware_concurrency());
    if (role == Role::kProcessor) o.workers = std::max(1, o.workers);
    proc = std::make_unique<processor::Processor>(s, *q, *cat, registry, o);
  }

  http::ServerOptions so;
  so.host = c.host;
  so.port = c.port;
  so.threads = c.http_threads;
  so.shutdown_grace = std::chrono::seconds(c.shutdown_grace_seconds);
  so.metrics = &registry;
  http::Server server(so, std::move(router));
  auto port = server.Listen();
  if (!port) return Fail("cannot start the HTTP server", port.error());
  // Processing runs on its own worker threads (each job in a child process), never on the
  // HTTP threads.
  log::Info("kinora " + name + " is listening",
            {{"address", "http://" + c.host + ":" + std::to_string(*port)},
             {"data_dir", fs::absolute(c.data_dir).string()},
             {"storage", s.Describe()},
             {"queue", q ? q->Describe() : "-"},
             {"catalog", cat ? cat->Describe() : "-"},
             {"uploader", c.uploader_url},
             {"analytics", c.analytics_url}});
  if (proc) proc->Start();
  {
    SignalWaiter waiter([&] {
      server.Stop();
      if (proc) proc->RequestStop();
      if (q) q->Interrupt();
    });
    server.Run();
  }
  if (proc) proc->Stop();  // running jobs are released to the queue for the next start
  log::Info("stopped");
  return 0;
}

}  // namespace kinora::app
