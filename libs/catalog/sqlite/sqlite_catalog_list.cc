// List: keyset pagination over the (sort expression, video_id) indexes.
#include <algorithm>
#include <string>

#include "../backend_common.h"
#include "../columns.h"
#include "../cursor.h"
#include "../sort_keys.h"
#include "../title_search.h"
#include "kinora/catalog/internal/sqlite_schema.h"
#include "sqlite_catalog_impl.h"

namespace kinora::catalog {

namespace {

// Parameters of a short title query's patterns beyond the first (?2): ?10, ?11, ...
constexpr int kMoreTitlePatterns = 10;

bool IndexedTitle(const ListQuery& q) {
  return !q.title_query.empty() &&
         internal::CodePoints(q.title_query) >= internal::kMinIndexedQuery;
}

// Whether `plan` lets the title match lead: only an indexed title query without an owner filter
// (the owner's index finds that owner's few videos faster).
bool MatchLeads(const ListQuery& q, TitlePlan plan) {
  return plan == TitlePlan::kMatchLeads && IndexedTitle(q) && q.owner_id.empty();
}

// Title search (title_search.h): the FTS5 trigram index for queries long enough to have a
// trigram, else the title's LIKE patterns in each case of its non-ASCII characters. Unless the
// match leads, a unary "+" keeps its rowids from choosing the plan: they are tested as an index
// is walked.
std::string TitleCondition(const ListQuery& q, bool match_leads) {
  if (IndexedTitle(q)) {
    return std::string(match_leads ? " AND " : " AND +") +
           "rowid IN (SELECT rowid FROM videos_title_search WHERE videos_title_search MATCH ?2)";
  }
  const size_t n = internal::ShortQueryPatterns(q.title_query).size();
  std::string sql = " AND (title LIKE ?2 ESCAPE '\\'";
  for (size_t i = 1; i < n; ++i) {
    sql += " OR title LIKE ?" + std::to_string(kMoreTitlePatterns + i - 1) + " ESCAPE '\\'";
  }
  return sql + ")";
}

// The WHERE conditions of q's filters, each starting " AND ". A page steers SQLite's choice of
// index (AccessSpelling); a count needs no order, so it lets SQLite choose, except that a title
// match leads it (every other condition gets a unary "+"). An owner filter leads a page: its
// index finds the owner's few videos, so the status gets a unary "+" too, which keeps SQLite
// (planning without statistics) from walking every video of that status instead.
std::string Filters(const ListQuery& q, bool page, bool match_leads) {
  const bool steer_status = (page && !q.owner_id.empty()) || match_leads;
  std::string sql;
  if (q.status) sql += steer_status ? " AND +status = ?1" : " AND status = ?1";
  if (!q.title_query.empty()) sql += TitleCondition(q, match_leads || !page);
  if (!q.flag.empty()) sql += " AND analysis_flags LIKE ?9 ESCAPE '\\'";
  sql += internal::AccessConditions(q, {.viewer = "?7",
                                        .owner = "?8",
                                        .sqlite_steering = page || match_leads,
                                        .match_leads = match_leads});
  return sql;
}

std::string CountSql(const ListQuery& q) {
  if (!internal::NeedsRowCount(q)) {
    // Trigger-maintained, so totals cost O(1) instead of a scan per page.
    return q.status ? "SELECT n FROM status_counts WHERE status = ?1"
                    : "SELECT COALESCE(SUM(n), 0) FROM status_counts";
  }
  if (auto sql = internal::AudienceCountSql(q, "?1", "?7")) return *sql;
  // A title match is counted from the trigram index: seeking its rows beats testing every
  // entry of a visibility or status index against it.
  return "SELECT COUNT(*) FROM videos WHERE 1" +
         Filters(q, /*page=*/false, MatchLeads(q, TitlePlan::kMatchLeads));
}

// Binds what Filters(q) names.
void BindFilters(sqlite::Stmt& s, const ListQuery& q, const std::string& status,
                 const std::vector<std::string>& title) {
  if (q.status) s.Bind(1, status);
  for (size_t i = 0; i < title.size(); ++i) {
    s.Bind(i == 0 ? 2 : kMoreTitlePatterns + static_cast<int>(i) - 1, title[i]);
  }
  if (q.audience == Audience::kSignedIn) s.Bind(7, q.viewer_id);
  if (!q.owner_id.empty()) s.Bind(8, q.owner_id);
  if (!q.flag.empty()) s.Bind(9, internal::FlagPattern(q));
}

// A page for a caller that keeps renderings (ListQuery::known) selects only the rows' heads (and
// the sort key); the rows it does not know are then read whole by id, in the same snapshot. Every
// column a SELECT names costs the VDBE a decode per row, so a page of kept rows reads ~4 of 40.
constexpr std::string_view kHeadList = "video_id, row_version, visibility";
constexpr int kHeadColumns = 3;

// What TitleCondition's parameters hold.
std::vector<std::string> TitleParams(const ListQuery& q) {
  if (q.title_query.empty()) return {};
  if (internal::CodePoints(q.title_query) >= internal::kMinIndexedQuery) {
    return {internal::Fts5Phrase(q.title_query)};
  }
  return internal::ShortQueryPatterns(q.title_query);
}

}  // namespace

// One SQL text per shape of query, so each shape is prepared once per connection.
// Parameters: ?1 status, ?2 title (FTS5 phrase or first LIKE pattern; ?10.. more patterns), ?3/?4
// cursor (value, video_id), ?5 limit, ?6 offset, ?7 viewer_id, ?8 owner_id, ?9 flag pattern.
std::string ListPageSql(const ListQuery& q, bool has_cursor, TitlePlan plan) {
  const bool match_leads = MatchLeads(q, plan);
  const std::string_view key = internal::SortColumn(q.sort);
  // When the match leads, the order must not pick the sort index: the matches are sorted.
  const std::string_view plus = match_leads ? "+" : "";
  const std::string_view dir = q.descending ? " DESC" : " ASC";
  std::string sql = "SELECT ";
  sql += q.known ? kHeadList : std::string_view(internal::SelectList());
  sql += ", ";
  sql += key;
  sql += " FROM videos WHERE 1";
  sql += Filters(q, /*page=*/true, match_leads);
  if (has_cursor) {
    sql += " AND (";
    sql += plus;
    sql += key;
    sql += ", ";
    sql += plus;
    sql += q.descending ? "video_id) < (?3, ?4)" : "video_id) > (?3, ?4)";
  }
  sql += " ORDER BY ";
  sql += plus;
  sql += key;
  sql += dir;
  sql += ", ";
  sql += plus;
  sql += "video_id";
  sql += dir;
  sql += " LIMIT ?5";
  if (!has_cursor) sql += " OFFSET ?6";
  return sql;
}

Result<ListPage> SqliteCatalog::List(const ListQuery& q) {
  KINORA_TRY(const std::optional<CursorPosition> after, internal::CheckListQuery(q));
  const std::string status = q.status ? std::string(ToString(*q.status)) : std::string();
  const std::vector<std::string> title = TitleParams(q);
  const bool real_key = internal::SortIsReal(q.sort);

  KINORA_TRY(auto conn, readers_.Acquire());
  KINORA_TRY(auto txn, ReadTxn::Begin(*conn));  // total, page and unknown rows: one snapshot
  ListPage page;
  {
    KINORA_TRY(auto s, conn->Use(CountSql(q)));
    BindFilters(*s, q, status, title);
    KINORA_TRY(bool row, s->Step());
    page.total = row ? s->Int(0) : 0;
  }
  TitlePlan plan = TitlePlan::kIndexLeads;
  if (MatchLeads(q, TitlePlan::kMatchLeads)) {  // the total counted the matches: few or many?
    KINORA_TRY(auto s, conn->Use("SELECT COALESCE(SUM(n), 0) FROM status_counts"));
    KINORA_TRY(bool row, s->Step());
    plan = ChooseTitlePlan(page.total, row ? s->Int(0) : 0, q.limit);
  }
  std::vector<size_t> unknown;  // rows of the page the caller does not know (ListQuery::known)
  {
    KINORA_TRY(auto s, conn->Use(ListPageSql(q, after.has_value(), plan)));
    BindFilters(*s, q, status, title);
    if (after) {
      std::visit([&](auto v) { s->Bind(3, v); }, after->value);
      s->Bind(4, after->video_id);
    } else {
      s->Bind(6, q.offset);
    }
    s->Bind(5, q.limit + 1);  // one extra row tells whether another page exists
    page.videos.reserve(static_cast<size_t>(q.limit));
    CursorPosition last{q.sort, q.descending, int64_t{0}, {}};
    const int key_col = q.known ? kHeadColumns : internal::kReadColumnCount;
    for (;;) {
      KINORA_TRY(bool row, s->Step());
      if (!row) break;
      if (static_cast<int>(page.videos.size()) == q.limit) {
        page.next_cursor = EncodeCursor(last);
        break;
      }
      if (!q.known) {
        page.videos.push_back(internal::ReadVideo(*s));
      } else {
        const RowHead head{s->TextView(0), s->Int(1), s->TextView(2)};
        internal::AppendHead(page.videos, head);
        if (!q.known(head)) unknown.push_back(page.videos.size() - 1);
      }
      last.video_id = page.videos.back().video_id;
      if (real_key) {
        last.value = s->Double(key_col);
      } else {
        last.value = s->Int(key_col);
      }
    }
  }
  for (size_t i : unknown) {
    static const std::string kSql =
        "SELECT " + internal::SelectList() + " FROM videos WHERE video_id = ?1";
    KINORA_TRY(auto s, conn->Use(kSql));
    s->Bind(1, page.videos[i].video_id);
    KINORA_TRY(bool row, s->Step());
    if (!row) return Internal("a listed video vanished within its snapshot");
    page.videos[i] = internal::ReadVideo(*s);
  }
  return page;
}

}  // namespace kinora::catalog
