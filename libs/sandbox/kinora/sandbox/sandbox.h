// Running untrusted work in a child process: the processor decodes every upload (hostile input
// to a large C library) in a child of the same binary, so a crash, runaway allocation or hang
// costs that job only. The child gets an address-space limit, a CPU-time limit, no core dumps,
// dies with its parent (PR_SET_PDEATHSIG), and is killed by a wall-clock watchdog and when it
// stops reporting progress. Progress arrives as lines on the child's fd 3.
// Thread safety: Run may be called from many threads at once (one child each).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/core/error.h"

namespace kinora::sandbox {

// The child's descriptor for progress lines (Callbacks::on_line).
inline constexpr int kProgressFd = 3;

struct Limits {
  uint64_t memory_bytes = 0;             // RLIMIT_AS; 0 = none (also none under ASan)
  std::chrono::seconds cpu{0};           // RLIMIT_CPU; 0 = none
  std::chrono::seconds wall{0};          // watchdog; 0 = none
  std::chrono::seconds stall{0};         // killed when no progress line for this long
  std::chrono::milliseconds tick{1000};  // how often on_tick runs while the child works
};

struct Outcome {
  int exit_code = -1;  // when the child exited
  int signal = 0;      // when a signal ended it
  bool timed_out = false, stalled = false, cancelled = false;
  std::string stderr_tail;  // the last few KiB the child wrote to stderr
  double wall_seconds = 0, cpu_seconds = 0;

  bool ok() const { return exit_code == 0 && signal == 0; }
  // A sentence for a person: "the decoder crashed (SIGSEGV)", "it ran out of time after 60 s".
  std::string Describe(const Limits& limits) const;
};

struct Callbacks {
  std::function<void(std::string_view line)> on_line;  // each line the child writes to kProgressFd
  std::function<void()> on_tick;                       // every Limits::tick while waiting
  const std::atomic<bool>* cancel = nullptr;           // when set, the child is killed
};

// Runs argv[0] with argv (no shell), stdin from `stdin_fd` (a descriptor the caller keeps
// owning; -1: /dev/null), stdout discarded. Errors only when the child cannot be started
// (kUnavailable); everything after is in Outcome.
Result<Outcome> Run(const std::vector<std::string>& argv, const Limits& limits,
                    const Callbacks& callbacks = {}, int stdin_fd = -1);

// The path of the running binary (/proc/self/exe resolved), to run "the same binary".
std::string SelfExecutable();

}  // namespace kinora::sandbox
