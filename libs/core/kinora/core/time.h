// Wall-clock helpers: ISO-8601 UTC formatting/parsing and day buckets for analytics.
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kinora {

using SysTime = std::chrono::system_clock::time_point;

// "2026-11-24T10:00:00Z" or with millis "2026-11-24T10:00:00.123Z".
std::string FormatIso8601(SysTime t, bool millis = false);
// "2026-11-24" (UTC).
std::string FormatDay(SysTime t);
// Parses what FormatIso8601 produces (with or without millis).
std::optional<SysTime> ParseIso8601(std::string_view s);

int64_t UnixSeconds(SysTime t);
int64_t UnixMillis(SysTime t);

}  // namespace kinora
