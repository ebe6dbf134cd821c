#include "kinora/audience/session_rules.h"

#include <algorithm>

#include "kinora/audience/schema.h"

namespace kinora::audience {
namespace {

constexpr int64_t kPpm = 1'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

bool Overlaps(const std::vector<PlayedRange>& covered, int64_t lo, int64_t hi) {
  for (const auto& c : covered) {
    if (c.start_ms >= hi) break;
    if (std::min(c.end_ms, hi) > std::max(c.start_ms, lo)) return true;
  }
  return false;
}

int64_t CoveredLength(const std::vector<PlayedRange>& covered) {
  int64_t n = 0;
  for (const auto& c : covered) n += c.end_ms - c.start_ms;
  return n;
}

// The retention buckets [s, e) touches, each marked first or re-watch against `covered` (the
// view's plays before this range).
void RetentionOf(PlayedRange r, int64_t duration_ms, const std::vector<PlayedRange>& covered,
                 std::vector<RetentionHit>& out) {
  if (r.end_ms <= r.start_ms || duration_ms <= 0) return;
  const int64_t d = duration_ms;
  const int64_t first =
      std::clamp<int64_t>(r.start_ms * kPercentBuckets / d, 0, kPercentBuckets - 1);
  const int64_t last =
      std::clamp<int64_t>((r.end_ms - 1) * kPercentBuckets / d, 0, kPercentBuckets - 1);
  for (int64_t b = first; b <= last; ++b) {
    const int64_t lo = CeilDiv(b * d, kPercentBuckets);
    const int64_t hi = CeilDiv((b + 1) * d, kPercentBuckets);
    out.push_back({Overlaps(covered, lo, hi), false, b});
  }
  if (d > kMaxPerSecondDurationMs) return;
  const int64_t last_second = (d - 1) / 1000;
  for (int64_t b = r.start_ms / 1000; b <= std::min((r.end_ms - 1) / 1000, last_second); ++b)
    out.push_back({Overlaps(covered, b * 1000, (b + 1) * 1000), true, b});
}

int64_t ViewedPpm(int64_t credited_ms, int64_t duration_ms) {
  if (duration_ms <= 0) return 0;
  return std::min<int64_t>(kPpm, credited_ms * kPpm / duration_ms);
}

bool Qualifies(int64_t credited_ms, int64_t duration_ms) {
  if (credited_ms >= kQualifyingWatchMs) return true;
  return duration_ms > 0 && duration_ms < kShortVideoMs && 2 * credited_ms >= duration_ms;
}

// A heartbeat: credits its ranges if the server's clock allows them.
void Heartbeat(ViewSession& s, const BeaconEvent& e, int64_t bound_ms, Contribution& add) {
  s.bytes += e.bytes;
  s.download_ms += e.download_ms;
  add.bytes += e.bytes;
  add.download_ms += e.download_ms;
  if (e.height > 0) s.height = e.height;
  if (e.bitrate > 0) s.bitrate = e.bitrate;
  if (e.element_height > 0) s.element_height = e.element_height;

  std::vector<PlayedRange> clipped;
  for (PlayedRange r : e.ranges) {
    r.start_ms = std::min(r.start_ms, s.duration_ms);
    r.end_ms = std::min(r.end_ms, s.duration_ms);
    if (r.end_ms > r.start_ms) clipped.push_back(r);
  }
  const int64_t played = UnionLength(clipped);
  if (played == 0) return;
  if (s.credited_ms + played > bound_ms) {
    s.implausible = true;  // refused as a whole
    return;
  }
  s.credited_ms += played;
  add.watch_ms += played;
  if (s.bitrate > 0) {
    s.nominal_bits += s.bitrate * played / 1000;
    s.bitrate_watch_ms += played;
    add.nominal_bits += s.bitrate * played / 1000;
    add.bitrate_watch_ms += played;
  }
  if (s.height > 0 && s.element_height > 0) {
    s.sized_watch_ms += played;
    add.sized_watch_ms += played;
    if (s.height < s.element_height) {
      s.upscaled_ms += played;
      add.upscaled_ms += played;
    }
  }
  for (const PlayedRange& r : clipped) {
    RetentionOf(r, s.duration_ms, s.covered, add.retention);
    AddRange(s.covered, r);
  }
  const int64_t ppm = ViewedPpm(s.credited_ms, s.duration_ms);
  add.viewed_ppm += ppm - s.viewed_ppm;
  s.viewed_ppm = ppm;
}

void Complete(ViewSession& s, Contribution& add) {
  if (s.completed) return;
  s.completed = true;
  add.completions = 1;
}

void Apply(ViewSession& s, const BeaconEvent& e, int64_t bound_ms, Contribution& add) {
  switch (e.type) {
    case EventType::kViewStart:
      s.autoplay = e.autoplay;
      add.plays = 1;
      break;
    case EventType::kPlaying:
      if (!s.first_frame) {
        s.first_frame = true;
        s.startup_ms = e.startup_ms;
        add.first_frames = 1;
        add.startup_ms = e.startup_ms;
      }
      break;
    case EventType::kPause:
      ++s.pauses;
      break;
    case EventType::kPlay:
      break;
    case EventType::kSeek:
      ++s.seeks;
      break;
    case EventType::kStallStart:
      ++s.stalls;
      ++add.stalls;
      break;
    case EventType::kStallEnd:
      s.stall_ms += e.stall_ms;
      add.stall_ms += e.stall_ms;
      break;
    case EventType::kRendition:
      ++s.rendition_switches;
      ++add.rendition_switches;
      if (e.height > 0) s.height = e.height;
      if (e.bitrate > 0) s.bitrate = e.bitrate;
      break;
    case EventType::kError:
      if (s.errors++ == 0) {
        s.error_code = e.error_code;
        s.error_message = e.error_message;
        add.failures = 1;
      }
      break;
    case EventType::kHeartbeat:
      Heartbeat(s, e, bound_ms, add);
      break;
    case EventType::kEnded:
      s.ended = true;
      Complete(s, add);
      break;
    case EventType::kViewEnd:
      s.viewend = true;
      break;
  }
}

}  // namespace

bool Contribution::empty() const {
  return plays == 0 && watch_ms == 0 && completions == 0 && stalls == 0 && stall_ms == 0 &&
         startup_ms < 0 && first_frames == 0 && exits_before_start == 0 && failures == 0 &&
         rendition_switches == 0 && nominal_bits == 0 && bitrate_watch_ms == 0 &&
         upscaled_ms == 0 && sized_watch_ms == 0 && viewed_ppm == 0 && bytes == 0 &&
         download_ms == 0 && retention.empty() && concurrency_minute == 0 && !qualified_now;
}

int64_t RollupHour(int64_t at_ms) { return FloorDiv(at_ms, 3'600'000) * 3600; }
int64_t RollupDay(int64_t at_ms) { return FloorDiv(at_ms, 86'400'000) * 86400; }
int64_t RollupMinute(int64_t at_ms) { return FloorDiv(at_ms, 60'000) * 60; }

int64_t UnionLength(std::vector<PlayedRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const PlayedRange& a, const PlayedRange& b) { return a.start_ms < b.start_ms; });
  int64_t total = 0, cur_start = 0, cur_end = -1;
  for (const auto& r : ranges) {
    if (r.end_ms <= r.start_ms) continue;
    if (cur_end < 0 || r.start_ms > cur_end) {
      if (cur_end >= 0) total += cur_end - cur_start;
      cur_start = r.start_ms;
      cur_end = r.end_ms;
    } else {
      cur_end = std::max(cur_end, r.end_ms);
    }
  }
  if (cur_end >= 0) total += cur_end - cur_start;
  return total;
}

void AddRange(std::vector<PlayedRange>& covered, PlayedRange r) {
  if (r.end_ms <= r.start_ms) return;
  std::vector<PlayedRange> out;
  out.reserve(covered.size() + 1);
  bool placed = false;
  for (const auto& c : covered) {
    if (c.end_ms < r.start_ms) {
      out.push_back(c);
    } else if (c.start_ms > r.end_ms) {
      if (!placed) out.push_back(r), placed = true;
      out.push_back(c);
    } else {
      r.start_ms = std::min(r.start_ms, c.start_ms);
      r.end_ms = std::max(r.end_ms, c.end_ms);
    }
  }
  if (!placed) out.push_back(r);
  covered = std::move(out);
}

ViewSession NewSession(const Beacon& b, const ViewerFacts& viewer, int64_t now_ms,
                       int64_t catalog_duration_ms) {
  ViewSession s;
  s.view_id = b.view_id;
  s.video_id = b.video_id;
  s.started_at = now_ms;
  s.last_seen_at = now_ms;
  s.duration_ms = catalog_duration_ms > 0 ? catalog_duration_ms : b.duration_ms;
  s.bot = viewer.bot;
  s.owner = viewer.owner;
  s.dnt = viewer.dnt;
  s.surface = b.surface;
  s.country = viewer.country;
  if (!viewer.dnt) {
    s.viewer_key = viewer.viewer_key;
    s.embed_host = b.embed_host;
    s.referrer_host = b.referrer_host;
    s.device = viewer.device;
    s.browser = viewer.browser;
    s.os = viewer.os;
  }
  return s;
}

BatchOutcome ApplyBatch(ViewSession& s, const Beacon& b, int64_t now_ms) {
  BatchOutcome out;
  if (b.events.empty() || s.finalised_at != 0) return out;
  if (b.events.front().seq <= s.max_seq) {
    out.replay = true;
    return out;
  }
  s.last_seen_at = std::max(s.last_seen_at, now_ms);
  Contribution& add = out.add;
  const int64_t minute = RollupMinute(s.last_seen_at);
  if (!s.ended && !s.viewend && minute > s.last_minute) {
    s.last_minute = minute;
    add.concurrency_minute = minute;
  }
  const int64_t bound_ms =
      kPlaybackRateBound * (s.last_seen_at - s.started_at) + kPlausibilitySlackMs;
  const bool was_qualified = s.qualified;
  for (const BeaconEvent& e : b.events) {
    Apply(s, e, bound_ms, add);
    s.max_seq = e.seq;
    s.last_t_ms = e.t_ms;
    ++out.accepted;
  }
  if (!s.completed && s.duration_ms > 0 &&
      CoveredLength(s.covered) * kPpm >= kCompletionPpm * s.duration_ms)
    Complete(s, add);
  if (!was_qualified && Qualifies(s.credited_ms, s.duration_ms)) {
    s.qualified = true;
    add.qualified_now = !s.implausible && !s.excluded();
  }
  if (s.viewend) {
    Contribution fin = Finalise(s, now_ms);
    add.exits_before_start += fin.exits_before_start;
    out.finalised = true;
  }
  if (s.excluded()) add = Contribution{};
  return out;
}

Contribution Finalise(ViewSession& s, int64_t now_ms) {
  Contribution add;
  if (s.finalised_at != 0) return add;
  s.finalised_at = std::max<int64_t>(now_ms, 1);
  if (!s.first_frame && s.errors == 0) {
    s.exited_before_start = true;
    if (!s.excluded()) add.exits_before_start = 1;
  }
  return add;
}

}  // namespace kinora::audience
