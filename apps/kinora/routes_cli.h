// `kinora routes [--json]`: the authorization table as an operator (or the matrix test) reads it.
// Thread safety: call from main only.
#pragma once

namespace kinora::app {

// Prints the table to stdout; returns the process exit code.
int PrintRoutes(bool json);

}  // namespace kinora::app
