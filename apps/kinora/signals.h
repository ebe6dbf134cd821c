// Graceful shutdown on SIGINT/SIGTERM: the signals are blocked in every thread and taken by
// one waiting thread, which runs the stop callback once.
// Thread safety: BlockShutdownSignals() must run before any other thread starts.
#pragma once

#include <functional>
#include <thread>

namespace kinora::app {

void BlockShutdownSignals();
// Starts the thread that waits for SIGINT/SIGTERM (or Wake()) and then calls on_signal.
class SignalWaiter {
 public:
  explicit SignalWaiter(std::function<void()> on_signal);
  ~SignalWaiter();  // wakes and joins the thread
 private:
  std::thread thread_;
};

}  // namespace kinora::app
