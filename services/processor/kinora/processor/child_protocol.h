// The contract between the processor and the child process that runs the pipeline for a job
// (`kinora process`, the same binary, started through libs/sandbox): its command line, the
// progress lines it writes on sandbox::kProgressFd, its exit codes and its JSON report. The
// processor builds the command with ChildArgv; the binary declares the `process` subcommand's
// flags from the same names, so neither side spells the other's strings.
// Thread safety: plain values and pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"
#include "kinora/media/transcode.h"

namespace kinora::processor {

// What the child is asked to do (also what `kinora process` takes from an operator).
struct ChildRequest {
  std::filesystem::path input, out_dir;
  std::filesystem::path report;  // also write the JSON report here (empty: stdout only)
  int progress_fd = -1;          // write progress lines here (-1: none)
  std::string preset = "veryfast";
  int crf = 23;
  bool allow_copy = true;
  bool analyze = true;  // content analysis and storyboard (docs/content-analysis.md)
  bool quiet = false;   // no report on stdout
  media::MediaLimits limits;
};

namespace child {

inline constexpr std::string_view kSubcommand = "process";
// Flags of the subcommand (the input is its one positional argument).
inline constexpr std::string_view kOut = "--out";
inline constexpr std::string_view kReport = "--report";
inline constexpr std::string_view kProgressFd = "--progress-fd";
inline constexpr std::string_view kPreset = "--preset";
inline constexpr std::string_view kCrf = "--crf";
inline constexpr std::string_view kNoCopy = "--no-copy";
inline constexpr std::string_view kNoAnalysis = "--no-analysis";
inline constexpr std::string_view kQuiet = "--quiet";
inline constexpr std::string_view kMaxPixels = "--max-pixels";
inline constexpr std::string_view kMaxDuration = "--max-duration";

// Exit codes. On any failure the report is {"error": "...", "permanent": bool}.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;         // I/O or resources: another attempt may work
inline constexpr int kExitUnprocessable = 3;  // the input itself: retrying will not help

}  // namespace child

// [executable, "process", input, "--out", dir, ...] for `r`.
std::vector<std::string> ChildArgv(const std::string& executable, const ChildRequest& r);

// "progress 0.420\n": the share of the work done, 0–1.
std::string FormatProgressLine(double share);
// The share a progress line carries; nullopt for any other line or a share outside 0–1.
std::optional<double> ParseProgressLine(std::string_view line);

// What a child that failed says about it.
struct ChildFailure {
  std::string error;
  bool permanent = false;
};
boost::json::object FailureReport(const ChildFailure& f);
// The failure a report describes, if it is a failure report.
std::optional<ChildFailure> ParseFailureReport(const boost::json::object& report);

}  // namespace kinora::processor
