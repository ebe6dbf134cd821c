// The upload-time probe runs libavformat on untrusted bytes, so it runs in a child process of
// the same binary (`kinora probe-child`, started through libs/sandbox with memory, CPU and time
// limits): a crash, a runaway allocation or a hang costs that upload a 422, never the server.
// This is the contract between the two sides — the command line, the one result line the child
// writes on sandbox::kProgressFd, and how the head and tail of the upload reach it (its stdin:
// head bytes, then tail bytes) — and the Prober that uses it.
// Thread safety: plain values and pure functions; the Prober may be called concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/input_policy.h"
#include "kinora/media/probe.h"
#include "kinora/sandbox/sandbox.h"
#include "kinora/uploader/ingest.h"

namespace kinora::uploader {

namespace probe_child {
inline constexpr std::string_view kSubcommand = "probe-child";
inline constexpr std::string_view kHeadBytes = "--head-bytes";    // how much of stdin is head
inline constexpr std::string_view kTotalBytes = "--total-bytes";  // the whole upload's size
inline constexpr std::string_view kMaxPixels = "--max-pixels";
inline constexpr std::string_view kMaxDuration = "--max-duration";
// The child refuses more than this on stdin (the uploader's window is 2 + 2 MiB).
inline constexpr uint64_t kMaxInputBytes = 16 << 20;
}  // namespace probe_child

struct ProbeChildRequest {
  uint64_t head_bytes = 0, total_bytes = 0;
  media::MediaLimits limits;
};

// [executable, "probe-child", "--head-bytes", N, ...] for `r`.
std::vector<std::string> ProbeChildArgv(const std::string& executable, const ProbeChildRequest& r);

// "probe {json}\n": the probe, or the error that refused the file.
std::string FormatProbeLine(const Result<media::ProbeResult>& r);
// What a result line says; nullopt for any other line.
std::optional<Result<media::ProbeResult>> ParseProbeLine(std::string_view line);

struct SandboxedProbeOptions {
  std::string executable;  // runs `<executable> probe-child ...`; empty: this binary
  media::MediaLimits media;
  sandbox::Limits limits{.memory_bytes = uint64_t{2} << 30,
                         .cpu = std::chrono::seconds(20),
                         .wall = std::chrono::seconds(30),
                         .stall = std::chrono::seconds(0),
                         .tick = std::chrono::milliseconds(1000)};
};

// A Prober that runs each probe in a sandboxed child. Errors: kUnsupported with the reason
// (the probe's own, or what stopped the child: "it needed more than 2048 MiB of memory");
// kUnavailable when no child could be started.
Prober SandboxedProber(SandboxedProbeOptions options);

}  // namespace kinora::uploader
