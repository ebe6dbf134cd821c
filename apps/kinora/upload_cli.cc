#include "upload_cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "kinora/core/json_text.h"
#include "kinora/core/log.h"
#include "kinora/tus_client/client.h"
#include "kinora/tus_client/file_upload.h"
#include "kinora/tus_client/state_file.h"
#include "signals.h"

namespace kinora::app {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

CLI::App* AddUploadCommand(CLI::App& app, UploadArgs& args) {
  auto* sub = app.add_subcommand(
      "upload",
      "Upload a video to a Kinora server over tus 1.0 (resumable: run the same command again "
      "after an interruption to continue); prints the video id");
  // Checked by RunUpload rather than CLI11, so a usage error exits with 2 (CLI11 uses 100+).
  sub->add_option("file", args.file, "The video file (required)");
  sub->add_option("--server", args.server,
                  "The Kinora server, e.g. https://kinora.example (required)");
  sub->add_option("--token", args.token,
                  "A personal API token with the videos:write scope (env KINORA_TOKEN)");
  sub->add_option("--title", args.title, "Title (default: the file name without extension)");
  sub->add_option("--description", args.description, "Description");
  sub->add_option("--visibility", args.visibility, "public, unlisted, internal or private");
  sub->add_option("--chunk-size", args.chunk_size,
                  "Bytes per PATCH, 64 KiB to 16 GiB (default 64 MiB; less behind a proxy that "
                  "caps request bodies)");
  sub->add_flag("--no-resume", args.no_resume,
                "Start a new upload even if an earlier one of this file can be continued (the "
                "earlier one is terminated)");
  sub->add_flag("--checksum,!--no-checksum", args.checksum,
                "Send Upload-Checksum (sha1) with each PATCH; the server discards a chunk that "
                "does not match (default: off)");
  sub->add_flag("--json", args.json, "Print the result as JSON");
  return sub;
}

namespace {

constexpr double kMB = 1e6;

// Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise.
class ProgressView {
 public:
  ProgressView(uint64_t length, bool tty) : length_(length), tty_(tty) {}

  void Start(uint64_t resumed_at) {
    start_position_ = resumed_at;
    started_ = Clock::now();
    if (resumed_at > 0) {
      std::fprintf(stderr, "kinora upload: resumed at %.1f MB of %.1f MB\n", resumed_at / kMB,
                   length_ / kMB);
    }
    next_step_ = (resumed_at * 10 / std::max<uint64_t>(length_, 1) + 1);
  }

  void Update(uint64_t position) {
    position_ = position;
    const auto now = Clock::now();
    if (tty_) {
      // At most every 100 ms, and the end once more (it repeats while the server ingests).
      const auto since = now - drawn_;
      if (since < std::chrono::milliseconds(100) && position != length_) return;
      if (position == drawn_position_ && since < std::chrono::seconds(1)) return;
      drawn_ = now;
      drawn_position_ = position;
      Draw();
      return;
    }
    const uint64_t step = position * 10 / std::max<uint64_t>(length_, 1);
    if (step < next_step_) return;
    next_step_ = step + 1;
    std::fprintf(stderr, "kinora upload: %.1f/%.1f MB (%d%%) %.1f MB/s\n", position / kMB,
                 length_ / kMB, Percent(), Speed());
  }

  // Ends the bar's line (a terminal) before other messages.
  void Finish() {
    if (tty_ && drawn_ != Clock::time_point{}) {
      Draw();
      std::fputc('\n', stderr);
      drawn_ = {};
    }
  }

  double Seconds() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }
  double Speed() const {
    const double s = Seconds();
    return s > 0 && position_ > start_position_ ? (position_ - start_position_) / kMB / s : 0.0;
  }

 private:
  int Percent() const { return length_ ? static_cast<int>(position_ * 100 / length_) : 100; }

  void Draw() const {
    constexpr int kWidth = 30;
    const int filled = length_ ? static_cast<int>(position_ * kWidth / length_) : kWidth;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %.1f/%.1f MB %3d%% %.1f MB/s", bar.c_str(), position_ / kMB,
                 length_ / kMB, Percent(), Speed());
    if (start_position_ > 0) std::fprintf(stderr, " (resumed at %.1f MB)", start_position_ / kMB);
    std::fputs("\x1b[K", stderr);
    std::fflush(stderr);
  }

  uint64_t length_;
  bool tty_;
  uint64_t start_position_ = 0;
  uint64_t position_ = 0;
  uint64_t next_step_ = 1;
  Clock::time_point started_ = Clock::now();
  Clock::time_point drawn_{};
  uint64_t drawn_position_ = UINT64_MAX;
};

tus::Metadata MetadataFor(const UploadArgs& args) {
  tus::Metadata m{{"filename", fs::path(args.file).filename().string()}};
  if (!args.title.empty()) m.emplace_back("title", args.title);
  if (!args.description.empty()) m.emplace_back("description", args.description);
  if (!args.visibility.empty()) m.emplace_back("visibility", args.visibility);
  return m;
}

// The stored upload to continue, if the server still has it; nullopt to start a new one.
std::optional<std::string> StoredUpload(tus::Client& client, const tus::StateFile* state,
                                        const tus::UploadKey& key, bool no_resume) {
  if (!state) return std::nullopt;
  auto found = state->Find(key);
  if (!found) {
    std::fprintf(stderr, "kinora upload: ignoring the state file: %s\n",
                 found.error().message.c_str());
    return std::nullopt;
  }
  if (!*found) return std::nullopt;
  if (no_resume) {
    (void)client.Terminate(**found);  // best effort: frees the quota its length holds
    return std::nullopt;
  }
  auto head = client.Head(**found);
  if (!head && head.error().code == ErrorCode::kNotFound) {
    std::fprintf(stderr, "kinora upload: the earlier upload is gone (expired?); starting again\n");
    return std::nullopt;
  }
  return *found;  // reachable or not: UploadFile retries
}

std::string TokenFrom(const UploadArgs& args) {
  if (!args.token.empty()) return args.token;
  const char* env = std::getenv("KINORA_TOKEN");
  return env ? env : "";
}

// A usage problem, or "" when the arguments are fine.
std::string UsageProblem(const UploadArgs& args) {
  if (args.file.empty()) return "give the file to upload";
  if (!args.server.starts_with("http://") && !args.server.starts_with("https://")) {
    return "--server must be an http:// or https:// URL";
  }
  if (!args.visibility.empty() && args.visibility != "public" && args.visibility != "unlisted" &&
      args.visibility != "internal" && args.visibility != "private") {
    return "--visibility must be public, unlisted, internal or private";
  }
  if (args.chunk_size < 64 * 1024 || args.chunk_size > (uint64_t{1} << 34)) {
    return "--chunk-size must be between 65536 and 17179869184";
  }
  return {};
}

// Says why the upload stopped (and whether running it again continues it); the exit code.
int ReportFailure(const Error& e, const tus::FileUploadStats& stats, const UploadArgs& args,
                  json::object summary, tus::StateFile* state, const tus::UploadKey& key) {
  const bool resumable = e.code == ErrorCode::kCancelled || tus::IsRetriable(e);
  if (e.code == ErrorCode::kCancelled) {
    std::fprintf(stderr,
                 "kinora upload: interrupted at %.1f MB of %.1f MB; run the same command again "
                 "to continue\n",
                 stats.offset / kMB, key.size / kMB);
  } else if (resumable) {
    std::fprintf(stderr,
                 "kinora upload: %s\nkinora upload: run the same command again to continue\n",
                 e.message.c_str());
  } else {
    std::fprintf(stderr, "kinora upload: refused: %s\n", e.message.c_str());
    // The server deleted the upload or will never take it; a credentials problem is fixable.
    const bool credentials =
        e.code == ErrorCode::kUnauthenticated || e.code == ErrorCode::kPermissionDenied;
    if (state && !credentials) (void)state->Remove(key);
  }
  if (args.json) {
    summary.emplace("status", e.code == ErrorCode::kCancelled ? "interrupted" : "failed");
    summary.emplace("error", e.message);
    summary.emplace("offset", static_cast<int64_t>(stats.offset));
    std::printf("%s\n", ToJsonText(summary).c_str());
  }
  return e.code == ErrorCode::kCancelled ? 130 : 1;
}

// Chunks, waits that Ctrl-C cuts short, progress drawn on `view`.
tus::FileUploadOptions OptionsFor(const UploadArgs& args, const std::atomic<bool>& cancel,
                                  ProgressView& view) {
  tus::FileUploadOptions options;
  options.chunk_size = args.chunk_size;
  options.wait = [&cancel](std::chrono::milliseconds delay) {
    const auto until = Clock::now() + delay;
    while (!cancel && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return !cancel.load();
  };
  options.on_progress = [&view, started = false](uint64_t position, uint64_t) mutable {
    if (!started) {
      started = true;
      view.Start(position);
    }
    view.Update(position);
  };
  return options;
}

}  // namespace

int RunUpload(const UploadArgs& args) {
  log::Configure("upload", log::Level::kWarn);
  if (const std::string problem = UsageProblem(args); !problem.empty()) {
    std::fprintf(stderr, "kinora upload: %s (see kinora upload --help)\n", problem.c_str());
    return 2;
  }
  auto key = tus::KeyOf(args.file, args.server);
  if (!key) {
    std::fprintf(stderr, "kinora upload: %s\n", key.error().message.c_str());
    return 2;
  }
  if (key->size == 0) {
    std::fprintf(stderr, "kinora upload: %s is empty\n", key->path.c_str());
    return 2;
  }
  const fs::path state_path = tus::DefaultStatePath([](const char* n) { return std::getenv(n); });
  std::optional<tus::StateFile> state;
  if (!state_path.empty()) state.emplace(state_path);

  std::atomic<bool> cancel{false};
  SignalWaiter signals([&cancel] { cancel = true; });
  auto transport = tus::NewCurlTransport({.cancel = &cancel});
  tus::Client client(*transport,
                     {.server = args.server, .token = TokenFrom(args), .checksum = args.checksum});

  tus::StateFile* state_ptr = state ? &*state : nullptr;
  ProgressView view(key->size, ::isatty(STDERR_FILENO) == 1);
  const tus::FileUploadOptions options = OptionsFor(args, cancel, view);

  const Clock::time_point first_request = Clock::now();
  std::string url = StoredUpload(client, state_ptr, *key, args.no_resume).value_or("");
  if (url.empty()) {
    auto created = tus::CreateUpload(client, key->size, MetadataFor(args), options);
    if (!created) {
      const Error& e = created.error();
      if (e.code == ErrorCode::kCancelled) {
        std::fprintf(stderr, "kinora upload: interrupted before the upload was created\n");
      } else {
        std::fprintf(stderr, "kinora upload: %s%s\n",
                     tus::IsRetriable(e) ? "" : "refused: ", e.message.c_str());
      }
      return e.code == ErrorCode::kCancelled ? 130 : 1;
    }
    url = created->url;
    if (state) {
      if (auto put = state->Put(*key, url); !put) {
        std::fprintf(stderr, "kinora upload: cannot remember the upload (no resume): %s\n",
                     put.error().message.c_str());
      }
    }
  }

  tus::FileUploadStats stats;
  auto video_id = tus::UploadFile(client, url, key->path, key->size, options, stats);
  view.Finish();
  json::object summary{
      {"upload_url", url},
      {"bytes", static_cast<int64_t>(key->size)},
      {"bytes_sent", static_cast<int64_t>(stats.bytes_sent)},
      {"resumed_at", static_cast<int64_t>(stats.resumed_at)},
      {"retries", stats.retries},
      {"seconds", view.Seconds()},
      // From the first request to the last answer (creating included).
      {"exchange_seconds", std::chrono::duration<double>(Clock::now() - first_request).count()},
      {"mb_per_s", view.Speed()}};
  if (video_id) {
    if (state) (void)state->Remove(*key);
    if (args.json) {
      summary.emplace("status", "uploaded");
      summary.emplace("video_id", *video_id);
      std::printf("%s\n", ToJsonText(summary).c_str());
    } else {
      std::printf("%s\n", video_id->c_str());
    }
    return 0;
  }
  return ReportFailure(video_id.error(), stats, args, summary, state_ptr, *key);
}

}  // namespace kinora::app
