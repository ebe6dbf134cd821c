// Private to libs/http: what the accept loop does when accept() fails (EMFILE, ENFILE,
// ENOBUFS…). The listening socket stays readable while the failure lasts, so retrying at once
// is a hot loop: wait 10 ms, doubling to 1 s, reset by a success; log at most once a second,
// with the number of failures not logged since.
// Thread safety: one per accept loop, used from its coroutine only.
#pragma once

#include <chrono>
#include <cstdint>

namespace kinora::http {

class AcceptBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kFirst{10}, kMax{1000};
  static constexpr std::chrono::seconds kLogEvery{1};

  struct Step {
    std::chrono::milliseconds wait;  // before the next accept
    bool log = false;                // log this failure now…
    uint64_t suppressed = 0;         // …saying how many were not logged since the last line
  };

  // A failed accept at `now`.
  Step Failed(Clock::time_point now);
  // A successful accept: the next failure waits kFirst again (the log rate limit stays).
  void Succeeded() { next_ = kFirst; }

 private:
  std::chrono::milliseconds next_ = kFirst;
  bool logged_ = false;
  Clock::time_point last_log_{};
  uint64_t suppressed_ = 0;
};

}  // namespace kinora::http
