#include "file_limit.h"

#include <sys/resource.h>

namespace kinora::app {

FileLimit RaiseOpenFileLimit() {
  FileLimit out;
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return out;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      lim = raised;
      out.raised = true;
    }
  }
  out.soft = lim.rlim_cur == RLIM_INFINITY ? UINT64_MAX : lim.rlim_cur;
  out.hard = lim.rlim_max == RLIM_INFINITY ? UINT64_MAX : lim.rlim_max;
  return out;
}

}  // namespace kinora::app
