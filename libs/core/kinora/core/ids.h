// Identifiers: random UUIDv4 for videos and correlation ids, and their validation.
// Thread safety: all functions are safe to call concurrently.
#pragma once

#include <string>
#include <string_view>

namespace kinora {

// A random (version 4) UUID in canonical lowercase 8-4-4-4-12 form.
std::string NewUuid();

// True for the canonical lowercase form NewUuid() produces (also accepts uppercase hex).
bool IsUuid(std::string_view s);

// Inbound X-Correlation-ID is kept only if it is 1–128 chars of [A-Za-z0-9._-].
bool IsValidCorrelationId(std::string_view s);

}  // namespace kinora
