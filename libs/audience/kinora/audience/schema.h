// The audience analytics tables (docs/analytics.md "Storage"): one home for their names, columns,
// units and fixed constants, and the migrations that create them in the catalog's database
// (SQLite or PostgreSQL, identical tables and columns, versioned in kinora_migrations under the
// component "audience"). Ingest (libs/audience) writes them; reports (libs/audience/reports) read
// them. Thread safety: constants and pure functions.
//
// Units: times are unix milliseconds (UTC) and named *_at or *_ms; rollup buckets are unix
// seconds (UTC) at the start of the bucket and named hour_start, day_start, minute_start.
// Booleans are INTEGER 0/1 on both backends, so the same SQL reads them. Every integer is 64-bit
// (BIGINT in PostgreSQL). Empty text means "unknown" (or withheld: DNT).
//
// Rollups are updated as beacons are accepted, in the same transaction as the session row, so a
// report reads the rollups alone and nothing waits for finalisation. A view's contributions all
// go to the hour/day/minute of its `started_at` (concurrency: of the beacon's arrival). Bots, the
// owner's own plays and (for `views`) implausible views are stored in view_sessions, flagged, and
// never added to any rollup.
//
// view_sessions — one row per view (play attempt), kept KINORA_ANALYTICS_RETENTION_DAYS:
//   view_id TEXT PK (client's, 16–64 of [A-Za-z0-9_-]), video_id TEXT,
//   started_at, last_seen_at (server times of the first / latest accepted batch, ms),
//   finalised_at (ms; 0 while open), max_seq (highest stored seq; -1 none), last_t_ms (client t
//   of the latest event), duration_ms (catalog's, else the player's), credited_ms (watch time),
//   covered (the union of played content ranges, "startMs-endMs,…" ascending, disjoint),
//   viewed_ppm (min(credited/duration, 1) in millionths, as added to the hourly rollup),
//   first_frame (0/1), startup_ms (-1 none), stalls, stall_ms, seeks, pauses, rendition_switches,
//   bytes, download_ms, height, bitrate (latest rendition: px, bit/s; 0 unknown), element_height,
//   nominal_bits (Σ bitrate × credited ms / 1000), bitrate_watch_ms (credited ms with a known
//   bitrate), upscaled_ms (credited ms with height < element_height), sized_watch_ms (credited ms
//   with both heights known), errors, error_code, error_message (first error; ≤ 200 chars),
//   autoplay, ended (an `ended` event), viewend (a `viewend` event), completed (ended or ≥ 90 %),
//   qualified (≥ 10 s, or ≥ half of a video shorter than 20 s), counted (qualified and counted in
//   `views`: not a bot/owner/implausible view, not deduplicated), bot, owner, implausible, dnt
//   (0/1 flags), viewer_key (32 hex chars; '' for DNT), surface ('watch'|'embed'), embed_host,
//   referrer_host, country, device, browser, os, last_minute (minute_start last counted in
//   audience_concurrency; 0 none), exited_before_start (set at finalisation).
//   Indexes: (video_id, started_at) for reports/export; (finalised_at, last_seen_at) for the
//   sweeper and "viewers now"; (started_at) for retention deletes and site-wide export.
//
// audience_hourly — per video per hour (hour_start), counted plays only:
//   plays, views (counted qualified views), dnt_views (counted views without a viewer key),
//   watch_ms, completions, stalls, stall_ms, startup_sum_ms, startup_count (plays with a first
//   frame and a startup_ms), first_frames (plays with a first frame), exits_before_start (added at
//   finalisation), failures (plays with an error), rendition_switches, nominal_bits,
//   bitrate_watch_ms, upscaled_ms, sized_watch_ms, viewed_ppm_sum (Σ viewed_ppm), bytes,
//   download_ms. PK (video_id, hour_start).
// audience_dimension_daily — per video per day (day_start) per dimension and value:
//   dimension (kDimensions), value ('' unknown), plays, views, watch_ms.
//   PK (video_id, day_start, dimension, value).
// audience_retention — per video per day: kind ('first'|'rewatch'), resolution
//   ('percent': bucket 0–99 is [b, b+1) % of the duration | 'second': bucket s is [s, s+1) s,
//   videos ≤ 600 s), bucket, count (first: plays that played some of it; rewatch: times a play
//   played it again). PK (video_id, day_start, kind, resolution, bucket).
// audience_startup_histogram — per video per hour: le_ms (kStartupBucketsMs; the last is
//   kStartupOverflowMs, "+Inf"), count (plays whose startup_ms ≤ le_ms and > the previous bound).
//   PK (video_id, hour_start, le_ms).
// audience_daily_viewers — distinct viewer keys: video_id, day_start, viewer_key.
//   PK (video_id, day_start, viewer_key). Only the days whose salt may still exist are needed
//   (a key of an older day can never be computed again): deleted with the day's salt.
// audience_site_hourly — audience_hourly summed over every video: hour_start PK and the same
//   counters. audience_site_startup — audience_startup_histogram summed over every video:
//   hour_start, le_ms, count; PK (hour_start, le_ms). audience_site_concurrency —
//   audience_concurrency summed over every video: minute_start PK, viewers. Written with the
//   per-video rows.
// audience_daily_unique — per video per day: viewers (rows of audience_daily_viewers ever added
//   for it; kept after the keys are deleted). PK (video_id, day_start).
// audience_concurrency — per video per minute (minute_start, of the beacon's arrival): viewers
//   (distinct open views that sent a batch in that minute). PK (video_id, minute_start).
// audience_salts — day_start PK, salt (64 hex chars: 32 random bytes), created_at (ms). Deleted
//   48 h after the day starts.
// audience_dedupe — dedupe_key PK (32 hex chars: HMAC of the viewer, video and hour),
//   hour_start. Deleted when the hour is over.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kinora::audience {

inline constexpr std::string_view kMigrationComponent = "audience";

// Table names.
inline constexpr std::string_view kViewSessionsTable = "view_sessions";
inline constexpr std::string_view kHourlyTable = "audience_hourly";
inline constexpr std::string_view kDimensionDailyTable = "audience_dimension_daily";
inline constexpr std::string_view kRetentionTable = "audience_retention";
inline constexpr std::string_view kStartupHistogramTable = "audience_startup_histogram";
inline constexpr std::string_view kDailyViewersTable = "audience_daily_viewers";
inline constexpr std::string_view kDailyUniqueTable = "audience_daily_unique";
inline constexpr std::string_view kSiteHourlyTable = "audience_site_hourly";
inline constexpr std::string_view kSiteStartupTable = "audience_site_startup";
inline constexpr std::string_view kSiteConcurrencyTable = "audience_site_concurrency";
inline constexpr std::string_view kConcurrencyTable = "audience_concurrency";
inline constexpr std::string_view kSaltsTable = "audience_salts";
inline constexpr std::string_view kDedupeTable = "audience_dedupe";

// audience_hourly's counters, in its column order after (video_id, hour_start).
inline constexpr std::array<std::string_view, 20> kHourlyCounters = {"plays",
                                                                     "views",
                                                                     "dnt_views",
                                                                     "watch_ms",
                                                                     "completions",
                                                                     "stalls",
                                                                     "stall_ms",
                                                                     "startup_sum_ms",
                                                                     "startup_count",
                                                                     "first_frames",
                                                                     "exits_before_start",
                                                                     "failures",
                                                                     "rendition_switches",
                                                                     "nominal_bits",
                                                                     "bitrate_watch_ms",
                                                                     "upscaled_ms",
                                                                     "sized_watch_ms",
                                                                     "viewed_ppm_sum",
                                                                     "bytes",
                                                                     "download_ms"};
// audience_dimension_daily.dimension values.
inline constexpr std::array<std::string_view, 7> kDimensions = {
    "country", "device", "browser", "os", "referrer", "surface", "embed_host"};

// audience_retention.kind and .resolution values.
inline constexpr std::string_view kRetentionFirst = "first";
inline constexpr std::string_view kRetentionRewatch = "rewatch";
inline constexpr std::string_view kResolutionPercent = "percent";
inline constexpr std::string_view kResolutionSecond = "second";
inline constexpr int kPercentBuckets = 100;
inline constexpr int64_t kMaxPerSecondDurationMs = 600'000;  // per-second retention up to 10 min

// audience_startup_histogram.le_ms bounds, ascending; the last stands for +Inf.
inline constexpr int64_t kStartupOverflowMs = 2'147'483'647;
inline constexpr std::array<int64_t, 13> kStartupBucketsMs = {
    100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 20000, kStartupOverflowMs};

// The migrations, applied with sqlite::MigrateComponent / pg::MigrateComponent under
// kMigrationComponent. Both lists have the same length and create the same tables and columns.
const std::vector<std::string_view>& SqliteMigrations();
const std::vector<std::string_view>& PostgresMigrations();

}  // namespace kinora::audience
