// `kinora probe-child`: the child side of uploader/probe_child.h. Reads the head and tail of an
// upload from stdin, probes them under the media limits, and writes the one result line on
// sandbox::kProgressFd. Run by the uploader through libs/sandbox, never by people.
// Thread safety: call once per process.
#pragma once

#include "kinora/uploader/probe_child.h"

namespace kinora::app {

// Exit 0 when a result line was written (a refusal is a result too), 1 otherwise.
int RunProbeChild(const uploader::ProbeChildRequest& request);

}  // namespace kinora::app
