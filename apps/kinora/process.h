// `kinora process INPUT --out DIR`: the processing pipeline on a local file, for operators and
// benchmarks, and the entry point of the sandboxed child the processor runs for every job.
// Thread safety: call once per process.
#pragma once

#include "kinora/processor/child_protocol.h"

namespace kinora::app {

// Speaks the child's side of processor/child_protocol.h: progress lines, report, exit codes.
int RunProcess(const processor::ChildRequest& args);

}  // namespace kinora::app
