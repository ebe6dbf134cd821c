// Title search: on every backend, ListQuery::title_query finds exactly the titles that contain
// the query as a substring in any case, ASCII or not — what the scan found before the trigram
// indexes (title_search.h), now also beyond ASCII — with edits and deletions followed, and
// queries too short for a trigram still answered.
#include <clocale>
#include <cwctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog_contract.h"
#include "kinora/core/utf8.h"

namespace kinora::catalog {

namespace {

// The test's own reading of "case-insensitive substring": both sides lowercased code point by
// code point (C.UTF-8), then compared byte for byte.
std::u32string Lower(std::string_view s) {
  static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const Utf8Step step = NextUtf8(s, i);
    char32_t c = static_cast<unsigned char>(s[i]);
    if (step.length == 2) c = ((c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
    if (step.length == 3) {
      c = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
          (static_cast<unsigned char>(s[i + 2]) & 0x3F);
    }
    if (step.length == 4) {
      c = ((c & 0x07) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 12) |
          ((static_cast<unsigned char>(s[i + 2]) & 0x3F) << 6) |
          (static_cast<unsigned char>(s[i + 3]) & 0x3F);
    }
    out += static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), loc));
    i += step.length;
  }
  return out;
}

const std::vector<std::string> kTitles = {"L'école de Paris",
                                          "ÉCOLE NORMALE",
                                          "Straße am Fluss",
                                          "50% off_sale",
                                          "500 off",
                                          "Crème Brûlée",
                                          "CRÈME BRÛLÉE 2",
                                          "Cat video",
                                          "concatenate",
                                          "日本語のビデオ",
                                          "Ärger über Öl",
                                          "back\\slash",
                                          "a\"quote\"b",
                                          "Hello World",
                                          "say HELLO",
                                          "Москва ночью",
                                          "ПРОГУЛКА МОСКВА",
                                          "x",
                                          "",
                                          "naïve café"};

const std::vector<std::string> kQueries = {
    "école", "ÉCOLE", "CoLe",  "é",      "É",       "ca",      "CAT",    "50%",    "%",
    "_",     "f_s",   "ße",    "brûlée", "BRÛLÉE",  "crème b", "本語",   "日本語", "ärger",
    "ÜBER",  "öl",    "\\",    "\"",     "\"quote", "hello",   "москва", "МОСКВ",  "zzz",
    "x",     "e",     "NAÏVE", "é ",     " ",       "ca",      "Ça",     "ÏVE C"};

}  // namespace

TEST_P(CatalogContract, TitleSearchFindsSubstringsInAnyCaseBeyondAscii) {
  std::map<std::string, std::string> title_of;  // video_id -> title
  for (size_t i = 0; i < kTitles.size(); ++i) {
    auto v = SampleVideo("s" + std::to_string(100 + i), NowMillis());
    v.title = kTitles[i];
    MustInsert(v);
    title_of[v.video_id] = v.title;
  }
  // Edits and deletions reach the index: one title changes, one video goes.
  VideoEdit edit;
  edit.title = "Dog video";
  ASSERT_TRUE(catalog().Edit("s107", edit));
  title_of["s107"] = "Dog video";
  ASSERT_TRUE(catalog().Delete("s114"));
  title_of.erase("s114");

  for (const std::string& text : kQueries) {
    SCOPED_TRACE("query '" + text + "'");
    std::set<std::string> want;
    const std::u32string needle = Lower(text);
    for (const auto& [id, title] : title_of) {
      if (Lower(title).find(needle) != std::u32string::npos) want.insert(id);
    }
    ListQuery q;
    q.title_query = text;
    q.limit = 7;  // several pages: the cursor keeps the search
    std::set<std::string> got;
    int64_t total = -1;
    for (int pages = 0; pages < 10; ++pages) {
      auto page = catalog().List(q);
      ASSERT_TRUE(page) << page.error().message;
      if (total < 0) total = page->total;
      EXPECT_EQ(page->total, total);
      for (const auto& v : page->videos) got.insert(v.video_id);
      if (!page->next_cursor) break;
      q.cursor = *page->next_cursor;
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(total, static_cast<int64_t>(want.size()));
  }
}

TEST_P(CatalogContract, TitleSearchCombinesWithFiltersAndOrders) {
  for (int i = 0; i < 30; ++i) {
    auto v = SampleVideo("f" + std::to_string(10 + i), NowMillis() - std::chrono::minutes(i));
    v.title = i % 3 == 0 ? "Été à Montréal " + std::to_string(i) : "Winter " + std::to_string(i);
    v.status = i % 2 ? VideoStatus::kProcessed : VideoStatus::kFailed;
    v.size = 1000 - i;
    v.visibility = i % 5 == 0 ? "private" : "public";
    MustInsert(v);
  }
  ListQuery q;
  q.title_query = "ÉTÉ À";
  q.status = VideoStatus::kFailed;    // i in {0, 6, 12, 18, 24}
  q.audience = Audience::kAnonymous;  // not 0
  q.sort = SortKey::kSize;
  q.descending = false;
  auto page = catalog().List(q);
  ASSERT_TRUE(page) << page.error().message;
  std::vector<std::string> ids;
  for (const auto& v : page->videos) ids.push_back(v.video_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"f34", "f28", "f22", "f16"}));
  EXPECT_EQ(page->total, 4);
}

}  // namespace kinora::catalog
