// Stats on PostgreSQL: the same answers as SQLite's, from the trigger-kept aggregate tables in
// one snapshot; only the percentiles and the top videos touch indexes.
#include <string>

#include "../columns.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {

namespace {

constexpr int kStatsDays = 30;

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

Result<CatalogStats> PostgresCatalog::Stats() {
  const auto now = std::chrono::system_clock::now();
  const std::string first_day = FormatDay(now - std::chrono::hours(24 * (kStatsDays - 1)));
  const std::string last_day = FormatDay(now);

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

}  // namespace kinora::catalog
