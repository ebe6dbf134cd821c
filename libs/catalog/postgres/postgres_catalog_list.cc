// List on PostgreSQL: keyset pagination over the (sort key, video_id) indexes, as in SQLite; the
// page and its total in one prepared statement, so one round trip, one snapshot, and no parsing
// or planning once the connection has run that shape of query. An indexed title search counts
// its matches first and chooses its page's plan by their number (TitlePlan): two statements.
#include <algorithm>
#include <charconv>
#include <string>

#include "../backend_common.h"
#include "../columns.h"
#include "../cursor.h"
#include "../sort_keys.h"
#include "../title_search.h"
#include "postgres_catalog_impl.h"
#include "postgres_schema.h"

namespace kinora::catalog {

namespace {

using internal::LikePattern;
using internal::SortColumn;
using internal::SortIsReal;

// The folded title, lower(title COLLATE "und-x-icu") stored by migration 11: the column the
// videos_title_trgm index is built on (postgres_schema.cc).
constexpr char kTitleFold[] = "title_folded";

// Parameters are numbered in the order they are added.
struct Query {
  std::string sql;
  std::vector<pg::Param> params;
  std::string Next(pg::Param p) {
    params.push_back(std::move(p));
    return "$" + std::to_string(params.size());
  }
};

void AddFilters(Query& q, const ListQuery& lq) {
  if (lq.status) q.sql += " AND status = " + q.Next(std::string(ToString(*lq.status)));
  // Case folded beyond ASCII whatever the database's locale; the pg_trgm index on this
  // expression serves queries of 3 or more characters (title_search.h).
  if (!lq.title_query.empty()) {
    q.sql += std::string(" AND ") + kTitleFold + " LIKE lower(" +
             q.Next(LikePattern(lq.title_query)) + "::text COLLATE \"und-x-icu\")";
  }
  // LIKE's escape character is '\' by default, as FlagPattern writes it.
  if (!lq.flag.empty()) q.sql += " AND analysis_flags LIKE " + q.Next(internal::FlagPattern(lq));
  // Only the parameters the conditions use: PostgreSQL must infer every parameter's type.
  const std::string viewer = lq.audience == Audience::kSignedIn ? q.Next(lq.viewer_id) : "";
  const std::string owner = lq.owner_id.empty() ? "" : q.Next(lq.owner_id);
  q.sql += internal::AccessConditions(lq, {.viewer = viewer, .owner = owner});
}

std::string CursorValue(const CursorPosition& p) {
  return std::visit(
      [](auto v) {
        if constexpr (std::is_same_v<decltype(v), double>) {
          char buf[64];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
          return std::string(buf, end);
        } else {
          return std::to_string(v);
        }
      },
      p.value);
}

}  // namespace

namespace {

// A page for a caller that keeps renderings (ListQuery::known) selects only the rows' heads: the
// server then sends ~60 bytes a row instead of ~2 KB, and the rows the caller does not know are
// read whole by id afterwards (one more round trip, only when there are any).
constexpr char kHeadList[] = "video_id, row_version, visibility";
constexpr int kHeadColumns = 3;

// The index of the page query's sort_key column (its columns before it: heads or SelectList()).
int SortKeyColumn(const ListQuery& lq) {
  return lq.known ? kHeadColumns : internal::kReadColumnCount;
}

// Appends q's page query to `page_q` (parameters numbered after those it holds). Its columns:
// SelectList() (or only the heads, for ListQuery::known), then the sort key as sort_key.
// kMatchLeads reads the matches in a subquery the planner cannot merge (OFFSET 0) and sorts
// them. kIndexLeads leaves the plan to the planner, which walks the index when it estimates many
// matches and otherwise reads and sorts them: with many matches, that costs tens of
// milliseconds at worst, never a walk through most of the index for a few.
void AppendPage(Query& page_q, const ListQuery& lq, const CursorPosition* after,
                std::optional<TitlePlan> plan = std::nullopt) {
  const std::string key(SortColumn(lq.sort));
  const std::string dir = lq.descending ? " DESC" : " ASC";
  const std::string type = SortIsReal(lq.sort) ? "::float8" : "::bigint";
  const bool fenced = plan == TitlePlan::kMatchLeads;
  if (fenced) page_q.sql += "SELECT * FROM (";
  page_q.sql += "SELECT " + (lq.known ? std::string(kHeadList) : internal::SelectList()) + ", " +
                key + " AS sort_key FROM videos WHERE TRUE";
  AddFilters(page_q, lq);
  if (after) {
    const std::string v = page_q.Next(CursorValue(*after));
    const std::string id = page_q.Next(after->video_id);
    page_q.sql += " AND (" + key + ", video_id) " + (lq.descending ? "<" : ">") + " (" + v + type +
                  ", " + id + ")";
  }
  page_q.sql += fenced ? " OFFSET 0) AS m ORDER BY sort_key" + dir + ", video_id" + dir
                       : " ORDER BY " + key + dir + ", video_id" + dir;
  // The limit is written into the text (an integer CheckListQuery bounded, so a few texts in
  // practice) and a zero offset left out: a generic plan of a prepared statement prices a
  // LIMIT or OFFSET parameter as a tenth of the table, so the server would plan every call
  // afresh; with the limit known, the generic plan is the custom one and is kept.
  page_q.sql += " LIMIT " + std::to_string(lq.limit + 1);
  if (!after && lq.offset > 0) page_q.sql += " OFFSET " + page_q.Next(std::to_string(lq.offset));
}

// The query of q's total: trigger-kept counts where they answer it, else a count of the rows.
void AppendCount(Query& count_q, const ListQuery& lq) {
  if (!internal::NeedsRowCount(lq)) {
    // Trigger-maintained, so totals cost O(1) instead of a scan per page.
    count_q.sql += lq.status ? "SELECT n FROM status_counts WHERE status = " +
                                   count_q.Next(std::string(ToString(*lq.status)))
                             : "SELECT COALESCE(SUM(n), 0) FROM status_counts";
  } else if (internal::AudienceCountSql(lq, "", "")) {
    const std::string status = lq.status ? count_q.Next(std::string(ToString(*lq.status))) : "";
    const std::string viewer = lq.audience == Audience::kSignedIn ? count_q.Next(lq.viewer_id) : "";
    count_q.sql += *internal::AudienceCountSql(lq, status, viewer);
  } else {
    count_q.sql += "SELECT COUNT(*) FROM videos WHERE TRUE";
    AddFilters(count_q, lq);
  }
}

}  // namespace

PgQuery ListPageQuery(const ListQuery& lq, const CursorPosition* after,
                      std::optional<TitlePlan> plan) {
  Query page_q;
  AppendPage(page_q, lq, after, plan);
  return PgQuery{std::move(page_q.sql), std::move(page_q.params)};
}

// One row per video of the page (SelectList(), sort_key, total), or a single row of NULLs and
// the total when the page is empty: the total's one-row query LEFT JOINed to the page. The outer
// ORDER BY sorts at most limit + 1 rows (the join keeps them in order in practice; SQL does not
// promise it).
PgQuery ListWithTotalQuery(const ListQuery& lq, const CursorPosition* after) {
  const std::string dir = lq.descending ? " DESC" : " ASC";
  Query q;
  q.sql = "SELECT p.*, t.total FROM (";
  AppendCount(q, lq);
  q.sql += ") AS t (total) LEFT JOIN (";
  AppendPage(q, lq, after);
  q.sql += ") AS p ON TRUE ORDER BY p.sort_key" + dir + ", p.video_id" + dir;
  return PgQuery{std::move(q.sql), std::move(q.params)};
}

namespace {

// Replaces the rows `which` of the page (heads) with the whole rows, read by id in one statement.
// A row deleted since the page was read leaves the page (it is another snapshot); one changed
// since comes back as it is now.
Result<void> ReadWhole(pg::PgConn& conn, ListPage& page, const std::vector<size_t>& which) {
  static const std::string kSql =
      "SELECT " + internal::SelectList() + " FROM videos WHERE video_id = ANY($1::text[])";
  std::string ids = "{";
  for (size_t i : which) {
    if (ids.size() > 1) ids += ',';
    ids += '"';
    for (char ch : page.videos[i].video_id) {
      if (ch == '"' || ch == '\\') ids += '\\';
      ids += ch;
    }
    ids += '"';
  }
  ids += '}';
  KINORA_TRY(pg::PgResult rows, conn.ExecPrepared(kSql, {ids}));
  std::vector<bool> found(page.videos.size(), false);
  const int id_col = internal::ReadIndexOf(&VideoRecord::video_id);
  for (int r = 0; r < rows.rows(); ++r) {
    const std::string_view id = rows.Text(r, id_col);
    for (size_t i : which) {
      if (!found[i] && page.videos[i].video_id == id) {
        page.videos[i] = pgschema::ReadVideo(rows, r);
        found[i] = true;
        break;
      }
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < page.videos.size(); ++i) {
    const bool asked = std::find(which.begin(), which.end(), i) != which.end();
    if (asked && !found[i]) continue;
    if (kept != i) page.videos[kept] = std::move(page.videos[i]);
    ++kept;
  }
  page.videos.resize(kept);
  return {};
}

}  // namespace

namespace {

// Whether List counts a title search's matches before its page, to choose the page's plan: an
// indexed query (3 characters or more) not narrowed to one owner (whose index walk is short).
bool ChoosesTitlePlan(const ListQuery& lq) {
  return !lq.title_query.empty() && lq.owner_id.empty() &&
         internal::CodePoints(lq.title_query) >= internal::kMinIndexedQuery;
}

// The page from `rows` (the page query's columns; the sort key at key_col), with its total.
Result<ListPage> ReadPage(pg::PgConn& conn, const ListQuery& lq, const pg::PgResult& rows,
                          int key_col, int64_t total) {
  ListPage page;
  const bool empty = rows.rows() == 0 || rows.IsNull(0, key_col);
  const int n = empty ? 0 : std::min(rows.rows(), lq.limit);
  page.videos.reserve(static_cast<size_t>(n));
  std::vector<size_t> unknown;  // rows of the page the caller does not know
  for (int i = 0; i < n; ++i) {
    if (!lq.known) {
      page.videos.push_back(pgschema::ReadVideo(rows, i));
      continue;
    }
    const RowHead head{rows.Text(i, 0), rows.Int(i, 1), rows.Text(i, 2)};
    internal::AppendHead(page.videos, head);
    if (!lq.known(head)) unknown.push_back(page.videos.size() - 1);
  }
  if (!empty && rows.rows() > lq.limit) {
    CursorPosition last{lq.sort, lq.descending, int64_t{0}, page.videos.back().video_id};
    if (SortIsReal(lq.sort)) {
      last.value = rows.Double(n - 1, key_col);
    } else {
      last.value = rows.Int(n - 1, key_col);
    }
    page.next_cursor = EncodeCursor(last);
  }
  page.total = total;
  if (!unknown.empty()) KINORA_TRY_VOID(ReadWhole(conn, page, unknown));
  return page;
}

}  // namespace

Result<ListPage> PostgresCatalog::List(const ListQuery& lq) {
  KINORA_TRY(const std::optional<CursorPosition> after, internal::CheckListQuery(lq));
  const CursorPosition* from = after ? &*after : nullptr;
  const int key_col = SortKeyColumn(lq);
  KINORA_TRY(auto conn, pool_.Acquire());
  if (ChoosesTitlePlan(lq)) {
    // The matches are counted first (the total) and the page's plan chosen by their number, as
    // SQLite's is: PostgreSQL's estimate comes from ANALYZE's sample of 30,000 rows, and in one
    // of eight ANALYZEs of 100,000 videos it took the 92 titles holding "speedrun finale" for
    // 985, walked the time index and filtered 60,568 rows (447 ms instead of 15). One more
    // round trip, for title searches only; a write between the two statements can make the
    // total differ from the page by that write. Planned per call, as below.
    Query count_q;
    count_q.sql = "SELECT (";
    AppendCount(count_q, lq);
    count_q.sql += "), (SELECT COALESCE(SUM(n), 0) FROM status_counts)";
    KINORA_TRY(pg::PgResult counted, conn->Exec(count_q.sql, count_q.params));
    const int64_t total = counted.Int(0, 0);
    const PgQuery q = ListPageQuery(lq, from, ChooseTitlePlan(total, counted.Int(0, 1), lq.limit));
    KINORA_TRY(pg::PgResult rows, conn->Exec(q.sql, q.params));
    return ReadPage(*conn, lq, rows, key_col, total);
  }
  const PgQuery q = ListWithTotalQuery(lq, from);
  // A title search is planned per call: a generic plan cannot see the pattern, so it could not
  // choose between the trigram index and walking the sort order (one short bench/listing.sh run
  // saw split search fall from ~165 to ~2 req/s when it was prepared).
  KINORA_TRY(pg::PgResult rows, lq.title_query.empty() ? conn->ExecPrepared(q.sql, q.params)
                                                       : conn->Exec(q.sql, q.params));
  const int total_col = key_col + 1;
  const int64_t total = rows.rows() && !rows.IsNull(0, total_col) ? rows.Int(0, total_col) : 0;
  return ReadPage(*conn, lq, rows, key_col, total);
}

}  // namespace kinora::catalog
