#include "signals.h"

#include <pthread.h>

#include <csignal>

#include "kinora/core/log.h"

namespace kinora::app {
namespace {

sigset_t ShutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // internal wake-up used by the destructor
  return set;
}

}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

SignalWaiter::SignalWaiter(std::function<void()> on_signal)
    : thread_([cb = std::move(on_signal)] {
        sigset_t set = ShutdownSet();
        int sig = 0;
        sigwait(&set, &sig);
        if (sig != SIGUSR1) {
          log::Info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
          cb();
        }
      }) {}

SignalWaiter::~SignalWaiter() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace kinora::app
