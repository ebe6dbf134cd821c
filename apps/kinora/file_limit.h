// The process's open-file limit: every connection, object file and database handle is a
// descriptor, and the soft limit a container or shell starts us with (often 1024) is far below
// the hard limit the operator allowed. Thread safety: call once at start, before threads.
#pragma once

#include <cstdint>

namespace kinora::app {

struct FileLimit {
  uint64_t soft = 0, hard = 0;  // after the call; RLIM_INFINITY shows as UINT64_MAX
  bool raised = false;
};

// Raises the soft RLIMIT_NOFILE to the hard limit (best effort: unchanged on failure).
FileLimit RaiseOpenFileLimit();

}  // namespace kinora::app
