// What the server believes of a beacon batch (docs/analytics.md "What the server believes"):
// applies a validated batch to its view session and says what it adds to the rollups. Pure: the
// time is passed in (server milliseconds), so tests drive it with a fake clock.
// Thread safety: pure functions over caller-owned values.
#pragma once

#include <cstdint>
#include <vector>

#include "kinora/audience/beacon.h"
#include "kinora/audience/session.h"

namespace kinora::audience {

inline constexpr int64_t kQualifyingWatchMs = 10'000;
inline constexpr int64_t kShortVideoMs = 20'000;        // below it, half the video qualifies
inline constexpr int64_t kPlausibilitySlackMs = 2'000;  // bound: 2 × server span + this
inline constexpr int64_t kPlaybackRateBound = 2;        // the player's fastest rate
inline constexpr int64_t kCompletionPpm = 900'000;      // 90 % of the duration played

// One retention bucket a credited range touched.
struct RetentionHit {
  bool rewatch = false;     // the view had played some of this bucket before
  bool per_second = false;  // resolution: second (else percent)
  int64_t bucket = 0;
  friend bool operator==(const RetentionHit&, const RetentionHit&) = default;
};

// What a batch (or the finalisation) adds to the rollups of the view's hour and day. All zero
// for an excluded view (bot, owner). `views` is not here: counting needs the dedupe, which the
// store does when `qualified_now` is set.
struct Contribution {
  int64_t plays = 0;
  int64_t watch_ms = 0;
  int64_t completions = 0;
  int64_t stalls = 0;
  int64_t stall_ms = 0;
  int64_t startup_ms = -1;  // the play's startup time, once, for the sum and the histogram
  int64_t first_frames = 0;
  int64_t exits_before_start = 0;
  int64_t failures = 0;
  int64_t rendition_switches = 0;
  int64_t nominal_bits = 0;
  int64_t bitrate_watch_ms = 0;
  int64_t upscaled_ms = 0;
  int64_t sized_watch_ms = 0;
  int64_t viewed_ppm = 0;
  int64_t bytes = 0;
  int64_t download_ms = 0;
  std::vector<RetentionHit> retention;
  int64_t concurrency_minute = 0;  // minute_start to add one viewer to; 0 none
  bool qualified_now = false;      // became qualified and may be counted (the store dedupes)

  bool empty() const;
};

struct BatchOutcome {
  int64_t accepted = 0;    // events applied (0 for a replay or a finalised view)
  bool replay = false;     // the batch's first seq was not above the stored max_seq
  bool finalised = false;  // the batch ended the view (viewend)
  Contribution add;
};

// A new session for the first batch seen of a view. `catalog_duration_ms` (0 unknown) is
// preferred to the player's.
ViewSession NewSession(const Beacon& b, const ViewerFacts& viewer, int64_t now_ms,
                       int64_t catalog_duration_ms);

// Applies `b` (of s's view) arriving at now_ms. A batch whose first seq is not above s.max_seq,
// or for a finalised view, changes nothing.
BatchOutcome ApplyBatch(ViewSession& s, const Beacon& b, int64_t now_ms);

// Finalises an open view (viewend, or the sweeper after 30 min of silence).
Contribution Finalise(ViewSession& s, int64_t now_ms);

// Pure helpers, exposed for tests.
// Length of the union of `ranges` (any order, may overlap).
int64_t UnionLength(std::vector<PlayedRange> ranges);
// Adds `r` into the sorted disjoint list `covered`.
void AddRange(std::vector<PlayedRange>& covered, PlayedRange r);
int64_t RollupHour(int64_t at_ms);    // unix s of the hour's start
int64_t RollupDay(int64_t at_ms);     // unix s of the UTC day's start
int64_t RollupMinute(int64_t at_ms);  // unix s of the minute's start

}  // namespace kinora::audience
