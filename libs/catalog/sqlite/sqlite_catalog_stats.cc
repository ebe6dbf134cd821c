// Stats: library totals and breakdowns, read from one snapshot. The site's sums and per-day
// series come from the trigger-maintained aggregate tables (see sqlite_schema.cc); only the
// percentiles and the top videos touch indexes. A public or owner scope is computed from its
// rows (StatsBuilder, backend_common.h).
#include <chrono>
#include <string>

#include "../backend_common.h"
#include "../columns.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

namespace {

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

Result<CatalogStats> SqliteCatalog::Stats(const StatsScope& scope) {
  KINORA_TRY_VOID(internal::CheckStatsScope(scope));
  if (scope.kind != StatsScope::kAll) return ScopedStats(scope);
  const auto [first_day, last_day] = internal::StatsDays(std::chrono::system_clock::now());

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

// Parameters: ?1 owner_id (kOwner), ?2/?3 the first and last day of the series.
Result<CatalogStats> SqliteCatalog::ScopedStats(const StatsScope& scope) {
  const std::string where = " WHERE " + internal::ScopeCondition(scope, "?1");
  internal::StatsBuilder b(std::chrono::system_clock::now());
  auto bind = [&](sqlite::Stmt& s) {
    if (scope.kind == StatsScope::kOwner) s.Bind(1, scope.owner_id);
  };

  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto txn, ReadTxn::Begin(*conn));
  {
    KINORA_TRY(auto s, conn->Use("SELECT status, file_extension, views, likes, size, "
                                 "processed_bytes, duration_seconds, processing_seconds, "
                                 "uploaded_at FROM videos" +
                                 where));
    bind(*s);
    internal::StatsRow r;
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) break;
      r.status = s->Text(0);
      r.file_extension = s->Text(1);
      r.views = s->Int(2);
      r.likes = s->Int(3);
      r.size = s->Int(4);
      r.processed_bytes = s->Int(5);
      r.duration_seconds = s->IsNull(6) ? std::nullopt : std::optional<double>(s->Double(6));
      r.processing_seconds = s->IsNull(7) ? std::nullopt : std::optional<double>(s->Double(7));
      r.uploaded_at = SysTime{std::chrono::milliseconds(s->Int(8))};
      b.AddVideo(r);
    }
  }
  {
    KINORA_TRY(auto s,
               conn->Use("SELECT d.day, SUM(d.views), SUM(d.likes) FROM daily_counts d "
                         "JOIN videos ON videos.video_id = d.video_id" +
                         where + " AND d.day >= ?2 AND d.day <= ?3 GROUP BY d.day ORDER BY d.day"));
    bind(*s);
    s->Bind(2, b.days().first).Bind(3, b.days().last);
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) break;
      b.AddDay(s->Text(0), s->Int(1), s->Int(2));
    }
  }
  {
    KINORA_TRY(auto s, conn->Use("SELECT " + internal::SelectList() + " FROM videos" + where +
                                 " ORDER BY views DESC, uploaded_at DESC, video_id DESC LIMIT 10"));
    bind(*s);
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) break;
      b.AddTop(internal::ReadVideo(*s));
    }
  }
  return std::move(b).Finish();
}

}  // namespace kinora::catalog
