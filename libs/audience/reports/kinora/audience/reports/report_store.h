// ReportStore: the reads behind the audience reports, over the audience tables that ingest keeps
// (kinora/audience/schema.h): rollups per video per hour/day, retention buckets, the startup
// histogram, distinct daily viewers, per-minute concurrency, and the raw view sessions. Ingest
// updates the rollups in the transaction that accepts a beacon, so these reads see views that
// are not yet finalised. Every query walks an index (report_store_plan_test.cc checks it).
// Backends: SQLite and PostgreSQL (the catalog's database), chosen by URL in OpenReportStore.
// Thread safety: every method may be called from any thread concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/audience/reports/range.h"
#include "kinora/core/error.h"

namespace kinora::audience::reports {

// Whose figures: one video, one owner's videos, or every video.
struct Scope {
  enum class Kind { kVideo, kOwner, kAll };
  Kind kind = Kind::kAll;
  std::string id;  // the video id or the owner's user id

  static Scope Video(std::string id) { return {Kind::kVideo, std::move(id)}; }
  static Scope Owner(std::string id) { return {Kind::kOwner, std::move(id)}; }
  static Scope All() { return {}; }
};

// Sums of audience_hourly's columns (see schema.h for each).
struct HourlySums {
  int64_t plays = 0, views = 0, dnt_views = 0, watch_ms = 0, completions = 0, stalls = 0,
          stall_ms = 0, startup_sum_ms = 0, startup_count = 0, first_frames = 0,
          exits_before_start = 0, failures = 0, rendition_switches = 0, nominal_bits = 0,
          bitrate_watch_ms = 0, upscaled_ms = 0, sized_watch_ms = 0, viewed_ppm_sum = 0, bytes = 0,
          download_ms = 0;
};

// Counts per startup-histogram bound, in kStartupBucketsMs order.
using StartupCounts = std::vector<int64_t>;

struct RetentionCounts {
  std::vector<int64_t> first_percent, rewatch_percent;  // 100 each
  std::vector<int64_t> first_second, rewatch_second;    // per second, as far as any count goes
};

struct BreakdownRow {
  std::string value;
  int64_t plays = 0, views = 0, watch_ms = 0;
};

struct VideoFigure {
  std::string video_id;
  int64_t value = 0;  // viewers (realtime)
  int64_t views = 0, watch_ms = 0;
};

// One raw view session as exported (viewer keys are never exported).
struct SessionRow {
  std::string view_id, video_id;
  int64_t started_at = 0, last_seen_at = 0, finalised_at = 0, duration_ms = 0, credited_ms = 0,
          viewed_ppm = 0, first_frame = 0, startup_ms = -1, stalls = 0, stall_ms = 0, seeks = 0,
          pauses = 0, rendition_switches = 0, bytes = 0, height = 0, bitrate = 0,
          element_height = 0, errors = 0, ended = 0, completed = 0, qualified = 0, counted = 0,
          bot = 0, owner = 0, implausible = 0, dnt = 0, exited_before_start = 0;
  std::string error_code, surface, embed_host, referrer_host, country, device, browser, os;
};

// Where an export page resumes: after (started_at, view_id).
struct ExportCursor {
  int64_t started_at = 0;
  std::string view_id;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // audience_hourly summed over the hours in `r` (bounds on whole hours: callers Widen first).
  virtual Result<HourlySums> Sums(const Scope& s, const TimeRange& r) = 0;
  // The same per bucket of `interval`, keyed by the bucket's start (Unix seconds); buckets
  // without rows are absent.
  virtual Result<std::map<int64_t, HourlySums>> SumsBy(const Scope& s, const TimeRange& r,
                                                       Interval interval) = 0;
  // Distinct viewer keys per day (audience_daily_unique), keyed by day start.
  virtual Result<std::map<int64_t, int64_t>> DailyViewers(const Scope& s, const TimeRange& r) = 0;
  // The startup histogram summed over `r`, per bucket of `interval` (key: bucket start), or
  // over the whole range (key 0) when interval is empty.
  virtual Result<std::map<int64_t, StartupCounts>> Startup(const Scope& s, const TimeRange& r,
                                                           std::optional<Interval> interval) = 0;
  // Retention buckets of one video over the days in `r`.
  virtual Result<RetentionCounts> Retention(std::string_view video_id, const TimeRange& r) = 0;
  // One dimension's rows for one video over the days in `r`, by plays descending then value.
  virtual Result<std::vector<BreakdownRow>> Breakdown(std::string_view video_id, const TimeRange& r,
                                                      std::string_view dimension) = 0;
  // Open views (no viewend/ended, not finalised, not a bot's or the owner's) with a beacon at
  // or after `since_ms`, counted per video, most viewers first.
  virtual Result<std::vector<VideoFigure>> ViewersNow(const Scope& s, int64_t since_ms) = 0;
  // The highest per-minute sum of audience_concurrency from `since_s` (Unix seconds) on.
  virtual Result<int64_t> PeakConcurrency(const Scope& s, int64_t since_s) = 0;
  // The videos with the most watch time in `r`.
  virtual Result<std::vector<VideoFigure>> TopVideos(const Scope& s, const TimeRange& r,
                                                     int limit) = 0;
  // Up to `limit` sessions that started in `r`, in (started_at, view_id) order after `after`.
  virtual Result<std::vector<SessionRow>> Sessions(const Scope& s, const TimeRange& r,
                                                   const std::optional<ExportCursor>& after,
                                                   int limit) = 0;
};

// sqlite:///abs/path/catalog.db or postgresql://…: the catalog's database. Applies the
// audience migrations (idempotent) so the tables exist.
Result<std::unique_ptr<ReportStore>> OpenReportStore(std::string_view url);

}  // namespace kinora::audience::reports
