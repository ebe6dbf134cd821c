#include "rollups.h"

#include <algorithm>

#include "kinora/audience/schema.h"

namespace kinora::audience::internal {
namespace {

enum HourlyIndex {
  kPlays,
  kViews,
  kDntViews,
  kWatchMs,
  kCompletions,
  kStalls,
  kStallMs,
  kStartupSumMs,
  kStartupCount,
  kFirstFrames,
  kExitsBeforeStart,
  kFailures,
  kRenditionSwitches,
  kNominalBits,
  kBitrateWatchMs,
  kUpscaledMs,
  kSizedWatchMs,
  kViewedPpmSum,
  kBytes,
  kDownloadMs,
};

// The upsert adding a row of counters to `table`, keyed by `keys` ("video_id, hour_start" or
// "hour_start"), whose values come first.
std::string HourlyUpsertSql(std::string_view table, std::string_view keys) {
  const size_t key_count = static_cast<size_t>(std::count(keys.begin(), keys.end(), ',')) + 1;
  std::string cols(keys), vals, set;
  for (size_t i = 0; i < key_count; ++i) vals += (i ? ", $" : "$") + std::to_string(i + 1);
  for (size_t i = 0; i < kHourlyCounters.size(); ++i) {
    const std::string c(kHourlyCounters[i]);
    cols += ", " + c;
    vals += ", $" + std::to_string(i + key_count + 1);
    if (!set.empty()) set += ", ";
    set += c + " = " + std::string(table) + "." + c + " + excluded." + c;
  }
  return "INSERT INTO " + std::string(table) + " (" + cols + ") VALUES (" + vals +
         ") ON CONFLICT (" + std::string(keys) + ") DO UPDATE SET " + set;
}

int64_t StartupBucket(int64_t ms) {
  for (int64_t le : kStartupBucketsMs)
    if (ms <= le) return le;
  return kStartupOverflowMs;
}

}  // namespace

void Rollups::Dims(const ViewSession& s, int64_t plays, int64_t views, int64_t watch_ms) {
  if (plays == 0 && views == 0 && watch_ms == 0) return;
  const int64_t day = RollupDay(s.started_at);
  const std::array<std::pair<std::string_view, std::string_view>, kDimensions.size()> values = {{
      {"country", s.country},
      {"device", s.device},
      {"browser", s.browser},
      {"os", s.os},
      {"referrer", s.referrer_host},
      {"surface", ToString(s.surface)},
      {"embed_host", s.embed_host},
  }};
  for (const auto& [dim, value] : values) {
    auto& row = dims_[{s.video_id, day, std::string(dim), std::string(value)}];
    row[0] += plays;
    row[1] += views;
    row[2] += watch_ms;
  }
}

void Rollups::Add(const ViewSession& s, const Contribution& a) {
  if (s.excluded()) return;
  HourlyRow& h = hourly_[{s.video_id, RollupHour(s.started_at)}];
  h[kPlays] += a.plays;
  h[kWatchMs] += a.watch_ms;
  h[kCompletions] += a.completions;
  h[kStalls] += a.stalls;
  h[kStallMs] += a.stall_ms;
  if (a.startup_ms >= 0) {
    h[kStartupSumMs] += a.startup_ms;
    h[kStartupCount] += 1;
    startup_[{s.video_id, RollupHour(s.started_at), StartupBucket(a.startup_ms)}] += 1;
  }
  h[kFirstFrames] += a.first_frames;
  h[kExitsBeforeStart] += a.exits_before_start;
  h[kFailures] += a.failures;
  h[kRenditionSwitches] += a.rendition_switches;
  h[kNominalBits] += a.nominal_bits;
  h[kBitrateWatchMs] += a.bitrate_watch_ms;
  h[kUpscaledMs] += a.upscaled_ms;
  h[kSizedWatchMs] += a.sized_watch_ms;
  h[kViewedPpmSum] += a.viewed_ppm;
  h[kBytes] += a.bytes;
  h[kDownloadMs] += a.download_ms;
  Dims(s, a.plays, 0, a.watch_ms);
  const int64_t day = RollupDay(s.started_at);
  for (const RetentionHit& hit : a.retention) {
    retention_[{s.video_id, day, std::string(hit.rewatch ? kRetentionRewatch : kRetentionFirst),
                std::string(hit.per_second ? kResolutionSecond : kResolutionPercent),
                hit.bucket}] += 1;
  }
  if (a.concurrency_minute > 0) concurrency_[{s.video_id, a.concurrency_minute}] += 1;
}

void Rollups::AddView(const ViewSession& s) {
  if (s.excluded()) return;
  HourlyRow& h = hourly_[{s.video_id, RollupHour(s.started_at)}];
  h[kViews] += 1;
  if (s.viewer_key.empty()) h[kDntViews] += 1;
  Dims(s, 0, 1, 0);
}

void Rollups::AddViewer(const ViewSession& s) {
  if (s.excluded() || s.viewer_key.empty()) return;
  viewers_.insert({s.video_id, RollupDay(s.started_at), s.viewer_key});
}

bool Rollups::empty() const {
  return hourly_.empty() && dims_.empty() && retention_.empty() && startup_.empty() &&
         viewers_.empty() && concurrency_.empty();
}

Result<void> Rollups::Write(SqlTx& tx) const {
  static const std::string kHourly = HourlyUpsertSql("audience_hourly", "video_id, hour_start");
  static const std::string kSiteHourly = HourlyUpsertSql("audience_site_hourly", "hour_start");
  std::map<int64_t, HourlyRow> site;
  for (const auto& [key, row] : hourly_) {
    if (std::all_of(row.begin(), row.end(), [](int64_t v) { return v == 0; })) continue;
    SqlParams p{std::get<0>(key), std::get<1>(key)};
    for (int64_t v : row) p.emplace_back(v);
    KINORA_TRY_VOID(tx.Exec(kHourly, p));
    auto [it, fresh] = site.try_emplace(std::get<1>(key), HourlyRow{});
    for (size_t i = 0; i < row.size(); ++i) it->second[i] += row[i];
  }
  for (const auto& [hour, row] : site) {
    SqlParams p{hour};
    for (int64_t v : row) p.emplace_back(v);
    KINORA_TRY_VOID(tx.Exec(kSiteHourly, p));
  }
  for (const auto& [key, row] : dims_) {
    KINORA_TRY_VOID(tx.Exec(
        "INSERT INTO audience_dimension_daily (video_id, day_start, dimension, value, plays, "
        "views, watch_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (video_id, day_start, "
        "dimension, value) DO UPDATE SET plays = audience_dimension_daily.plays + excluded.plays, "
        "views = audience_dimension_daily.views + excluded.views, "
        "watch_ms = audience_dimension_daily.watch_ms + excluded.watch_ms",
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), row[0], row[1],
         row[2]}));
  }
  for (const auto& [key, n] : retention_) {
    KINORA_TRY_VOID(tx.Exec(
        "INSERT INTO audience_retention (video_id, day_start, kind, resolution, bucket, count) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (video_id, day_start, kind, resolution, "
        "bucket) DO UPDATE SET count = audience_retention.count + excluded.count",
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), std::get<4>(key),
         n}));
  }
  std::map<std::pair<int64_t, int64_t>, int64_t> site_startup;
  for (const auto& [key, n] : startup_) {
    KINORA_TRY_VOID(tx.Exec(
        "INSERT INTO audience_startup_histogram (video_id, hour_start, le_ms, count) VALUES ($1, "
        "$2, $3, $4) ON CONFLICT (video_id, hour_start, le_ms) DO UPDATE SET count = "
        "audience_startup_histogram.count + excluded.count",
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), n}));
    site_startup[{std::get<1>(key), std::get<2>(key)}] += n;
  }
  for (const auto& [key, n] : site_startup) {
    KINORA_TRY_VOID(
        tx.Exec("INSERT INTO audience_site_startup (hour_start, le_ms, count) VALUES ($1, $2, $3) "
                "ON CONFLICT (hour_start, le_ms) DO UPDATE SET count = "
                "audience_site_startup.count + excluded.count",
                {key.first, key.second, n}));
  }
  std::map<Key2, int64_t> fresh_viewers;
  for (const auto& key : viewers_) {
    KINORA_TRY(
        int64_t added,
        tx.Exec("INSERT INTO audience_daily_viewers (video_id, day_start, viewer_key) "
                "VALUES ($1, $2, $3) ON CONFLICT (video_id, day_start, viewer_key) DO NOTHING",
                {std::get<0>(key), std::get<1>(key), std::get<2>(key)}));
    if (added > 0) fresh_viewers[{std::get<0>(key), std::get<1>(key)}] += added;
  }
  for (const auto& [key, n] : fresh_viewers) {
    KINORA_TRY_VOID(tx.Exec(
        "INSERT INTO audience_daily_unique (video_id, day_start, viewers) VALUES ($1, $2, $3) "
        "ON CONFLICT (video_id, day_start) DO UPDATE SET viewers = "
        "audience_daily_unique.viewers + excluded.viewers",
        {std::get<0>(key), std::get<1>(key), n}));
  }
  std::map<int64_t, int64_t> site_concurrency;
  for (const auto& [key, n] : concurrency_) {
    KINORA_TRY_VOID(tx.Exec(
        "INSERT INTO audience_concurrency (video_id, minute_start, viewers) VALUES ($1, $2, $3) "
        "ON CONFLICT (video_id, minute_start) DO UPDATE SET viewers = "
        "audience_concurrency.viewers + excluded.viewers",
        {std::get<0>(key), std::get<1>(key), n}));
    site_concurrency[std::get<1>(key)] += n;
  }
  for (const auto& [minute, n] : site_concurrency) {
    KINORA_TRY_VOID(
        tx.Exec("INSERT INTO audience_site_concurrency (minute_start, viewers) VALUES ($1, $2) "
                "ON CONFLICT (minute_start) DO UPDATE SET viewers = "
                "audience_site_concurrency.viewers + excluded.viewers",
                {minute, n}));
  }
  return {};
}

}  // namespace kinora::audience::internal
