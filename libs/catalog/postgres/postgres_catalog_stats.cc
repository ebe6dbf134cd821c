// Stats on PostgreSQL: the same answers as SQLite's, from the trigger-kept aggregate tables in
// one snapshot; only the percentiles and the top videos touch indexes. A public or owner scope
// is computed from its rows (StatsBuilder, backend_common.h).
#include <string>

#include "../backend_common.h"
#include "../columns.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {

namespace {

// Nearest-rank percentile, read off the (status, processing_seconds) index from whichever end
// is nearer.
Result<std::optional<double>> Percentile(pg::PgConn& conn, int64_t n, int percent) {
  if (n == 0) return std::optional<double>();
  const int64_t rank = (n * percent + 99) / 100;
  const bool from_top = rank > n / 2;
  KINORA_TRY(pg::PgResult r,
             conn.Exec(from_top ? "SELECT processing_seconds FROM videos WHERE status = "
                                  "'PROCESSED' AND processing_seconds IS NOT NULL ORDER BY "
                                  "processing_seconds DESC LIMIT 1 OFFSET $1"
                                : "SELECT processing_seconds FROM videos WHERE status = "
                                  "'PROCESSED' AND processing_seconds IS NOT NULL ORDER BY "
                                  "processing_seconds ASC LIMIT 1 OFFSET $1",
                       {std::to_string(from_top ? n - rank : rank - 1)}));
  if (r.rows() == 0) return std::optional<double>();
  return std::optional<double>(r.Double(0, 0));
}

}  // namespace

Result<CatalogStats> PostgresCatalog::Stats(const StatsScope& scope) {
  KINORA_TRY_VOID(internal::CheckStatsScope(scope));
  if (scope.kind != StatsScope::kAll) return ScopedStats(scope);
  const auto [first_day, last_day] = internal::StatsDays(std::chrono::system_clock::now());

  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(auto tx, pg::Tx::Begin(*conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  CatalogStats st;
  for (auto s : {VideoStatus::kUploaded, VideoStatus::kProcessing, VideoStatus::kProcessed,
                 VideoStatus::kFailed}) {
    st.by_status[std::string(ToString(s))] = 0;
  }
  KINORA_TRY(pg::PgResult status, conn->Exec("SELECT status, n FROM status_counts"));
  for (int i = 0; i < status.rows(); ++i) {
    st.by_status[std::string(status.Text(i, 0))] = status.Int(i, 1);
    st.total_videos += status.Int(i, 1);
  }
  KINORA_TRY(pg::PgResult formats,
             conn->Exec("SELECT file_extension, n FROM format_counts WHERE n > 0"));
  for (int i = 0; i < formats.rows(); ++i) {
    st.by_format[std::string(formats.Text(i, 0))] = formats.Int(i, 1);
  }
  KINORA_TRY(pg::PgResult totals, conn->Exec("SELECT views, likes, storage_bytes, "
                                             "duration_seconds FROM catalog_totals"));
  if (totals.rows() == 1) {
    st.total_views = totals.Int(0, 0);
    st.total_likes = totals.Int(0, 1);
    st.storage_bytes = totals.Int(0, 2);
    st.total_duration_seconds = totals.Double(0, 3);
  }
  KINORA_TRY(pg::PgResult processed,
             conn->Exec("SELECT COUNT(*) FROM videos WHERE status = 'PROCESSED' AND "
                        "processing_seconds IS NOT NULL"));
  const int64_t n = processed.Int(0, 0);
  KINORA_TRY(st.processing_p50, Percentile(*conn, n, 50));
  KINORA_TRY(st.processing_p90, Percentile(*conn, n, 90));
  KINORA_TRY(st.processing_p99, Percentile(*conn, n, 99));

  KINORA_TRY(pg::PgResult daily, conn->Exec("SELECT day, uploads, views, likes FROM daily_totals "
                                            "WHERE day >= $1 AND day <= $2 ORDER BY day",
                                            {first_day, last_day}));
  for (int i = 0; i < daily.rows(); ++i) {
    const std::string day(daily.Text(i, 0));
    if (daily.Int(i, 1) > 0) st.uploads_per_day.push_back({day, daily.Int(i, 1)});
    if (daily.Int(i, 2) > 0) st.views_per_day.push_back({day, daily.Int(i, 2)});
    if (daily.Int(i, 3) > 0) st.likes_per_day.push_back({day, daily.Int(i, 3)});
  }
  std::vector<int64_t> buckets(std::size(kDurationBucketBounds) + 1, 0);
  KINORA_TRY(pg::PgResult hist,
             conn->Exec("SELECT bucket, n FROM duration_buckets WHERE bucket > 0"));
  for (int i = 0; i < hist.rows(); ++i) {
    const auto b = static_cast<size_t>(hist.Int(i, 0)) - 1;
    if (b < buckets.size()) buckets[b] = hist.Int(i, 1);
  }
  st.duration_histogram = MakeDurationHistogram(buckets);

  static const std::string kTopSql = "SELECT " + internal::SelectList() +
                                     " FROM videos ORDER BY views DESC, uploaded_at DESC, "
                                     "video_id DESC LIMIT 10";
  KINORA_TRY(pg::PgResult top, conn->Exec(kTopSql));
  for (int i = 0; i < top.rows(); ++i) st.top_videos.push_back(pgschema::ReadVideo(top, i));
  KINORA_TRY_VOID(tx.Commit());
  return st;
}

// Parameters: $1 owner_id (kOwner only), then the first and last day of the series.
Result<CatalogStats> PostgresCatalog::ScopedStats(const StatsScope& scope) {
  const bool by_owner = scope.kind == StatsScope::kOwner;
  const std::string where = " WHERE " + internal::ScopeCondition(scope, "$1");
  std::vector<pg::Param> params;
  if (by_owner) params.emplace_back(scope.owner_id);
  internal::StatsBuilder b(std::chrono::system_clock::now());
  std::vector<pg::Param> day_params = params;
  day_params.emplace_back(b.days().first);
  day_params.emplace_back(b.days().last);
  const std::string first = by_owner ? "$2" : "$1", last = by_owner ? "$3" : "$2";

  KINORA_TRY(auto conn, pool_.Acquire());
  KINORA_TRY(auto tx, pg::Tx::Begin(*conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  KINORA_TRY(pg::PgResult rows,
             conn->Exec("SELECT status, file_extension, views, likes, size, processed_bytes, "
                        "duration_seconds, processing_seconds, uploaded_at FROM videos" +
                            where,
                        params));
  internal::StatsRow r;
  for (int i = 0; i < rows.rows(); ++i) {
    r.status = rows.Text(i, 0);
    r.file_extension = rows.Text(i, 1);
    r.views = rows.Int(i, 2);
    r.likes = rows.Int(i, 3);
    r.size = rows.Int(i, 4);
    r.processed_bytes = rows.Int(i, 5);
    r.duration_seconds =
        rows.IsNull(i, 6) ? std::nullopt : std::optional<double>(rows.Double(i, 6));
    r.processing_seconds =
        rows.IsNull(i, 7) ? std::nullopt : std::optional<double>(rows.Double(i, 7));
    r.uploaded_at = SysTime{std::chrono::milliseconds(rows.Int(i, 8))};
    b.AddVideo(r);
  }
  KINORA_TRY(pg::PgResult daily,
             conn->Exec("SELECT d.day, SUM(d.views)::bigint, SUM(d.likes)::bigint FROM "
                        "daily_counts d JOIN videos ON videos.video_id = d.video_id" +
                            where + " AND d.day >= " + first + " AND d.day <= " + last +
                            " GROUP BY d.day ORDER BY d.day",
                        day_params));
  for (int i = 0; i < daily.rows(); ++i) {
    b.AddDay(std::string(daily.Text(i, 0)), daily.Int(i, 1), daily.Int(i, 2));
  }
  KINORA_TRY(pg::PgResult top,
             conn->Exec("SELECT " + internal::SelectList() + " FROM videos" + where +
                            " ORDER BY views DESC, uploaded_at DESC, video_id DESC LIMIT 10",
                        params));
  for (int i = 0; i < top.rows(); ++i) b.AddTop(pgschema::ReadVideo(top, i));
  KINORA_TRY_VOID(tx.Commit());
  return std::move(b).Finish();
}

}  // namespace kinora::catalog
