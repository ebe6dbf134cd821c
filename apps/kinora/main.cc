// kinora: one binary, one subcommand per way to run it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "config.h"
#include "process.h"
#include "processor_role.h"
#include "serve.h"
#include "signals.h"

int main(int argc, char** argv) {
  using namespace kinora::app;
  BlockShutdownSignals();  // before any thread starts, so only the waiter sees them

  CLI::App app{
      "Kinora: a self-hosted video platform.\n"
      "Settings come from the environment (KINORA_*); flags override them."};
  app.set_version_flag("--version", "kinora 0.1.0");
  app.require_subcommand(1);

  RawSettings flags;
  auto* serve = app.add_subcommand(
      "serve",
      "Run every role (gateway, uploader, analytics) in one process, with objects, "
      "queue and catalog under one data directory");
  serve->add_option("--listen", flags.listen,
                    "HOST:PORT to listen on (env KINORA_LISTEN, default 127.0.0.1:8080)");
  serve->add_option("--data-dir", flags.data_dir,
                    "Data directory (env KINORA_DATA_DIR, default ./kinora-data)");
  serve->add_option("--storage", flags.storage,
                    "Object store URL (env KINORA_STORAGE, default file://<data>/objects)");
  serve->add_option("--queue", flags.queue,
                    "Job queue URL (env KINORA_QUEUE, default sqlite://<data>/queue.db)");
  serve->add_option("--db", flags.db,
                    "Catalog URL (env KINORA_DB, default sqlite://<data>/catalog.db)");
  serve->add_option("--max-upload-bytes", flags.max_upload_bytes,
                    "Largest accepted file (env KINORA_MAX_UPLOAD_BYTES, default 524288000)");
  serve->add_option("--workers", flags.workers,
                    "Processing workers, 0 = none (env KINORA_WORKERS, default: cores)");
  serve->add_option("--http-threads", flags.http_threads,
                    "HTTP I/O threads (env KINORA_HTTP_THREADS)");
  serve->add_option("--url-ttl-seconds", flags.url_ttl_seconds,
                    "Lifetime of signed media URLs (env KINORA_URL_TTL_SECONDS, default 3600)");
  serve->add_option("--web-dir", flags.web_dir,
                    "Directory of the built web app to serve at / (env KINORA_WEB_DIR)");
  serve->add_option("--log-level", flags.log_level,
                    "debug, info, warn or error (env KINORA_LOG_LEVEL)");

  auto* processor = app.add_subcommand(
      "processor",
      "Run only the processor role: consume the job queue with a pool of workers (settings as "
      "for serve)");
  processor->add_option("--data-dir", flags.data_dir, "Data directory (env KINORA_DATA_DIR)");
  processor->add_option("--storage", flags.storage, "Object store URL (env KINORA_STORAGE)");
  processor->add_option("--queue", flags.queue, "Job queue URL (env KINORA_QUEUE)");
  processor->add_option("--db", flags.db, "Catalog URL (env KINORA_DB)");
  processor->add_option("--workers", flags.workers,
                        "Processing workers (env KINORA_WORKERS, default: cores; at least 1)");
  processor->add_option("--log-level", flags.log_level, "debug, info, warn or error");

  ProcessArgs process_args;
  auto* process = app.add_subcommand(
      "process",
      "Run the processing pipeline on a local file: HLS ladder, MP4, thumbnails and a JSON "
      "report (printed, and written to --report), the same work the processor does per job");
  process->add_option("input", process_args.input, "Source video file")
      ->required()
      ->check(CLI::ExistingFile);
  process->add_option("--out", process_args.out_dir, "Output directory (created if missing)")
      ->required();
  process->add_option("--report", process_args.report, "Also write the JSON report to this file");
  process->add_option("--progress-fd", process_args.progress_fd,
                      "Write 'progress 0.42' lines to this file descriptor");
  process->add_option("--preset", process_args.preset, "libx264 preset (default veryfast)");
  process->add_option("--crf", process_args.crf, "libx264 CRF (default 23)")
      ->check(CLI::Range(0, 51));
  process->add_flag("--no-copy{false}", process_args.allow_copy,
                    "Re-encode every rung even when the source could be copied");
  process->add_flag("--quiet", process_args.quiet, "Do not print the report");

  CLI11_PARSE(app, argc, argv);

  if (*process) return RunProcess(process_args);

  if (*serve || *processor) {
    Loaded loaded = Validate(Overlay(FromEnvironment(ProcessEnvironment()), flags),
                             std::thread::hardware_concurrency());
    if (!loaded.problems.empty()) {
      std::fprintf(stderr, "kinora: invalid settings:\n");
      for (const auto& p : loaded.problems) std::fprintf(stderr, "  - %s\n", p.c_str());
      return 2;
    }
    return *serve ? RunServe(loaded.config) : RunProcessor(loaded.config);
  }
  return 0;
}
