// Title search (ListQuery::title_query), shared by both backends: a case-insensitive substring of
// the title, folded beyond ASCII. Queries of 3 or more characters use each backend's trigram
// index (SQLite FTS5's trigram tokenizer, PostgreSQL pg_trgm); shorter ones, which a trigram
// index cannot serve, keep a scan with the same meaning.
// Private to libs/catalog. Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::catalog::internal {

// Trigram indexes serve queries of at least this many characters (code points).
inline constexpr size_t kMinIndexedQuery = 3;

// The number of code points of `text` (an invalid byte counts as one).
size_t CodePoints(std::string_view text);

// The FTS5 MATCH expression for a substring query: one phrase, `"` doubled ("a"b" -> "a""b").
// The trigram tokenizer (case_sensitive 0) folds case as FTS5 does (Unicode, diacritics kept).
std::string Fts5Phrase(std::string_view text);

// The LIKE patterns (LikePattern form) that find `text` as a substring in any case for a short
// query: SQLite's LIKE folds ASCII only, so every non-ASCII character is tried in its lower and
// upper forms (at most 3^2 patterns for 2 characters). Used only below kMinIndexedQuery.
std::vector<std::string> ShortQueryPatterns(std::string_view text);

}  // namespace kinora::catalog::internal

namespace kinora::catalog {

// How a page of an indexed title search finds its rows. Neither backend's planner can be left
// to choose: SQLite plans without statistics, and PostgreSQL's estimate of how many titles hold
// a phrase comes from a sample that does or does not hold one of them. So List counts the
// matches first and chooses by their number (ChooseTitlePlan).
enum class TitlePlan {
  kIndexLeads,  // walk the page's sort index, testing each entry against the matches: the page
                // fills early when the matches are many
  kMatchLeads,  // read the matching rows and sort them: few matches, which a walk would seek
                // through most of the index to find
};

// kMatchLeads when `matches` rows match among `rows`, so few that a walk would test more index
// entries (cheap) than sorting the matches reads rows (a seek each); kIndexLeads otherwise.
TitlePlan ChooseTitlePlan(int64_t matches, int64_t rows, int limit);

}  // namespace kinora::catalog
