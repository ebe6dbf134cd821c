#include "roles.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <thread>

#include "access_wiring.h"
#include "allocator.h"
#include "audience_dimensions.h"
#include "file_limit.h"
#include "kinora/access/guard.h"
#include "kinora/accounts/accounts.h"
#include "kinora/analytics/analytics.h"
#include "kinora/analytics/content_api.h"
#include "kinora/audience/beacon_api.h"
#include "kinora/audience/report_api.h"
#include "kinora/audience/reports/report_store.h"
#include "kinora/audience/store.h"
#include "kinora/audience/sweeper.h"
#include "kinora/catalog/catalog.h"
#include "kinora/catalog/postgres_catalog.h"
#include "kinora/core/log.h"
#include "kinora/gateway/admin_videos.h"
#include "kinora/gateway/api_proxy.h"
#include "kinora/gateway/gateway.h"
#include "kinora/http/server.h"
#include "kinora/media/probe.h"
#include "kinora/metrics/registry.h"
#include "kinora/pg/shared_query.h"
#include "kinora/queue/job_queue.h"
#include "kinora/sandbox/sandbox.h"
#include "kinora/storage/disk_reserve.h"
#include "kinora/storage/object_store.h"
#include "kinora/uploader/probe_child.h"
#include "kinora/uploader/uploader.h"
#include "kinora/videos/presenter.h"
#include "processor_role.h"
#include "repair_loop.h"
#include "signals.h"
#include "web_app.h"

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
  if (fd < 0) return Unavailable("cannot write " + file.string());
  std::string line = key + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Unavailable("cannot write " + file.string());
  return key;
}

int Fail(std::string_view what, const Error& e) {
  log::Error(what, {{"error", e.message}});
  std::fprintf(stderr, "kinora: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               e.message.c_str());
  return 1;
}

// A secret for a role that hands out no URLs (its signer is never used).
std::string EphemeralKey() {
  std::random_device rd;
  std::string key;
  for (int i = 0; i < 8; ++i) key += std::to_string(rd());
  return key;
}

// Everything one process is made of: the resources its components need, opened once, and the
// components themselves. Members are declared in dependency order, so they are destroyed in
// reverse: components before the resources they use.
struct Process {
  Process(const Config& c, Role r)
      : config(c), role(r), name(ToString(r)), components(ComponentsOf(r)) {}

  const Config& config;
  Role role;
  std::string name;
  std::vector<Component> components;
  std::filesystem::path web_dir;  // of the web app, when a component serves it

  std::unique_ptr<storage::ObjectStore> store;
  std::unique_ptr<queue::JobQueue> queue;
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<identity::IdentityStore> identity;
  std::unique_ptr<http::UrlSigner> signer;
  std::unique_ptr<access::Guard> guard;        // made before the components: accounts use it
  std::unique_ptr<storage::DiskReserve> disk;  // when the process keeps anything in data_dir
  metrics::Registry registry;
  http::Router router;

  std::unique_ptr<videos::Presenter> presenter;
  std::unique_ptr<gateway::Gateway> gateway;
  std::unique_ptr<uploader::Uploader> uploader;
  std::unique_ptr<audience::AudienceStore> audience_store;
  std::unique_ptr<audience::BeaconApi> beacon_api;
  std::unique_ptr<audience::Sweeper> audience_sweeper;
  std::unique_ptr<analytics::Analytics> analytics;
  std::unique_ptr<analytics::ContentApi> content_api;
  std::unique_ptr<audience::reports::ReportStore> report_store;
  std::unique_ptr<audience::ReportApi> report_api;
  std::unique_ptr<pg::SharedQuery> list_versions;  // the proxy's, on a PostgreSQL catalog
  std::unique_ptr<gateway::ApiProxy> proxy;
  std::unique_ptr<accounts::Accounts> accounts;
  std::unique_ptr<gateway::AdminVideos> admin_videos;
  std::unique_ptr<processor::Processor> processor;
  std::unique_ptr<RepairLoop> repair;
};

// Whether the process keeps anything under the data directory: embedded backends, or the
// processor's scratch space.
bool UsesDataDir(const Process& p) {
  const Config& c = p.config;
  auto needs = [&](Resource r) { return Needs(p.components, r); };
  return (needs(Resource::kObjectStore) && c.storage_url.starts_with("file:")) ||
         (needs(Resource::kJobQueue) && c.queue_url.starts_with("sqlite:")) ||
         ((needs(Resource::kCatalog) || needs(Resource::kIdentityStore)) &&
          c.db_url.starts_with("sqlite:")) ||
         std::find(p.components.begin(), p.components.end(), Component::kWorkerPool) !=
             p.components.end();
}

// The data directory's disk reserve: a /ready check, metrics, and a check uploads and the
// processor make before taking work.
void WatchDisk(Process& p) {
  if (!UsesDataDir(p)) return;
  p.disk = std::make_unique<storage::DiskReserve>(p.config.data_dir, p.config.min_free_bytes);
  const storage::DiskReserve* d = p.disk.get();
  p.registry.AddCallbackGauge("kinora_disk_free_bytes",
                              "Free space of the filesystem holding the data directory.",
                              [d] { return d->FreeBytes(); });
  p.registry.AddCallbackGauge(
      "kinora_disk_reserve_bytes",
      "Free space below which uploads and jobs stop (KINORA_MIN_FREE_BYTES).",
      [d] { return static_cast<double>(d->min_free_bytes()); });
}

std::function<Result<void>()> DiskCheck(const Process& p) {
  if (!p.disk) return {};
  const storage::DiskReserve* d = p.disk.get();
  return [d] { return d->Check(); };
}

// Opens what the components need; the first failure is returned with what failed.
Result<void> OpenResources(Process& p) {
  const Config& c = p.config;
  auto needs = [&](Resource r) { return Needs(p.components, r); };
  if (needs(Resource::kObjectStore)) {
    auto opened = storage::OpenObjectStore(c.storage_url);
    if (!opened) return Annotate(opened.error(), "cannot open the object store");
    p.store = std::move(*opened);
  }
  if (needs(Resource::kJobQueue)) {
    auto opened = queue::OpenJobQueue(c.queue_url);
    if (!opened) return Annotate(opened.error(), "cannot open the job queue");
    p.queue = std::move(*opened);
  }
  if (needs(Resource::kCatalog)) {
    // One connection for every call the process can make at once: each HTTP thread, each
    // processing worker, and a few for background passes (outbox relay, reconciler, sweepers).
    auto opened = catalog::OpenCatalog(
        c.db_url, catalog::CatalogOptions{.connections = c.http_threads + c.workers + 4});
    if (!opened) return Annotate(opened.error(), "cannot open the catalog");
    p.catalog = std::move(*opened);
  }
  if (needs(Resource::kIdentityStore)) {
    auto opened = identity::OpenIdentityStore(c.db_url);
    if (!opened) return Annotate(opened.error(), "cannot open the accounts store");
    p.identity = std::move(*opened);
  }
  std::string key = EphemeralKey();
  if (needs(Resource::kUrlSigner)) {
    auto configured = SigningKey(c);
    if (!configured) return Annotate(configured.error(), "cannot set up URL signing");
    key = *configured;
  }
  p.signer = std::make_unique<http::UrlSigner>(key);
  WatchDisk(p);
  if (p.queue) {
    queue::JobQueue* qp = p.queue.get();
    p.registry.AddCallbackGauge("kinora_queue_visible_messages", "Jobs waiting in the queue.",
                                [qp] {
                                  auto st = qp->Stats();
                                  return st ? static_cast<double>(st->visible) : 0.0;
                                });
    p.registry.AddCallbackGauge("kinora_queue_dead_messages", "Jobs in the dead-letter queue.",
                                [qp] {
                                  auto st = qp->Stats();
                                  return st ? static_cast<double>(st->dead) : 0.0;
                                });
  }
  if (p.store) {
    p.presenter = std::make_unique<videos::Presenter>(
        *p.signer, videos::PresenterOptions{
                       .url_ttl = std::chrono::seconds(c.url_ttl_seconds),
                       .private_url_ttl = std::chrono::seconds(c.access.private_url_ttl_seconds),
                       // Never presigned store URLs: they could not be revoked (docs/auth.md).
                       .direct_store = nullptr});
  }
  return {};
}

// Builds one component and registers its routes.
Result<void> AddComponent(Process& p, Component part) {
  const Config& c = p.config;
  switch (part) {
    case Component::kOps: {
      std::vector<gateway::ReadyCheck> checks;  // /ready: every resource this process opened
      if (auto* s = p.store.get()) checks.push_back({"storage", [s] { return s->Ping(); }});
      if (auto* q = p.queue.get()) checks.push_back({"queue", [q] { return q->Ping(); }});
      if (auto* k = p.catalog.get()) checks.push_back({"catalog", [k] { return k->Ping(); }});
      if (auto* d = p.disk.get()) checks.push_back({"disk", [d] { return d->Check(); }});
      // The same object serves the web app and media when the role has kWebApp.
      p.gateway = std::make_unique<gateway::Gateway>(
          *p.store, p.catalog.get(), *p.signer, p.registry, std::move(checks),
          gateway::GatewayOptions{.role = p.name, .web_dir = p.web_dir});
      p.gateway->RegisterOps(p.router);
      return {};
    }
    case Component::kWebApp:
      p.gateway->RegisterWeb(p.router);
      return {};
    case Component::kUploaderApi: {
      p.uploader = std::make_unique<uploader::Uploader>(
          *p.store, *p.catalog, *p.queue, p.identity.get(), *p.presenter, p.registry,
          uploader::UploaderOptions{
              .max_upload_bytes = c.max_upload_bytes,
              .ingest = {.bucket = c.bucket,
                         .probe = uploader::SandboxedProber(
                             {.executable = {}, .media = MediaLimitsFrom(c), .limits = {}}),
                         .limits = MediaLimitsFrom(c)},
              .default_visibility = c.access.default_visibility,
              .disk_check = DiskCheck(p),
              .finish_threads = 2,
              .upload_expiry = std::chrono::seconds(c.upload_expiry_seconds),
              .upload_sweep_every = std::chrono::seconds(c.upload_sweep_seconds)});
      p.uploader->Register(p.router, "/api/uploader");
      p.uploader->RegisterResumable(p.router);
      uploader::Uploader* up = p.uploader.get();
      p.router.AddStreaming(
          http::Verb::post, "/api/upload",  // seed-compatible alias
          [up](http::Request& req, http::BodyReader& body) { return up->Upload(req, body); },
          up->upload_route_options());
      return {};
    }
    case Component::kAudienceIngest: {
      auto opened = audience::OpenAudienceStore(c.db_url);
      if (!opened) return Annotate(opened.error(), "cannot open the audience tables");
      p.audience_store = std::move(*opened);
      audience::BeaconApiOptions o;
      o.rate_limit = c.access.rate_limit;
      o.rate = {.per_minute = c.rate_beacon, .burst = std::max(10.0, c.rate_beacon / 4)};
      auto dimensions = MakeDimensionResolver(c);
      if (!dimensions) return Annotate(dimensions.error(), "breakdown dimensions");
      o.dimensions = std::move(*dimensions);
      p.beacon_api = std::make_unique<audience::BeaconApi>(*p.audience_store, *p.catalog,
                                                           p.registry, std::move(o));
      p.beacon_api->Register(p.router, "/api/analytics");
      audience::SweepPolicy policy;
      policy.retention_ms = int64_t{c.analytics_retention_days} * 24 * 3600 * 1000;
      p.audience_sweeper = std::make_unique<audience::Sweeper>(
          *p.audience_store, std::chrono::seconds(c.audience_sweep_seconds), policy);
      return {};
    }
    case Component::kAnalyticsApi: {
      analytics::AnalyticsOptions o;
      o.listing_cache_max_age = std::chrono::milliseconds(c.listing_cache_ms);
      if (audience::BeaconApi* beacons = p.beacon_api.get()) {
        o.count_view = [beacons](const http::Request& req, std::string_view id) {
          return beacons->ClaimLegacyView(req, id);
        };
      }
      p.analytics = std::make_unique<analytics::Analytics>(*p.catalog, *p.presenter, p.registry, o);
      p.analytics->Register(p.router, "/api/analytics");
      p.content_api = std::make_unique<analytics::ContentApi>(*p.catalog, *p.store, *p.presenter);
      p.content_api->Register(p.router, "/api/analytics");
      return {};
    }
    case Component::kAudienceReports: {
      auto opened = audience::reports::OpenReportStore(c.db_url);
      if (!opened) return Annotate(opened.error(), "cannot open the audience reports");
      p.report_store = std::move(*opened);
      p.report_api = std::make_unique<audience::ReportApi>(*p.report_store, *p.catalog);
      p.report_api->Register(p.router, "/api/analytics");
      return {};
    }
    case Component::kAccountsApi: {
      if (auto r = BootstrapAccounts(*p.identity, p.catalog.get(), c.access); !r) {
        return Annotate(r.error(), "cannot set up the first account");
      }
      p.accounts = std::make_unique<accounts::Accounts>(*p.identity, p.catalog.get(),
                                                        AccountsOptionsFrom(c, *p.guard));
      p.accounts->Register(p.router);
      return {};
    }
    case Component::kAdminVideos:
      p.admin_videos = std::make_unique<gateway::AdminVideos>(*p.catalog);
      p.admin_videos->Register(p.router);
      return {};
    case Component::kApiProxy: {
      auto uploader_up = http::ParseUpstream("uploader", c.uploader_url);
      auto analytics_up = http::ParseUpstream("analytics", c.analytics_url);
      if (!uploader_up || !analytics_up) {
        return Annotate(!uploader_up ? uploader_up.error() : analytics_up.error(),
                        "the gateway needs KINORA_UPLOADER_URL and KINORA_ANALYTICS_URL");
      }
      gateway::ListVersionReader versions;
      if (p.catalog && c.listing_cache_ms > 0)
        p.list_versions = catalog::NewPostgresListVersions(c.db_url);
      if (auto* q = p.list_versions.get()) versions = [q] { return q->Run(); };
      p.proxy = std::make_unique<gateway::ApiProxy>(
          *uploader_up, *analytics_up,
          gateway::ApiProxyOptions{
              .max_upload_bytes = c.max_upload_bytes,
              .proxy = {},
              .kept_listing_max_age = std::chrono::milliseconds(c.listing_cache_ms)},
          p.catalog.get(), p.registry, std::move(versions));
      p.proxy->Register(p.router);
      return {};
    }
    case Component::kRepair:
      p.repair = std::make_unique<RepairLoop>(
          *p.catalog, *p.store, *p.queue, std::chrono::seconds(c.reconcile_seconds),
          videos::ReconcilerOptions{.stuck_grace = std::chrono::seconds(c.stuck_grace_seconds),
                                    .orphan_grace = std::chrono::seconds(c.orphan_grace_seconds)});
      return {};
    case Component::kWorkerPool: {
      processor::ProcessorOptions o = ProcessorOptionsFrom(c, std::thread::hardware_concurrency());
      if (p.role == Role::kProcessor) o.workers = std::max(1, o.workers);
      if (o.workers == 0) return {};  // `serve` with KINORA_WORKERS=0: no processing here
      o.disk_check = DiskCheck(p);
      p.processor =
          std::make_unique<processor::Processor>(*p.store, *p.queue, *p.catalog, p.registry, o);
      return {};
    }
  }
  return {};
}

}  // namespace

int RunRole(const Config& c, Role role) {
  TuneAllocator();
  Process p(c, role);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::Configure(p.name, level);
  media::InstallLibavLogging();
  const FileLimit files = RaiseOpenFileLimit();
  log::Info("open file limit", {{"soft", std::to_string(files.soft)},
                                {"hard", std::to_string(files.hard)},
                                {"raised", files.raised ? "true" : "false"}});

  std::error_code ec;
  fs::create_directories(c.data_dir, ec);
  if (ec) {
    return Fail("cannot create the data directory", Unavailable(ec.message()));
  }
  if (auto r = OpenResources(p); !r) return Fail("cannot start", r.error());
  const bool web_app = std::count(p.components.begin(), p.components.end(), Component::kWebApp) > 0;
  if (web_app) p.web_dir = FindWebApp(c.web_dir, sandbox::SelfExecutable());
  const bool edge = role == Role::kServe || role == Role::kGateway;
  auto guard_options = GuardOptionsFrom(c, edge, web_app ? p.store.get() : nullptr);
  if (!guard_options) return Fail("cannot start", guard_options.error());
  p.guard = std::make_unique<access::Guard>(p.identity.get(), std::move(*guard_options));
  for (Component part : p.components) {
    if (auto r = AddComponent(p, part); !r) {
      return Fail("cannot start the " + std::string(ToString(part)), r.error());
    }
  }
  // Every route must have its line in the authorization table, or nothing starts.
  if (auto r = access::CheckRoutes(p.router); !r) return Fail("cannot start", r.error());

  http::ServerOptions so;
  so.host = c.host;
  so.port = c.port;
  so.threads = c.http_threads;
  so.shutdown_grace = std::chrono::seconds(c.shutdown_grace_seconds);
  so.idle_timeout = std::chrono::seconds(c.http.idle_timeout_seconds);
  if (edge) {
    // DNS rebinding: the edge answers only the names it is known by. The inner roles of split
    // mode are reached through the gateway, which names them by their upstream address.
    auto hosts = http::HostPolicy::Make(c.http.allowed_hosts, c.access.public_url,
                                        http::IsLoopbackHost(c.host));
    if (!hosts) return Fail("cannot start", hosts.error());
    so.hosts = std::move(*hosts);
    // Upload caps per client and in total; the inner uploader sees only the gateway as client.
    so.max_uploads_per_client = c.http.max_uploads_per_client;
    so.max_uploads = c.http.max_uploads;
    if (so.hosts.open_by_default()) {
      log::Warn(
          "every Host header is answered: set KINORA_PUBLIC_URL or KINORA_ALLOWED_HOSTS to the "
          "names of this site (DNS rebinding from the network could otherwise reach it)",
          {{"listen", c.host}});
    }
  }
  so.metrics = &p.registry;
  access::Guard* guard = p.guard.get();
  so.guard = [guard](http::Request& req, const http::Route& route) {
    return guard->Admit(req, route);
  };
  so.finish = [guard](const http::Request& req, http::Response& res) { guard->Finish(req, res); };
  // The internal listener (KINORA_INTERNAL_LISTEN) serves only /health, /ready and /metrics,
  // without the guard: it is for probes and Prometheus on the cluster network.
  std::unique_ptr<http::Server> internal;
  if (c.access.internal_port != 0 || !c.access.internal_host.empty()) {
    http::Router ops;
    p.gateway->RegisterOps(ops);
    http::ServerOptions io;
    io.host = c.access.internal_host;
    io.port = c.access.internal_port;
    io.threads = 1;
    internal = std::make_unique<http::Server>(io, std::move(ops));
    auto iport = internal->Listen();
    if (!iport) return Fail("cannot start the internal HTTP listener", iport.error());
    log::Info("internal listener (health, readiness, metrics)",
              {{"address", "http://" + c.access.internal_host + ":" + std::to_string(*iport)}});
  }
  http::Server server(so, std::move(p.router));
  auto port = server.Listen();
  if (!port) return Fail("cannot start the HTTP server", port.error());
  // Processing runs on its own worker threads (each job in a child process), never on the
  // HTTP threads.
  log::Info("kinora " + p.name + " is listening",
            {{"address", "http://" + c.host + ":" + std::to_string(*port)},
             {"data_dir", fs::absolute(c.data_dir).string()},
             {"storage", p.store ? p.store->Describe() : "-"},
             {"queue", p.queue ? p.queue->Describe() : "-"},
             {"catalog", p.catalog ? p.catalog->Describe() : "-"},
             {"web_app", p.web_dir.empty() ? "-" : p.web_dir.string()},
             {"uploader", c.uploader_url},
             {"analytics", c.analytics_url}});
  if (p.processor) p.processor->Start();
  if (p.repair) p.repair->Start();
  {
    std::thread internal_thread;
    if (internal) internal_thread = std::thread([&] { internal->Run(); });
    SignalWaiter waiter([&] {
      server.Stop();
      if (internal) internal->Stop();
      if (p.processor) p.processor->RequestStop();
      if (p.repair) p.repair->RequestStop();
      if (p.queue) p.queue->Interrupt();
    });
    server.Run();
    if (internal) {
      internal->Stop();
      internal_thread.join();
    }
  }
  if (p.processor)
    p.processor->Stop();  // running jobs are released to the queue for the next start
  if (p.repair) p.repair->Stop();
  log::Info("stopped");
  return 0;
}

}  // namespace kinora::app
