// kinora: one binary, one subcommand per way to run it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "config.h"
#include "probe_child.h"
#include "process.h"
#include "reindex.h"
#include "reprocess_cli.h"
#include "roles.h"
#include "routes_cli.h"
#include "signals.h"
#include "upload_cli.h"
#include "users_cli.h"

int main(int argc, char** argv) {
  using namespace kinora::app;
  BlockShutdownSignals();  // before any thread starts, so only the waiter sees them

  CLI::App app{
      "Kinora: a self-hosted video platform.\n"
      "Settings come from the environment (KINORA_*); flags override them."};
  app.set_version_flag("--version", "kinora 0.1.0");
  app.require_subcommand(1);

  RawSettings flags;
  // The options every long-running role takes (each also read from its environment variable).
  auto common = [&flags](CLI::App* sub) {
    sub->add_option("--listen", flags.listen,
                    "HOST:PORT to listen on (env KINORA_LISTEN, default 127.0.0.1:8080)");
    sub->add_option("--data-dir", flags.data_dir,
                    "Data directory (env KINORA_DATA_DIR, default ./kinora-data)");
    sub->add_option("--storage", flags.storage,
                    "Object store URL: file:///dir or s3://bucket (env KINORA_STORAGE, default "
                    "file://<data>/objects)");
    sub->add_option("--queue", flags.queue,
                    "Job queue URL: sqlite:///file, an SQS queue URL, or sqs:<queue URL> (env "
                    "KINORA_QUEUE, default "
                    "sqlite://<data>/queue.db)");
    sub->add_option("--db", flags.db,
                    "Catalog URL: sqlite:///file or postgresql://… (env KINORA_DB, default "
                    "sqlite://<data>/catalog.db)");
    sub->add_option("--http-threads", flags.http_threads,
                    "HTTP I/O threads (env KINORA_HTTP_THREADS)");
    sub->add_option("--log-level", flags.log_level,
                    "debug, info, warn or error (env KINORA_LOG_LEVEL)");
  };
  auto uploads = [&flags](CLI::App* sub) {
    sub->add_option("--max-upload-bytes", flags.max_upload_bytes,
                    "Largest accepted file (env KINORA_MAX_UPLOAD_BYTES, default 524288000)");
  };
  auto workers = [&flags](CLI::App* sub) {
    sub->add_option("--workers", flags.workers,
                    "Processing workers (env KINORA_WORKERS, default: cores)");
  };
  auto urls = [&flags](CLI::App* sub) {
    sub->add_option("--url-ttl-seconds", flags.url_ttl_seconds,
                    "Lifetime of signed media URLs (env KINORA_URL_TTL_SECONDS, default 3600)");
  };
  auto web = [&flags](CLI::App* sub) {
    sub->add_option("--web-dir", flags.web_dir,
                    "Directory of the built web app to serve at / (env KINORA_WEB_DIR; default: "
                    "found beside the binary or in its source tree; empty: none)");
  };

  auto* serve = app.add_subcommand(
      "serve",
      "Run every role (gateway, uploader, analytics, processor) in one process, with objects, "
      "queue and catalog under one data directory");
  common(serve);
  uploads(serve);
  workers(serve);
  urls(serve);
  web(serve);
  auto* gateway = app.add_subcommand(
      "gateway",
      "Run the gateway role: the web app, signed media, and the API proxied to the uploader "
      "(KINORA_UPLOADER_URL) and analytics (KINORA_ANALYTICS_URL) services");
  common(gateway);
  uploads(gateway);
  web(gateway);
  gateway->add_option("--uploader-url", flags.uploader_url,
                      "http://host:port of the uploader service (env KINORA_UPLOADER_URL)");
  gateway->add_option("--analytics-url", flags.analytics_url,
                      "http://host:port of the analytics service (env KINORA_ANALYTICS_URL)");
  auto* uploader =
      app.add_subcommand("uploader", "Run the uploader role: /api/uploader/* and /api/upload");
  common(uploader);
  uploads(uploader);
  urls(uploader);
  auto* analytics = app.add_subcommand("analytics", "Run the analytics role: /api/analytics/*");
  common(analytics);
  urls(analytics);
  auto* processor = app.add_subcommand(
      "processor",
      "Run the processor role: consume the job queue with a pool of workers (at least one); "
      "serves /health, /ready and /metrics");
  common(processor);
  workers(processor);

  ReindexArgs reindex_args;
  auto* reindex = app.add_subcommand(
      "reindex",
      "Rebuild the catalog from the metadata/{id}.json documents in the object store (rows that "
      "exist are kept unless --update)");
  reindex->add_option("--data-dir", flags.data_dir, "Data directory (env KINORA_DATA_DIR)");
  reindex->add_option("--storage", flags.storage, "Object store URL (env KINORA_STORAGE)");
  reindex->add_option("--db", flags.db, "Catalog URL (env KINORA_DB)");
  reindex->add_flag("--update", reindex_args.update_existing,
                    "Refresh rows that exist from their documents (counters are kept)");

  ReprocessArgs reprocess_args;
  auto* reprocess = app.add_subcommand(
      "reprocess",
      "Queue videos to be processed again (outputs and content analysis made anew), even when "
      "already PROCESSED; a running server does the jobs");
  reprocess->add_option("video_ids", reprocess_args.video_ids, "Ids of the videos");
  reprocess->add_flag("--all", reprocess_args.all, "Every video in the catalog");
  reprocess->add_option("--data-dir", flags.data_dir, "Data directory (env KINORA_DATA_DIR)");
  reprocess->add_option("--db", flags.db, "Catalog URL (env KINORA_DB)");

  // The processor's child speaks this subcommand: its flags come from child_protocol.h.
  namespace child = kinora::processor::child;
  auto flag = [](std::string_view name) { return std::string(name); };
  kinora::processor::ChildRequest process_args;
  auto* process = app.add_subcommand(
      flag(child::kSubcommand),
      "Run the processing pipeline on a local file: HLS ladder, MP4, thumbnails and a JSON "
      "report (printed, and written to --report), the same work the processor does per job");
  process->add_option("input", process_args.input, "Source video file")
      ->required()
      ->check(CLI::ExistingFile);
  process
      ->add_option(flag(child::kOut), process_args.out_dir, "Output directory (created if missing)")
      ->required();
  process->add_option(flag(child::kReport), process_args.report,
                      "Also write the JSON report to this file");
  process->add_option(flag(child::kProgressFd), process_args.progress_fd,
                      "Write 'progress 0.42' lines to this file descriptor");
  process->add_option(flag(child::kPreset), process_args.preset,
                      "libx264 preset (default veryfast)");
  process->add_option(flag(child::kCrf), process_args.crf, "libx264 CRF (default 23)")
      ->check(CLI::Range(0, 51));
  process->add_flag(flag(child::kNoCopy) + "{false}", process_args.allow_copy,
                    "Re-encode every rung even when the source could be copied");
  process->add_flag(flag(child::kNoAnalysis) + "{false}", process_args.analyze,
                    "Skip the content analysis and storyboard (docs/content-analysis.md)");
  process->add_flag(flag(child::kQuiet), process_args.quiet, "Do not print the report");
  process->add_option(flag(child::kMaxPixels), process_args.limits.max_pixels,
                      "Refuse sources with more pixels a frame (default 35389440, 8192x4320)");
  process->add_option(flag(child::kMaxDuration), process_args.limits.max_duration_seconds,
                      "Refuse sources longer than this many seconds (default 21600; 0: none)");

  // The uploader's probe child: its flags come from uploader/probe_child.h.
  namespace probe = kinora::uploader::probe_child;
  kinora::uploader::ProbeChildRequest probe_args;
  auto* probe_child = app.add_subcommand(
      flag(probe::kSubcommand),
      "Probe an upload's head and tail read from stdin (the uploader runs this in a sandbox)");
  probe_child->group("");  // internal: not listed in --help
  probe_child->add_option(flag(probe::kHeadBytes), probe_args.head_bytes)->required();
  probe_child->add_option(flag(probe::kTotalBytes), probe_args.total_bytes)->required();
  probe_child->add_option(flag(probe::kMaxPixels), probe_args.limits.max_pixels);
  probe_child->add_option(flag(probe::kMaxDuration), probe_args.limits.max_duration_seconds);

  bool routes_json = false;
  auto* routes = app.add_subcommand(
      "routes", "Print the authorization table: every route, who may call it, which token scope");
  routes->add_flag("--json", routes_json, "As JSON (what the authorization matrix test reads)");
  auto users_cli = AddUsersCommands(app, flags);
  UploadArgs upload_args;
  auto* upload = AddUploadCommand(app, upload_args);

  CLI11_PARSE(app, argc, argv);

  if (*process) return RunProcess(process_args);
  if (*probe_child) return RunProbeChild(probe_args);
  if (*routes) return PrintRoutes(routes_json);
  if (*upload) return RunUpload(upload_args);

  // Settings from the environment with the flags on top; every problem listed at once.
  auto load = [&flags]() -> std::optional<Config> {
    Loaded loaded = Validate(Overlay(FromEnvironment(ProcessEnvironment()), flags),
                             std::thread::hardware_concurrency());
    if (loaded.problems.empty()) return loaded.config;
    std::fprintf(stderr, "kinora: invalid settings:\n");
    for (const auto& p : loaded.problems) std::fprintf(stderr, "  - %s\n", p.c_str());
    return std::nullopt;
  };
  if (*reindex) {
    auto config = load();
    return config ? RunReindex(*config, reindex_args) : 2;
  }
  if (*reprocess) {
    auto config = load();
    return config ? RunReprocess(*config, reprocess_args) : 2;
  }
  if (auto code = RunUsersCommands(*users_cli, load)) return *code;

  std::optional<Role> role;
  if (*serve) role = Role::kServe;
  if (*gateway) role = Role::kGateway;
  if (*uploader) role = Role::kUploader;
  if (*analytics) role = Role::kAnalytics;
  if (*processor) role = Role::kProcessor;
  if (role) {
    auto config = load();
    return config ? RunRole(*config, *role) : 2;
  }
  return 0;
}
