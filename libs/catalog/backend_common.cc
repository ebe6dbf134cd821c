#include "backend_common.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <iterator>

#include "columns.h"

namespace kinora::catalog::internal {

Result<void> ValidateRecord(const VideoRecord& v) {
  if (v.video_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "video_id is empty");
  if (v.video_key.empty()) return MakeError(ErrorCode::kInvalidArgument, "video_key is empty");
  boost::system::error_code ec;
  auto r = boost::json::parse(v.renditions_json, ec);
  if (ec || !r.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "renditions_json is not a JSON array");
  }
  return CheckVisibility(v.visibility);
}

Result<void> CheckVisibility(std::string_view v) {
  if (IsVisibility(v)) return {};
  return MakeError(
      ErrorCode::kInvalidArgument,
      "unknown visibility '" + std::string(v) + "' (want public, unlisted, private or internal)");
}

Error VideoNotFound(std::string_view video_id) {
  return MakeError(ErrorCode::kNotFound, "video not found: " + std::string(video_id));
}

Result<std::optional<CursorPosition>> CheckListQuery(const ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return MakeError(ErrorCode::kInvalidArgument, "limit must be between 1 and 1000");
  }
  if (q.offset < 0) return MakeError(ErrorCode::kInvalidArgument, "offset must not be negative");
  if (q.audience == Audience::kSignedIn && q.viewer_id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a signed-in audience needs its viewer_id");
  }
  if (q.cursor.empty()) return std::optional<CursorPosition>();
  KINORA_TRY(CursorPosition after, DecodeCursor(q.cursor));
  if (after.sort != q.sort || after.descending != q.descending) {
    return MakeError(ErrorCode::kInvalidArgument, "cursor belongs to a different sort order");
  }
  return std::optional<CursorPosition>(std::move(after));
}

std::string AccessConditions(const ListQuery& q, const AccessSpelling& spell) {
  const bool steer = spell.sqlite_steering;
  const bool visibility_leads =
      !spell.match_leads && q.sort == SortKey::kTimestamp && q.owner_id.empty();
  std::string sql;
  switch (q.audience) {
    case Audience::kEveryone:
      break;
    case Audience::kAnonymous:
      sql +=
          steer && !visibility_leads ? " AND +visibility = 'public'" : " AND visibility = 'public'";
      break;
    case Audience::kSignedIn:
      sql += steer ? " AND (+visibility IN ('public', 'internal') OR +owner_id = "
                   : " AND (visibility IN ('public', 'internal') OR owner_id = ";
      sql += spell.viewer;
      sql += ")";
      break;
  }
  if (!q.owner_id.empty()) {
    sql += " AND owner_id = ";
    sql += spell.owner;
  }
  return sql;
}

bool NeedsRowCount(const ListQuery& q) {
  return !q.title_query.empty() || q.audience != Audience::kEveryone || !q.owner_id.empty() ||
         !q.flag.empty();
}

std::optional<std::string> AudienceCountSql(const ListQuery& q, std::string_view status,
                                            std::string_view viewer) {
  if (!q.title_query.empty() || !q.owner_id.empty() || !q.flag.empty() ||
      q.audience == Audience::kEveryone) {
    return std::nullopt;
  }
  const std::string by_status = q.status ? " AND status = " + std::string(status) : "";
  if (q.audience == Audience::kAnonymous) {
    return "SELECT COALESCE(SUM(n), 0) FROM visibility_counts WHERE visibility = 'public'" +
           by_status;
  }
  // Public and internal videos of everyone, and the viewer's own others: disjoint sets.
  return "SELECT (SELECT COALESCE(SUM(n), 0) FROM visibility_counts WHERE visibility IN "
         "('public', 'internal')" +
         by_status + ") + (SELECT COUNT(*) FROM videos WHERE owner_id = " + std::string(viewer) +
         " AND visibility IN ('private', 'unlisted')" + by_status + ")";
}

void AppendHead(std::vector<VideoRecord>& rows, const RowHead& head) {
  VideoRecord& v = rows.emplace_back();
  v.video_id = head.video_id;
  v.row_version = head.row_version;
  v.visibility = head.visibility;
}

std::string FlagPattern(const ListQuery& q) { return LikePattern(FlagToken(q.flag)); }

std::string LikePattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

// --- Stats --------------------------------------------------------------------------------------

DayRange StatsDays(SysTime now) {
  return {FormatDay(now - std::chrono::hours(24 * (kStatsDays - 1))), FormatDay(now)};
}

Result<void> CheckStatsScope(const StatsScope& scope) {
  if (scope.kind == StatsScope::kOwner && scope.owner_id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "owner stats need an owner_id");
  }
  return {};
}

std::string ScopeCondition(const StatsScope& scope, std::string_view owner) {
  if (scope.kind == StatsScope::kOwner) return "owner_id = " + std::string(owner);
  return "visibility = 'public'";
}

namespace {

// The duration bucket of a known duration (kDurationBucketBounds; the last is open).
size_t BucketOf(double seconds) {
  const auto* end = std::end(kDurationBucketBounds);
  return static_cast<size_t>(std::upper_bound(std::begin(kDurationBucketBounds), end, seconds) -
                             std::begin(kDurationBucketBounds));
}

// Nearest rank over sorted values, as the fast path reads it off the index.
std::optional<double> Percentile(const std::vector<double>& sorted, int percent) {
  const auto n = static_cast<int64_t>(sorted.size());
  if (n == 0) return std::nullopt;
  const int64_t rank = (n * percent + 99) / 100;  // ceil(n * percent / 100), 1-based
  return sorted[static_cast<size_t>(rank - 1)];
}

}  // namespace

StatsBuilder::StatsBuilder(SysTime now)
    : days_(StatsDays(now)),
      window_begin_(std::chrono::floor<std::chrono::days>(now) - std::chrono::days(kStatsDays - 1)),
      window_end_(std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1)),
      buckets_(std::size(kDurationBucketBounds) + 1, 0) {
  for (auto s : {VideoStatus::kUploaded, VideoStatus::kProcessing, VideoStatus::kProcessed,
                 VideoStatus::kFailed}) {
    st_.by_status[std::string(ToString(s))] = 0;
  }
}

void StatsBuilder::AddVideo(const StatsRow& r) {
  ++st_.total_videos;
  ++st_.by_status[r.status];
  ++st_.by_format[r.file_extension];
  st_.total_views += r.views;
  st_.total_likes += r.likes;
  st_.storage_bytes += r.size + r.processed_bytes;
  if (r.duration_seconds) {
    st_.total_duration_seconds += *r.duration_seconds;
    ++buckets_[BucketOf(*r.duration_seconds)];
  }
  if (r.status == ToString(VideoStatus::kProcessed) && r.processing_seconds) {
    processing_.push_back(*r.processing_seconds);
  }
  if (r.uploaded_at >= window_begin_ && r.uploaded_at < window_end_) {
    // Kept sorted by day: the series is short (≤ 30 entries).
    const std::string day = FormatDay(r.uploaded_at);
    auto& ups = st_.uploads_per_day;
    auto it = std::lower_bound(ups.begin(), ups.end(), day,
                               [](const DayCount& d, const std::string& x) { return d.day < x; });
    if (it == ups.end() || it->day != day) it = ups.insert(it, DayCount{day, 0});
    ++it->count;
  }
}

void StatsBuilder::AddDay(const std::string& day, int64_t views, int64_t likes) {
  if (views > 0) st_.views_per_day.push_back({day, views});
  if (likes > 0) st_.likes_per_day.push_back({day, likes});
}

void StatsBuilder::AddTop(VideoRecord v) { st_.top_videos.push_back(std::move(v)); }

CatalogStats StatsBuilder::Finish() && {
  std::sort(processing_.begin(), processing_.end());
  st_.processing_p50 = Percentile(processing_, 50);
  st_.processing_p90 = Percentile(processing_, 90);
  st_.processing_p99 = Percentile(processing_, 99);
  st_.duration_histogram = MakeDurationHistogram(buckets_);
  return std::move(st_);
}

// --- Resumable uploads --------------------------------------------------------------------------

Result<void> ValidateUpload(const UploadRow& u) {
  if (u.upload_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "upload_id is empty");
  if (u.length < 0) return MakeError(ErrorCode::kInvalidArgument, "upload length is negative");
  if (u.offset < 0 || u.offset > u.length) {
    return MakeError(ErrorCode::kInvalidArgument, "upload offset is outside [0, length]");
  }
  return {};
}

Result<void> CheckAdvance(int64_t expected_offset, int64_t new_offset) {
  if (expected_offset < 0 || new_offset < expected_offset) {
    return MakeError(ErrorCode::kInvalidArgument, "an upload's offset only moves forward (from " +
                                                      std::to_string(expected_offset) + " to " +
                                                      std::to_string(new_offset) + ")");
  }
  return {};
}

Error UploadNotFound(std::string_view upload_id) {
  return MakeError(ErrorCode::kNotFound, "upload not found: " + std::string(upload_id));
}

Error AdvanceRefused(std::string_view upload_id, const std::optional<UploadRow>& row,
                     int64_t expected_offset, int64_t new_offset) {
  if (!row) return UploadNotFound(upload_id);
  if (row->complete) {
    return MakeError(ErrorCode::kAlreadyExists,
                     "upload is already complete: " + std::string(upload_id));
  }
  if (row->offset != expected_offset) {
    return MakeError(ErrorCode::kAlreadyExists, "upload's offset is " +
                                                    std::to_string(row->offset) + ", not " +
                                                    std::to_string(expected_offset));
  }
  if (new_offset > row->length) {
    return MakeError(ErrorCode::kInvalidArgument, "offset " + std::to_string(new_offset) +
                                                      " is past the upload's length " +
                                                      std::to_string(row->length));
  }
  // The row matched when read, so it changed between the update and the read (deleted and made
  // again): another request got there first.
  return MakeError(ErrorCode::kAlreadyExists,
                   "upload changed meanwhile: " + std::string(upload_id));
}

}  // namespace kinora::catalog::internal
