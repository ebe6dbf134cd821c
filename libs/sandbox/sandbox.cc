#include "kinora/sandbox/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

namespace kinora::sandbox {
namespace {

constexpr size_t kStderrTail = 4096;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;  // ASan reserves terabytes of shadow memory
#else
constexpr bool kAddressSanitizer = false;
#endif

using Clock = std::chrono::steady_clock;

// Runs in the forked child: async-signal-safe calls only, then exec.
[[noreturn]] void ExecChild(char* const* argv, int progress_w, int stderr_w, int stdin_fd,
                            const Limits& l, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  setpgid(0, 0);  // its own group, so the watchdog can kill anything it started too
  int devnull = open("/dev/null", O_RDWR);
  if (devnull < 0) _exit(127);
  dup2(stdin_fd >= 0 ? stdin_fd : devnull, 0);
  dup2(devnull, 1);
  dup2(stderr_w, 2);
  dup2(progress_w, kProgressFd);
  // Everything else the server had open (sockets, databases) stays out of the child.
  for (int fd = kProgressFd + 1; fd < 1024; ++fd) close(fd);
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
  if (l.memory_bytes > 0 && !kAddressSanitizer) {
    rlimit as{l.memory_bytes, l.memory_bytes};
    setrlimit(RLIMIT_AS, &as);
  }
  if (l.cpu.count() > 0) {
    rlimit cpu{static_cast<rlim_t>(l.cpu.count()), static_cast<rlim_t>(l.cpu.count() + 5)};
    setrlimit(RLIMIT_CPU, &cpu);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the server blocks its shutdown signals
  execv(argv[0], argv);
  _exit(127);
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

double CpuOf(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

std::string Outcome::Describe(const Limits& limits) const {
  if (cancelled) return "it was stopped because the server is shutting down";
  if (timed_out) {
    return "it took longer than " + std::to_string(limits.wall.count()) + " s and was stopped";
  }
  if (stalled) {
    return "it made no progress for " + std::to_string(limits.stall.count()) + " s and was stopped";
  }
  if (signal == SIGXCPU || (signal == SIGKILL && limits.cpu.count() > 0 &&
                            cpu_seconds >= static_cast<double>(limits.cpu.count()))) {
    return "it used more than " + std::to_string(limits.cpu.count()) + " s of CPU time";
  }
  const bool oom = stderr_tail.find("bad_alloc") != std::string::npos ||
                   stderr_tail.find("out of memory") != std::string::npos ||
                   stderr_tail.find("Cannot allocate memory") != std::string::npos;
  if (oom) {
    return "it needed more than " + std::to_string(limits.memory_bytes >> 20) + " MiB of memory";
  }
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    return std::string("the decoder crashed (SIG") +
           (name ? name : std::to_string(signal).c_str()) + ")";
  }
  return "it exited with status " + std::to_string(exit_code);
}

std::string SelfExecutable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : p.string();
}

Result<Outcome> Run(const std::vector<std::string>& argv, const Limits& limits, const Callbacks& cb,
                    int stdin_fd) {
  if (argv.empty()) return MakeError(ErrorCode::kInvalidArgument, "no program to run");
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int progress[2], err[2];
  if (pipe2(progress, O_CLOEXEC) != 0) {
    return MakeError(ErrorCode::kUnavailable, std::string("pipe: ") + std::strerror(errno));
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(progress[0]);
    close(progress[1]);
    return MakeError(ErrorCode::kUnavailable, std::string("pipe: ") + std::strerror(errno));
  }
  const auto started = Clock::now();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {progress[0], progress[1], err[0], err[1]}) close(fd);
    return MakeError(ErrorCode::kUnavailable, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) ExecChild(args.data(), progress[1], err[1], stdin_fd, limits, parent);
  setpgid(pid, pid);  // also here, so the group exists before either side goes on
  close(progress[1]);
  close(err[1]);

  Outcome out;
  std::string line_buf;
  auto last_progress = Clock::now();
  auto last_tick = Clock::now();
  bool killed = false;
  auto kill_child = [&](bool& reason) {
    reason = true;
    if (!killed) kill(-pid, SIGKILL);
    killed = true;
  };
  int fds[2] = {progress[0], err[0]};
  while (fds[0] >= 0 || fds[1] >= 0) {
    pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int n = poll(p, 2, 200);
    if (n < 0 && errno != EINTR) break;
    char buf[4096];
    for (int i = 0; i < 2 && n > 0; ++i) {
      if (fds[i] < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t k = read(fds[i], buf, sizeof buf);
      if (k <= 0) {
        CloseFd(fds[i]);
        continue;
      }
      if (i == 1) {
        out.stderr_tail.append(buf, static_cast<size_t>(k));
        if (out.stderr_tail.size() > 2 * kStderrTail) {
          out.stderr_tail.erase(0, out.stderr_tail.size() - kStderrTail);
        }
        continue;
      }
      last_progress = Clock::now();
      line_buf.append(buf, static_cast<size_t>(k));
      for (size_t nl; (nl = line_buf.find('\n')) != std::string::npos;) {
        if (cb.on_line) cb.on_line(std::string_view(line_buf).substr(0, nl));
        line_buf.erase(0, nl + 1);
      }
    }
    const auto now = Clock::now();
    if (cb.on_tick && now - last_tick >= limits.tick) {
      last_tick = now;
      cb.on_tick();
    }
    if (killed) continue;
    if (cb.cancel && cb.cancel->load()) kill_child(out.cancelled);
    if (limits.wall.count() > 0 && now - started > limits.wall) kill_child(out.timed_out);
    if (limits.stall.count() > 0 && now - last_progress > limits.stall) kill_child(out.stalled);
  }
  for (int& fd : fds) CloseFd(fd);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  out.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  out.cpu_seconds = CpuOf(usage);
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  if (out.stderr_tail.size() > kStderrTail) {
    out.stderr_tail.erase(0, out.stderr_tail.size() - kStderrTail);
  }
  return out;
}

}  // namespace kinora::sandbox
