// The time range of an analytics report: `from`/`to` query parameters (ISO dates or date-times,
// UTC), the default (the last 28 days), the 400-day cap, widening to whole hour or day buckets,
// and the previous period of equal length that overviews compare against.
// Thread safety: pure functions on plain values.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "kinora/core/error.h"
#include "kinora/core/time.h"

namespace kinora::audience::reports {

// A half-open interval [from, to) of server time.
struct TimeRange {
  SysTime from;
  SysTime to;

  std::chrono::seconds length() const {
    return std::chrono::duration_cast<std::chrono::seconds>(to - from);
  }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

enum class Interval { kHour, kDay };

inline constexpr std::chrono::days kDefaultRange{28};
inline constexpr std::chrono::days kMaxRange{400};

// Parses one bound. A date ("2026-11-24") is midnight UTC of that day, or, for `to`
// (`end_of_day`), the next midnight, so `to=2026-11-24` includes that whole day. A date-time
// is "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z", "+HH:MM" or "-HH:MM" (none: UTC).
std::optional<SysTime> ParseBound(std::string_view text, bool end_of_day);

// The report range from the optional `from` and `to` parameters at time `now`: to defaults to
// now, from to `to` − 28 days. kInvalidArgument (400) for a bound that does not parse, `to` not
// after `from`, or a range longer than 400 days.
Result<TimeRange> ParseRange(std::optional<std::string_view> from,
                             std::optional<std::string_view> to, SysTime now);

// Start of the bucket holding t (UTC hours and days).
SysTime BucketStart(SysTime t, Interval interval);
// The range widened to whole buckets: from down to its bucket's start, to up to a bucket edge.
TimeRange Widen(const TimeRange& r, Interval interval);
// The period of equal length that ends where `r` starts.
TimeRange Previous(const TimeRange& r);

std::chrono::seconds BucketLength(Interval interval);
std::optional<Interval> ParseInterval(std::string_view name);  // "hour", "day"
std::string_view ToString(Interval interval);

}  // namespace kinora::audience::reports
