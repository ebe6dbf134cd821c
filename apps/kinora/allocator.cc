#include "allocator.h"

#include <malloc.h>

#include <cstdlib>

namespace kinora::app {

void TuneAllocator() {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

}  // namespace kinora::app
