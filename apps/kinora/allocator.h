// How the long-running roles tune glibc's allocator.
#pragma once

namespace kinora::app {

// Keeps up to 32 MiB of freed memory at the top of each malloc arena instead of giving it back to
// the kernel at once (glibc's default: 128 KiB). A listing page is ~120 KB of JSON, and the gateway
// relays it in one buffer: with the default every request returned that memory (madvise) and
// faulted it in again, zero-filled — a third of the gateway's CPU (bench/listing.sh, split).
// Left alone when GLIBC_TUNABLES is set: the operator's tuning wins.
void TuneAllocator();

}  // namespace kinora::app
