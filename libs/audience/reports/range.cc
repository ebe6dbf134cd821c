#include "kinora/audience/reports/range.h"

#include <cctype>
#include <charconv>
#include <string>

namespace kinora::audience::reports {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` digits at s[pos], advancing pos.
std::optional<int> Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<SysTime> ParseBound(std::string_view s, bool end_of_day) {
  size_t pos = 0;
  auto y = Digits(s, pos, 4);
  if (!y || !Expect(s, pos, '-')) return std::nullopt;
  auto mo = Digits(s, pos, 2);
  if (!mo || !Expect(s, pos, '-')) return std::nullopt;
  auto d = Digits(s, pos, 2);
  if (!d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                        std::chrono::month{static_cast<unsigned>(*mo)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  const SysTime midnight = std::chrono::sys_days{ymd};
  if (pos == s.size()) return end_of_day ? midnight + days{1} : midnight;

  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  auto h = Digits(s, pos, 2);
  if (!h || *h > 23 || !Expect(s, pos, ':')) return std::nullopt;
  auto mi = Digits(s, pos, 2);
  if (!mi || *mi > 59) return std::nullopt;
  int sec = 0;
  std::chrono::milliseconds frac{0};
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    auto sv = Digits(s, pos, 2);
    if (!sv || *sv > 59) return std::nullopt;
    sec = *sv;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int scale = 100, ms = 0;
      const size_t start = pos;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 9) return std::nullopt;
      frac = std::chrono::milliseconds{ms};
    }
  }
  seconds offset{0};
  if (pos < s.size()) {
    const char z = s[pos];
    if ((z == 'Z' || z == 'z') && pos + 1 == s.size()) {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      auto oh = Digits(s, pos, 2);
      if (!oh || *oh > 23 || !Expect(s, pos, ':')) return std::nullopt;
      auto om = Digits(s, pos, 2);
      if (!om || *om > 59) return std::nullopt;
      offset = hours{*oh} + minutes{*om};
      if (z == '-') offset = -offset;
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  return midnight + hours{*h} + minutes{*mi} + seconds{sec} + frac - offset;
}

Result<TimeRange> ParseRange(std::optional<std::string_view> from,
                             std::optional<std::string_view> to, SysTime now) {
  TimeRange r;
  if (to) {
    auto t = ParseBound(*to, /*end_of_day=*/true);
    if (!t) return InvalidArgument("'to' must be an ISO date or date-time (UTC)");
    r.to = *t;
  } else {
    r.to = std::chrono::time_point_cast<seconds>(now);
  }
  if (from) {
    auto f = ParseBound(*from, /*end_of_day=*/false);
    if (!f) return InvalidArgument("'from' must be an ISO date or date-time (UTC)");
    r.from = *f;
  } else {
    r.from = r.to - kDefaultRange;
  }
  if (r.to <= r.from) return InvalidArgument("'to' must be after 'from'");
  if (r.to - r.from > kMaxRange) return InvalidArgument("the range is longer than 400 days");
  return r;
}

std::chrono::seconds BucketLength(Interval interval) {
  return interval == Interval::kHour ? seconds{hours{1}} : seconds{days{1}};
}

SysTime BucketStart(SysTime t, Interval interval) {
  const auto s = std::chrono::floor<seconds>(t.time_since_epoch());
  const auto len = BucketLength(interval);
  auto q = s.count() / len.count();
  if (s.count() % len.count() < 0) --q;  // before 1970
  return SysTime{seconds{q * len.count()}};
}

TimeRange Widen(const TimeRange& r, Interval interval) {
  TimeRange w{BucketStart(r.from, interval), BucketStart(r.to, interval)};
  if (w.to < r.to) w.to += BucketLength(interval);
  return w;
}

TimeRange Previous(const TimeRange& r) { return {r.from - (r.to - r.from), r.from}; }

std::optional<Interval> ParseInterval(std::string_view name) {
  if (name == "hour") return Interval::kHour;
  if (name == "day") return Interval::kDay;
  return std::nullopt;
}

std::string_view ToString(Interval interval) {
  return interval == Interval::kHour ? "hour" : "day";
}

}  // namespace kinora::audience::reports
