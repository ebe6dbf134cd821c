// The report queries, written once for both backends over internal::SqlSource. Every filter
// starts with the table's leading key column (video_id, or hour/day/minute start for site-wide
// figures), so each query is an index range scan.
#include "kinora/audience/reports/report_store.h"

#include <boost/url.hpp>

#include "kinora/audience/schema.h"
#include "sql_source.h"

namespace kinora::audience::reports {
namespace {

using internal::Arg;
using internal::Int;
using internal::Row;
using internal::SqlSource;

// A query under construction: text and numbered arguments, appended strictly in order (the
// operands of a << chain are sequenced left to right, unlike those of +).
class Q {
 public:
  struct Val {
    Arg a;
  };
  Q& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  Q& operator<<(Val v) {
    args_.push_back(std::move(v.a));
    sql_ += "$" + std::to_string(args_.size());
    return *this;
  }
  const std::string& sql() const { return sql_; }
  const std::vector<Arg>& args() const { return args_; }

 private:
  std::string sql_;
  std::vector<Arg> args_;
};

Q::Val V(int64_t n) { return {n}; }
Q::Val V(std::string_view t) { return {std::string(t)}; }

// The rows of `scope` in a table keyed by video_id; site-wide, filtered by the time column alone
// (a site rollup keyed by it, or a table with an index on it).
void Where(Q& q, const Scope& s) {
  switch (s.kind) {
    case Scope::Kind::kVideo:
      q << "video_id = " << V(s.id);
      return;
    case Scope::Kind::kOwner:
      q << "video_id IN (SELECT video_id FROM videos WHERE owner_id = " << V(s.id) << ")";
      return;
    case Scope::Kind::kAll:
      q << "1 = 1";
      return;
  }
}

// The hourly counters of `scope`: the site's own rollup when it is the whole site.
std::string_view HourlyTable(const Scope& s) {
  return s.kind == Scope::Kind::kAll ? kSiteHourlyTable : kHourlyTable;
}
std::string_view StartupTable(const Scope& s) {
  return s.kind == Scope::Kind::kAll ? kSiteStartupTable : kStartupHistogramTable;
}

constexpr std::string_view kSumColumns =
    "COALESCE(SUM(plays), 0), COALESCE(SUM(views), 0), COALESCE(SUM(dnt_views), 0), "
    "COALESCE(SUM(watch_ms), 0), COALESCE(SUM(completions), 0), COALESCE(SUM(stalls), 0), "
    "COALESCE(SUM(stall_ms), 0), COALESCE(SUM(startup_sum_ms), 0), "
    "COALESCE(SUM(startup_count), 0), COALESCE(SUM(first_frames), 0), "
    "COALESCE(SUM(exits_before_start), 0), COALESCE(SUM(failures), 0), "
    "COALESCE(SUM(rendition_switches), 0), COALESCE(SUM(nominal_bits), 0), "
    "COALESCE(SUM(bitrate_watch_ms), 0), COALESCE(SUM(upscaled_ms), 0), "
    "COALESCE(SUM(sized_watch_ms), 0), COALESCE(SUM(viewed_ppm_sum), 0), "
    "COALESCE(SUM(bytes), 0), COALESCE(SUM(download_ms), 0)";
constexpr int kSumCount = 20;

HourlySums ReadSums(const Row& r, size_t at) {
  HourlySums s;
  int64_t* fields[] = {&s.plays,
                       &s.views,
                       &s.dnt_views,
                       &s.watch_ms,
                       &s.completions,
                       &s.stalls,
                       &s.stall_ms,
                       &s.startup_sum_ms,
                       &s.startup_count,
                       &s.first_frames,
                       &s.exits_before_start,
                       &s.failures,
                       &s.rendition_switches,
                       &s.nominal_bits,
                       &s.bitrate_watch_ms,
                       &s.upscaled_ms,
                       &s.sized_watch_ms,
                       &s.viewed_ppm_sum,
                       &s.bytes,
                       &s.download_ms};
  static_assert(sizeof(fields) / sizeof(fields[0]) == kSumCount);
  for (size_t i = 0; i < kSumCount; ++i) *fields[i] = Int(r, at + i);
  return s;
}

// The bucket expression of a Unix-seconds column for `interval` (integer division on both).
std::string BucketOf(std::string_view column, std::optional<Interval> interval) {
  if (!interval) return "0";
  const std::string len = std::to_string(BucketLength(*interval).count());
  return "(" + std::string(column) + " - " + std::string(column) + " % " + len + ")";
}

size_t StartupIndex(int64_t le_ms) {
  for (size_t i = 0; i < kStartupBucketsMs.size(); ++i) {
    if (kStartupBucketsMs[i] == le_ms) return i;
  }
  return kStartupBucketsMs.size();
}

constexpr std::string_view kSessionColumns =
    "view_id, video_id, started_at, last_seen_at, finalised_at, duration_ms, credited_ms, "
    "viewed_ppm, first_frame, startup_ms, stalls, stall_ms, seeks, pauses, rendition_switches, "
    "bytes, height, bitrate, element_height, errors, ended, completed, qualified, counted, bot, "
    "owner, implausible, dnt, exited_before_start, error_code, surface, embed_host, "
    "referrer_host, country, device, browser, os";
constexpr int kSessionColumnCount = 37;

SessionRow ReadSession(const Row& r) {
  SessionRow s;
  s.view_id = r[0];
  s.video_id = r[1];
  int64_t* ints[] = {&s.started_at,
                     &s.last_seen_at,
                     &s.finalised_at,
                     &s.duration_ms,
                     &s.credited_ms,
                     &s.viewed_ppm,
                     &s.first_frame,
                     &s.startup_ms,
                     &s.stalls,
                     &s.stall_ms,
                     &s.seeks,
                     &s.pauses,
                     &s.rendition_switches,
                     &s.bytes,
                     &s.height,
                     &s.bitrate,
                     &s.element_height,
                     &s.errors,
                     &s.ended,
                     &s.completed,
                     &s.qualified,
                     &s.counted,
                     &s.bot,
                     &s.owner,
                     &s.implausible,
                     &s.dnt,
                     &s.exited_before_start};
  constexpr size_t kInts = sizeof(ints) / sizeof(ints[0]);
  for (size_t i = 0; i < kInts; ++i) *ints[i] = Int(r, 2 + i);
  std::string* texts[] = {&s.error_code, &s.surface, &s.embed_host, &s.referrer_host,
                          &s.country,    &s.device,  &s.browser,    &s.os};
  for (size_t i = 0; i < 8; ++i) *texts[i] = r[2 + kInts + i];
  return s;
}

class SqlReportStore final : public ReportStore {
 public:
  explicit SqlReportStore(std::unique_ptr<SqlSource> db) : db_(std::move(db)) {}

  Result<HourlySums> Sums(const Scope& s, const TimeRange& r) override {
    Q q;
    q << "SELECT " << kSumColumns << " FROM " << HourlyTable(s) << " WHERE ";
    Where(q, s);
    HourRange(q, r);
    KINORA_TRY(auto rows, Run(q, kSumCount));
    return rows.empty() ? HourlySums{} : ReadSums(rows[0], 0);
  }

  Result<std::map<int64_t, HourlySums>> SumsBy(const Scope& s, const TimeRange& r,
                                               Interval interval) override {
    const std::string bucket = BucketOf("hour_start", interval);
    Q q;
    q << "SELECT " << bucket << ", " << kSumColumns << " FROM " << HourlyTable(s) << " WHERE ";
    Where(q, s);
    HourRange(q, r);
    q << " GROUP BY " << bucket;
    KINORA_TRY(auto rows, Run(q, kSumCount + 1));
    std::map<int64_t, HourlySums> out;
    for (const Row& row : rows) out[Int(row, 0)] = ReadSums(row, 1);
    return out;
  }

  Result<std::map<int64_t, int64_t>> DailyViewers(const Scope& s, const TimeRange& r) override {
    Q q;
    q << "SELECT day_start, COALESCE(SUM(viewers), 0) FROM audience_daily_unique WHERE ";
    Where(q, s);
    q << " AND day_start >= " << V(UnixSeconds(r.from)) << " AND day_start < "
      << V(UnixSeconds(r.to)) << " GROUP BY day_start";
    KINORA_TRY(auto rows, Run(q, 2));
    std::map<int64_t, int64_t> out;
    for (const Row& row : rows) out[Int(row, 0)] = Int(row, 1);
    return out;
  }

  Result<std::map<int64_t, StartupCounts>> Startup(const Scope& s, const TimeRange& r,
                                                   std::optional<Interval> interval) override {
    const std::string bucket = BucketOf("hour_start", interval);
    Q q;
    q << "SELECT " << bucket << ", le_ms, COALESCE(SUM(count), 0) FROM " << StartupTable(s)
      << " WHERE ";
    Where(q, s);
    HourRange(q, r);
    q << " GROUP BY " << (interval ? bucket + ", " : std::string()) << "le_ms";
    KINORA_TRY(auto rows, Run(q, 3));
    std::map<int64_t, StartupCounts> out;
    for (const Row& row : rows) {
      auto& counts = out[Int(row, 0)];
      counts.resize(kStartupBucketsMs.size(), 0);
      const size_t i = StartupIndex(Int(row, 1));
      if (i < counts.size()) counts[i] += Int(row, 2);
    }
    return out;
  }

  Result<RetentionCounts> Retention(std::string_view video_id, const TimeRange& r) override {
    Q q;
    q << "SELECT kind, resolution, bucket, COALESCE(SUM(count), 0) FROM audience_retention "
         "WHERE video_id = "
      << V(video_id) << " AND day_start >= " << V(UnixSeconds(r.from)) << " AND day_start < "
      << V(UnixSeconds(r.to)) << " GROUP BY kind, resolution, bucket";
    KINORA_TRY(auto rows, Run(q, 4));
    RetentionCounts out;
    out.first_percent.assign(kPercentBuckets, 0);
    out.rewatch_percent.assign(kPercentBuckets, 0);
    for (const Row& row : rows) {
      const bool first = row[0] == kRetentionFirst;
      const int64_t b = Int(row, 2);
      if (b < 0) continue;
      const auto i = static_cast<size_t>(b);
      std::vector<int64_t>* v = nullptr;
      if (row[1] == kResolutionPercent) {
        if (i >= static_cast<size_t>(kPercentBuckets)) continue;
        v = first ? &out.first_percent : &out.rewatch_percent;
      } else if (row[1] == kResolutionSecond) {
        if (i >= static_cast<size_t>(kMaxPerSecondDurationMs / 1000)) continue;
        v = first ? &out.first_second : &out.rewatch_second;
        if (v->size() <= i) v->resize(i + 1, 0);
      } else {
        continue;
      }
      (*v)[i] += Int(row, 3);
    }
    return out;
  }

  Result<std::vector<BreakdownRow>> Breakdown(std::string_view video_id, const TimeRange& r,
                                              std::string_view dimension) override {
    Q q;
    q << "SELECT value, COALESCE(SUM(plays), 0) AS p, COALESCE(SUM(views), 0), "
         "COALESCE(SUM(watch_ms), 0) FROM audience_dimension_daily WHERE video_id = "
      << V(video_id) << " AND day_start >= " << V(UnixSeconds(r.from)) << " AND day_start < "
      << V(UnixSeconds(r.to)) << " AND dimension = " << V(dimension)
      << " GROUP BY value ORDER BY p DESC, value";
    KINORA_TRY(auto rows, Run(q, 4));
    std::vector<BreakdownRow> out;
    for (const Row& row : rows) out.push_back({row[0], Int(row, 1), Int(row, 2), Int(row, 3)});
    return out;
  }

  Result<std::vector<VideoFigure>> ViewersNow(const Scope& s, int64_t since_ms) override {
    Q q;
    q << "SELECT video_id, COUNT(*) AS n FROM view_sessions WHERE finalised_at = 0 AND "
         "last_seen_at >= "
      << V(since_ms) << " AND ";
    Where(q, s);
    q << " AND ended = 0 AND viewend = 0 AND bot = 0 AND owner = 0 GROUP BY video_id "
         "ORDER BY n DESC, video_id";
    KINORA_TRY(auto rows, Run(q, 2));
    std::vector<VideoFigure> out;
    for (const Row& row : rows) out.push_back({row[0], Int(row, 1)});
    return out;
  }

  Result<int64_t> PeakConcurrency(const Scope& s, int64_t since_s) override {
    Q q;
    if (s.kind == Scope::Kind::kAll) {
      q << "SELECT COALESCE(MAX(viewers), 0) FROM " << kSiteConcurrencyTable
        << " WHERE minute_start >= " << V(since_s);
      KINORA_TRY(auto rows, Run(q, 1));
      return rows.empty() ? 0 : Int(rows[0], 0);
    }
    q << "SELECT COALESCE(MAX(n), 0) FROM (SELECT SUM(viewers) AS n FROM audience_concurrency "
         "WHERE minute_start >= "
      << V(since_s) << " AND ";
    Where(q, s);
    q << " GROUP BY minute_start) AS per_minute";
    KINORA_TRY(auto rows, Run(q, 1));
    return rows.empty() ? 0 : Int(rows[0], 0);
  }

  Result<std::vector<VideoFigure>> TopVideos(const Scope& s, const TimeRange& r,
                                             int limit) override {
    Q q;
    q << "SELECT video_id, COALESCE(SUM(watch_ms), 0) AS w, COALESCE(SUM(views), 0) FROM "
         "audience_hourly WHERE ";
    Where(q, s);
    HourRange(q, r);
    q << " GROUP BY video_id ORDER BY w DESC, video_id LIMIT " << V(int64_t{limit});
    KINORA_TRY(auto rows, Run(q, 3));
    std::vector<VideoFigure> out;
    for (const Row& row : rows) {
      VideoFigure f;
      f.video_id = row[0];
      f.watch_ms = Int(row, 1);
      f.views = Int(row, 2);
      out.push_back(std::move(f));
    }
    return out;
  }

  Result<std::vector<SessionRow>> Sessions(const Scope& s, const TimeRange& r,
                                           const std::optional<ExportCursor>& after,
                                           int limit) override {
    Q q;
    q << "SELECT " << kSessionColumns << " FROM view_sessions WHERE ";
    Where(q, s);
    q << " AND started_at >= " << V(UnixMillis(r.from)) << " AND started_at < "
      << V(UnixMillis(r.to));
    if (after) {
      q << " AND (started_at > " << V(after->started_at)
        << " OR (started_at = " << V(after->started_at) << " AND view_id > " << V(after->view_id)
        << "))";
    }
    q << " ORDER BY started_at, view_id LIMIT " << V(int64_t{limit});
    KINORA_TRY(auto rows, Run(q, kSessionColumnCount));
    std::vector<SessionRow> out;
    out.reserve(rows.size());
    for (const Row& row : rows) out.push_back(ReadSession(row));
    return out;
  }

 private:
  static void HourRange(Q& q, const TimeRange& r) {
    q << " AND hour_start >= " << V(UnixSeconds(r.from)) << " AND hour_start < "
      << V(UnixSeconds(r.to));
  }
  Result<std::vector<Row>> Run(const Q& q, int columns) {
    return db_->Query(q.sql(), q.args(), columns);
  }

  std::unique_ptr<SqlSource> db_;
};

}  // namespace

namespace internal {
std::unique_ptr<ReportStore> NewSqlReportStore(std::unique_ptr<SqlSource> db) {
  return std::make_unique<SqlReportStore>(std::move(db));
}
}  // namespace internal

Result<std::unique_ptr<ReportStore>> OpenReportStore(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return InvalidArgument("audience reports URL is not a URL: " + std::string(url));
  const std::string scheme = parsed->scheme();
  if (scheme == "sqlite") {
    std::string path = parsed->path();
    if (!parsed->host().empty() || path.empty() || path.front() != '/') {
      return InvalidArgument("sqlite URL needs an absolute path (sqlite:///abs/catalog.db): " +
                             std::string(url));
    }
    KINORA_TRY(auto db, internal::OpenSqliteSource(path));
    return internal::NewSqlReportStore(std::move(db));
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    KINORA_TRY(auto db, internal::OpenPostgresSource(url));
    return internal::NewSqlReportStore(std::move(db));
  }
  return InvalidArgument("unknown database URL scheme '" + scheme +
                         "' (want sqlite:// or postgresql://)");
}

}  // namespace kinora::audience::reports
