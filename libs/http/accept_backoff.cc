#include "accept_backoff.h"

#include <algorithm>

namespace kinora::http {

AcceptBackoff::Step AcceptBackoff::Failed(Clock::time_point now) {
  Step s;
  s.wait = next_;
  next_ = std::min(next_ * 2, kMax);
  if (!logged_ || now - last_log_ >= kLogEvery) {
    s.log = true;
    s.suppressed = suppressed_;
    suppressed_ = 0;
    logged_ = true;
    last_log_ = now;
  } else {
    ++suppressed_;
  }
  return s;
}

}  // namespace kinora::http
