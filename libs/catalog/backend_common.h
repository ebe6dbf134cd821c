// What the catalog backends (SQLite, PostgreSQL) share beyond the schema: record validation,
// the not-found error, List's argument checks and access conditions, literal LIKE patterns, the
// scoped Stats computed from rows (sort columns: sort_keys.h), and the uploads' checks and
// errors.
// Private to libs/catalog. Thread safety: pure functions; a StatsBuilder is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cursor.h"
#include "kinora/catalog/catalog.h"

namespace kinora::catalog::internal {

// kInvalidArgument for an empty id or key, renditions_json that is not a JSON array, or an
// unknown visibility.
Result<void> ValidateRecord(const VideoRecord& v);
// kInvalidArgument unless v is one of kVisibilities (columns.h).
Result<void> CheckVisibility(std::string_view v);
Error VideoNotFound(std::string_view video_id);

// What every List checks before it queries: kInvalidArgument unless 1 ≤ limit ≤ 1000, offset ≥ 0,
// kSignedIn names its viewer, and the cursor (if any) decodes and belongs to q's sort and order.
// Returns where the page starts: after the cursor's position, or nullopt (no cursor: at
// q.offset).
Result<std::optional<CursorPosition>> CheckListQuery(const ListQuery& q);

// How a backend spells the conditions of AccessConditions.
struct AccessSpelling {
  std::string_view viewer;  // the parameter holding q.viewer_id (used only for kSignedIn)
  std::string_view owner;   // the parameter holding q.owner_id (used only when set)
  // SQLite plans without statistics, and would rather seek the visibility or owner index and
  // sort what it finds than walk the page's sort index and filter. A unary "+" keeps a condition
  // from choosing an index: the signed-in OR never does, and the anonymous visibility only when
  // it leads the page's index (timestamp order, no owner filter). An owner filter keeps its
  // index: one owner's videos are few, so sorting them is cheap.
  bool sqlite_steering = false;
  // The rows come from a title match (TitlePlan::kMatchLeads): no visibility condition may
  // choose an index, even where it would lead the page's.
  bool match_leads = false;
};

// The conditions q's audience and owner filter put on videos rows, each starting " AND " (empty
// for kEveryone and no owner). The rule is identity::IsListedFor's.
std::string AccessConditions(const ListQuery& q, const AccessSpelling& spell);
// Whether q's total must be counted from the rows (a filter the trigger-kept counts cannot
// answer: title, audience, owner or flag), rather than read from status_counts.
bool NeedsRowCount(const ListQuery& q);
// The pattern of q.flag for `analysis_flags LIKE … ESCAPE '\'` (its token, matched literally).
std::string FlagPattern(const ListQuery& q);
// Appends what a page holds for a row the caller knows (ListQuery::known): its head only, built
// in place (a page of 50 kept rows is the API's hottest path; a VideoRecord has ~40 fields).
void AppendHead(std::vector<VideoRecord>& rows, const RowHead& head);
// The total of a query whose only filters are an audience and maybe a status, from the
// trigger-kept visibility_counts (plus, for a signed-in viewer, a count of their own private and
// unlisted videos over the owner index) instead of a scan of the table; nullopt for any other
// query. `status` and `viewer` name the parameters holding the status (used only when q.status is
// set) and q.viewer_id (used only for kSignedIn).
std::optional<std::string> AudienceCountSql(const ListQuery& q, std::string_view status,
                                            std::string_view viewer);

// "50%_off" -> "%50\%\_off%": the user's text matched literally, as a substring, with '\' as
// the escape character.
std::string LikePattern(std::string_view text);

// --- Stats --------------------------------------------------------------------------------------

inline constexpr int kStatsDays = 30;  // the per-day series cover the last 30 UTC days
struct DayRange {
  std::string first, last;  // "2026-10-26" .. "2026-11-24", inclusive
};
DayRange StatsDays(SysTime now);

// kInvalidArgument for kOwner without an owner.
Result<void> CheckStatsScope(const StatsScope& scope);
// The condition on videos rows for a kPublic or kOwner scope; `owner` spells the parameter
// holding scope.owner_id (used only for kOwner). REQUIRES: scope.kind != kAll.
std::string ScopeCondition(const StatsScope& scope, std::string_view owner);

// What Stats reads of one video in scope.
struct StatsRow {
  std::string status;  // as stored: "PROCESSED"
  std::string file_extension;
  int64_t views = 0, likes = 0, size = 0, processed_bytes = 0;
  std::optional<double> duration_seconds, processing_seconds;
  SysTime uploaded_at{};
};

// CatalogStats for a scope, computed from its rows the way the trigger-kept aggregates compute
// the site's: the backend feeds every video in scope (AddVideo), the scope's views and likes per
// day from daily_counts (AddDay, oldest first, days in StatsDays only) and its top videos
// (AddTop, in order), then takes the result.
class StatsBuilder {
 public:
  explicit StatsBuilder(SysTime now);
  const DayRange& days() const { return days_; }

  void AddVideo(const StatsRow& r);
  void AddDay(const std::string& day, int64_t views, int64_t likes);
  void AddTop(VideoRecord v);
  CatalogStats Finish() &&;

 private:
  DayRange days_;
  SysTime window_begin_, window_end_;  // the UTC days of days_, as times: [begin, end)
  CatalogStats st_;
  std::vector<double> processing_;  // PROCESSED videos' processing times
  std::vector<int64_t> buckets_;    // duration histogram counts
};

// --- Resumable uploads --------------------------------------------------------------------------

// kInvalidArgument for an empty upload_id, a negative length, or an offset outside [0, length].
Result<void> ValidateUpload(const UploadRow& u);
// kInvalidArgument unless 0 ≤ expected_offset ≤ new_offset (the durable offset never goes back).
Result<void> CheckAdvance(int64_t expected_offset, int64_t new_offset);
Error UploadNotFound(std::string_view upload_id);
// Why AdvanceUpload's compare-and-set (upload_id, offset = expected, not complete,
// new_offset ≤ length) changed no row, judged from the row read after it (nullopt: none):
// kNotFound when it is gone, kAlreadyExists when it is complete or its offset moved,
// kInvalidArgument when new_offset is past its length.
Error AdvanceRefused(std::string_view upload_id, const std::optional<UploadRow>& row,
                     int64_t expected_offset, int64_t new_offset);

}  // namespace kinora::catalog::internal
