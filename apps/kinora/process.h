// `kinora process INPUT --out DIR`: the processing pipeline on a local file, for operators and
// benchmarks, and the entry point of the sandboxed child the processor runs for every job.
// Thread safety: call once per process.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kinora::app {

struct ProcessArgs {
  std::filesystem::path input, out_dir;
  std::filesystem::path report;  // also write the JSON report here (empty: stdout only)
  int progress_fd = -1;          // write "progress 0.42\n" lines here (the processor's pipe)
  std::string preset = "veryfast";
  int crf = 23;
  bool allow_copy = true;
  bool quiet = false;  // no report on stdout
};

// Exit codes: 0 done; 3 the input cannot be processed (the reason is permanent: retrying will
// not help); 1 anything else (I/O, resources). On failure the report is {"error", "permanent"}.
inline constexpr int kExitUnprocessable = 3;
int RunProcess(const ProcessArgs& args);

}  // namespace kinora::app
