// The audience tables in SQLite (kinora/audience/schema.h documents every column and unit).
// WITHOUT ROWID where the primary key is the access path; the rollups are small rows updated in
// place by their key.
#include <string_view>
#include <vector>

#include "kinora/audience/schema.h"

namespace kinora::audience {
namespace {

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE view_sessions (
  view_id             TEXT PRIMARY KEY,
  video_id            TEXT NOT NULL,
  started_at          INTEGER NOT NULL,
  last_seen_at        INTEGER NOT NULL,
  finalised_at        INTEGER NOT NULL DEFAULT 0,
  max_seq             INTEGER NOT NULL DEFAULT -1,
  last_t_ms           INTEGER NOT NULL DEFAULT 0,
  duration_ms         INTEGER NOT NULL DEFAULT 0,
  credited_ms         INTEGER NOT NULL DEFAULT 0,
  covered             TEXT NOT NULL DEFAULT '',
  viewed_ppm          INTEGER NOT NULL DEFAULT 0,
  first_frame         INTEGER NOT NULL DEFAULT 0,
  startup_ms          INTEGER NOT NULL DEFAULT -1,
  stalls              INTEGER NOT NULL DEFAULT 0,
  stall_ms            INTEGER NOT NULL DEFAULT 0,
  seeks               INTEGER NOT NULL DEFAULT 0,
  pauses              INTEGER NOT NULL DEFAULT 0,
  rendition_switches  INTEGER NOT NULL DEFAULT 0,
  bytes               INTEGER NOT NULL DEFAULT 0,
  download_ms         INTEGER NOT NULL DEFAULT 0,
  height              INTEGER NOT NULL DEFAULT 0,
  bitrate             INTEGER NOT NULL DEFAULT 0,
  element_height      INTEGER NOT NULL DEFAULT 0,
  nominal_bits        INTEGER NOT NULL DEFAULT 0,
  bitrate_watch_ms    INTEGER NOT NULL DEFAULT 0,
  upscaled_ms         INTEGER NOT NULL DEFAULT 0,
  sized_watch_ms      INTEGER NOT NULL DEFAULT 0,
  errors              INTEGER NOT NULL DEFAULT 0,
  error_code          TEXT NOT NULL DEFAULT '',
  error_message       TEXT NOT NULL DEFAULT '',
  autoplay            INTEGER NOT NULL DEFAULT 0,
  ended               INTEGER NOT NULL DEFAULT 0,
  viewend             INTEGER NOT NULL DEFAULT 0,
  completed           INTEGER NOT NULL DEFAULT 0,
  qualified           INTEGER NOT NULL DEFAULT 0,
  counted             INTEGER NOT NULL DEFAULT 0,
  bot                 INTEGER NOT NULL DEFAULT 0,
  owner               INTEGER NOT NULL DEFAULT 0,
  implausible         INTEGER NOT NULL DEFAULT 0,
  dnt                 INTEGER NOT NULL DEFAULT 0,
  viewer_key          TEXT NOT NULL DEFAULT '',
  surface             TEXT NOT NULL DEFAULT 'watch',
  embed_host          TEXT NOT NULL DEFAULT '',
  referrer_host       TEXT NOT NULL DEFAULT '',
  country             TEXT NOT NULL DEFAULT '',
  device              TEXT NOT NULL DEFAULT '',
  browser             TEXT NOT NULL DEFAULT '',
  os                  TEXT NOT NULL DEFAULT '',
  last_minute         INTEGER NOT NULL DEFAULT 0,
  exited_before_start INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX view_sessions_by_video ON view_sessions (video_id, started_at);
CREATE INDEX view_sessions_open ON view_sessions (finalised_at, last_seen_at);
CREATE INDEX view_sessions_by_start ON view_sessions (started_at);

CREATE TABLE audience_hourly (
  video_id           TEXT NOT NULL,
  hour_start         INTEGER NOT NULL,
  plays              INTEGER NOT NULL DEFAULT 0,
  views              INTEGER NOT NULL DEFAULT 0,
  dnt_views          INTEGER NOT NULL DEFAULT 0,
  watch_ms           INTEGER NOT NULL DEFAULT 0,
  completions        INTEGER NOT NULL DEFAULT 0,
  stalls             INTEGER NOT NULL DEFAULT 0,
  stall_ms           INTEGER NOT NULL DEFAULT 0,
  startup_sum_ms     INTEGER NOT NULL DEFAULT 0,
  startup_count      INTEGER NOT NULL DEFAULT 0,
  first_frames       INTEGER NOT NULL DEFAULT 0,
  exits_before_start INTEGER NOT NULL DEFAULT 0,
  failures           INTEGER NOT NULL DEFAULT 0,
  rendition_switches INTEGER NOT NULL DEFAULT 0,
  nominal_bits       INTEGER NOT NULL DEFAULT 0,
  bitrate_watch_ms   INTEGER NOT NULL DEFAULT 0,
  upscaled_ms        INTEGER NOT NULL DEFAULT 0,
  sized_watch_ms     INTEGER NOT NULL DEFAULT 0,
  viewed_ppm_sum     INTEGER NOT NULL DEFAULT 0,
  bytes              INTEGER NOT NULL DEFAULT 0,
  download_ms        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, hour_start)
) WITHOUT ROWID;
CREATE INDEX audience_hourly_by_hour ON audience_hourly (hour_start);

CREATE TABLE audience_dimension_daily (
  video_id  TEXT NOT NULL,
  day_start INTEGER NOT NULL,
  dimension TEXT NOT NULL,
  value     TEXT NOT NULL,
  plays     INTEGER NOT NULL DEFAULT 0,
  views     INTEGER NOT NULL DEFAULT 0,
  watch_ms  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, day_start, dimension, value)
) WITHOUT ROWID;

CREATE TABLE audience_retention (
  video_id   TEXT NOT NULL,
  day_start  INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  resolution TEXT NOT NULL,
  bucket     INTEGER NOT NULL,
  count      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, day_start, kind, resolution, bucket)
) WITHOUT ROWID;

CREATE TABLE audience_startup_histogram (
  video_id   TEXT NOT NULL,
  hour_start INTEGER NOT NULL,
  le_ms      INTEGER NOT NULL,
  count      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, hour_start, le_ms)
) WITHOUT ROWID;

CREATE TABLE audience_daily_viewers (
  video_id   TEXT NOT NULL,
  day_start  INTEGER NOT NULL,
  viewer_key TEXT NOT NULL,
  PRIMARY KEY (video_id, day_start, viewer_key)
) WITHOUT ROWID;

CREATE TABLE audience_concurrency (
  video_id     TEXT NOT NULL,
  minute_start INTEGER NOT NULL,
  viewers      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, minute_start)
) WITHOUT ROWID;
CREATE INDEX audience_concurrency_by_minute ON audience_concurrency (minute_start);

CREATE TABLE audience_salts (
  day_start  INTEGER PRIMARY KEY,
  salt       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE audience_dedupe (
  dedupe_key TEXT PRIMARY KEY,
  hour_start INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX audience_dedupe_by_hour ON audience_dedupe (hour_start);
)sql";

// Distinct viewers per video per day as a counter, kept beside the key set, so a report sums a
// row per day instead of counting every key of the range; the hourly counters, the startup
// histogram and the concurrency of the whole site, so a site-wide report reads one row per hour
// (minute) rather than every video's.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE audience_daily_unique (
  video_id   TEXT NOT NULL,
  day_start  INTEGER NOT NULL,
  viewers    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (video_id, day_start)
) WITHOUT ROWID;
CREATE INDEX audience_daily_unique_by_day ON audience_daily_unique (day_start);
CREATE TABLE audience_site_hourly (
  hour_start         INTEGER NOT NULL PRIMARY KEY,
  plays              INTEGER NOT NULL DEFAULT 0,
  views              INTEGER NOT NULL DEFAULT 0,
  dnt_views          INTEGER NOT NULL DEFAULT 0,
  watch_ms           INTEGER NOT NULL DEFAULT 0,
  completions        INTEGER NOT NULL DEFAULT 0,
  stalls             INTEGER NOT NULL DEFAULT 0,
  stall_ms           INTEGER NOT NULL DEFAULT 0,
  startup_sum_ms     INTEGER NOT NULL DEFAULT 0,
  startup_count      INTEGER NOT NULL DEFAULT 0,
  first_frames       INTEGER NOT NULL DEFAULT 0,
  exits_before_start INTEGER NOT NULL DEFAULT 0,
  failures           INTEGER NOT NULL DEFAULT 0,
  rendition_switches INTEGER NOT NULL DEFAULT 0,
  nominal_bits       INTEGER NOT NULL DEFAULT 0,
  bitrate_watch_ms   INTEGER NOT NULL DEFAULT 0,
  upscaled_ms        INTEGER NOT NULL DEFAULT 0,
  sized_watch_ms     INTEGER NOT NULL DEFAULT 0,
  viewed_ppm_sum     INTEGER NOT NULL DEFAULT 0,
  bytes              INTEGER NOT NULL DEFAULT 0,
  download_ms        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO audience_site_hourly (hour_start, plays, views, dnt_views, watch_ms, completions, stalls, stall_ms, startup_sum_ms, startup_count, first_frames, exits_before_start, failures, rendition_switches, nominal_bits, bitrate_watch_ms, upscaled_ms, sized_watch_ms, viewed_ppm_sum, bytes, download_ms)
  SELECT hour_start, SUM(plays), SUM(views), SUM(dnt_views), SUM(watch_ms), SUM(completions), SUM(stalls), SUM(stall_ms), SUM(startup_sum_ms), SUM(startup_count), SUM(first_frames), SUM(exits_before_start), SUM(failures), SUM(rendition_switches), SUM(nominal_bits), SUM(bitrate_watch_ms), SUM(upscaled_ms), SUM(sized_watch_ms), SUM(viewed_ppm_sum), SUM(bytes), SUM(download_ms)
  FROM audience_hourly GROUP BY hour_start;
CREATE TABLE audience_site_startup (
  hour_start INTEGER NOT NULL,
  le_ms      INTEGER NOT NULL,
  count      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour_start, le_ms)
) WITHOUT ROWID;
INSERT INTO audience_site_startup (hour_start, le_ms, count)
  SELECT hour_start, le_ms, SUM(count) FROM audience_startup_histogram GROUP BY hour_start, le_ms;
CREATE TABLE audience_site_concurrency (
  minute_start INTEGER NOT NULL PRIMARY KEY,
  viewers      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO audience_site_concurrency (minute_start, viewers)
  SELECT minute_start, SUM(viewers) FROM audience_concurrency GROUP BY minute_start;
INSERT INTO audience_daily_unique (video_id, day_start, viewers)
  SELECT video_id, day_start, COUNT(*) FROM audience_daily_viewers GROUP BY video_id, day_start;
)sql";

}  // namespace

const std::vector<std::string_view>& SqliteMigrations() {
  static const std::vector<std::string_view> kMigrations = {kSchemaV1, kSchemaV2};
  return kMigrations;
}

}  // namespace kinora::audience
