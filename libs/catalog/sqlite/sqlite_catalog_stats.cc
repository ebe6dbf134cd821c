// Stats: library totals and breakdowns, read from one snapshot. The sums and per-day series come
// from the trigger-maintained aggregate tables (see sqlite_schema.cc); only the percentiles and
// the top videos touch indexes.
#include <chrono>
#include <string>

#include "../columns.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

namespace {

constexpr int kStatsDays = 30;

// Nearest-rank percentile over the PROCESSED videos' processing times, read off the
// (status, processing_seconds) index with OFFSET, from whichever end is nearer.
Result<std::optional<double>> Percentile(Conn& conn, int64_t n, int percent) {
  if (n == 0) return std::optional<double>();
  const int64_t rank = (n * percent + 99) / 100;  // ceil(n * percent / 100), 1-based
  const bool from_top = rank > n / 2;
  KINORA_TRY(auto s, conn.Use(from_top ? "SELECT processing_seconds FROM videos WHERE status = "
                                         "'PROCESSED' AND processing_seconds IS NOT NULL ORDER "
                                         "BY processing_seconds DESC LIMIT 1 OFFSET ?1"
                                       : "SELECT processing_seconds FROM videos WHERE status = "
                                         "'PROCESSED' AND processing_seconds IS NOT NULL ORDER "
                                         "BY processing_seconds ASC LIMIT 1 OFFSET ?1"));
  s->Bind(1, from_top ? n - rank : rank - 1);
  KINORA_TRY(bool row, s->Step());
  if (!row) return std::optional<double>();
  return std::optional<double>(s->Double(0));
}

template <class F>
Result<void> ForEachRow(Conn& conn, std::string_view sql, F&& row_fn) {
  KINORA_TRY(auto s, conn.Use(sql));
  for (;;) {
    KINORA_TRY(bool row, s->Step());
    if (!row) return {};
    row_fn(*s);
  }
}

}  // namespace

Result<CatalogStats> SqliteCatalog::Stats() {
  const auto now = std::chrono::system_clock::now();
  const std::string first_day = FormatDay(now - std::chrono::hours(24 * (kStatsDays - 1)));
  const std::string last_day = FormatDay(now);

  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto txn, ReadTxn::Begin(*conn));
  CatalogStats st;
  for (auto s : {VideoStatus::kUploaded, VideoStatus::kProcessing, VideoStatus::kProcessed,
                 VideoStatus::kFailed}) {
    st.by_status[std::string(ToString(s))] = 0;
  }
  KINORA_TRY_VOID(ForEachRow(*conn, "SELECT status, n FROM status_counts", [&](sqlite::Stmt& s) {
    st.by_status[s.Text(0)] = s.Int(1);
    st.total_videos += s.Int(1);
  }));
  KINORA_TRY_VOID(ForEachRow(*conn, "SELECT file_extension, n FROM format_counts WHERE n > 0",
                             [&](sqlite::Stmt& s) { st.by_format[s.Text(0)] = s.Int(1); }));
  KINORA_TRY_VOID(
      ForEachRow(*conn, "SELECT views, likes, storage_bytes, duration_seconds FROM catalog_totals",
                 [&](sqlite::Stmt& s) {
                   st.total_views = s.Int(0);
                   st.total_likes = s.Int(1);
                   st.storage_bytes = s.Int(2);
                   st.total_duration_seconds = s.Double(3);
                 }));

  int64_t processed = 0;
  KINORA_TRY_VOID(ForEachRow(*conn,
                             "SELECT COUNT(*) FROM videos WHERE status = 'PROCESSED' AND "
                             "processing_seconds IS NOT NULL",
                             [&](sqlite::Stmt& s) { processed = s.Int(0); }));
  KINORA_TRY(st.processing_p50, Percentile(*conn, processed, 50));
  KINORA_TRY(st.processing_p90, Percentile(*conn, processed, 90));
  KINORA_TRY(st.processing_p99, Percentile(*conn, processed, 99));

  {
    KINORA_TRY(auto s, conn->Use("SELECT day, uploads, views, likes FROM daily_totals "
                                 "WHERE day >= ?1 AND day <= ?2 ORDER BY day"));
    s->Bind(1, first_day).Bind(2, last_day);
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) break;
      std::string day = s->Text(0);
      if (s->Int(1) > 0) st.uploads_per_day.push_back({day, s->Int(1)});
      if (s->Int(2) > 0) st.views_per_day.push_back({day, s->Int(2)});
      if (s->Int(3) > 0) st.likes_per_day.push_back({day, s->Int(3)});
    }
  }
  {
    std::vector<int64_t> counts(std::size(kDurationBucketBounds) + 1, 0);
    KINORA_TRY_VOID(ForEachRow(*conn, "SELECT bucket, n FROM duration_buckets WHERE bucket > 0",
                               [&](sqlite::Stmt& s) {
                                 const auto b = static_cast<size_t>(s.Int(0)) - 1;
                                 if (b < counts.size()) counts[b] = s.Int(1);
                               }));
    st.duration_histogram = MakeDurationHistogram(counts);
  }
  static const std::string kTopSql = "SELECT " + internal::SelectList() +
                                     " FROM videos ORDER BY views DESC, uploaded_at DESC, "
                                     "video_id DESC LIMIT 10";
  KINORA_TRY_VOID(ForEachRow(
      *conn, kTopSql, [&](sqlite::Stmt& s) { st.top_videos.push_back(internal::ReadVideo(s)); }));
  return st;
}

}  // namespace kinora::catalog
