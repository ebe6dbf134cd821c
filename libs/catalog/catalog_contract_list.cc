// Contract: List — every sort key in both orders, cursor and offset pagination, filters, and
// the audiences (checked against identity::IsListedFor, the rule they implement).
#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <functional>
#include <set>
#include <tuple>

#include "catalog_contract.h"
#include "kinora/identity/rights.h"

namespace kinora::catalog {

namespace {

constexpr int kRows = 57;
const SortKey kAllKeys[] = {SortKey::kTimestamp,  SortKey::kViews,    SortKey::kLikes,
                            SortKey::kEngagement, SortKey::kDuration, SortKey::kSize};

// The value a row sorts by; unknown durations sort as -1 (before every real duration).
double SortValue(const VideoRecord& v, SortKey k) {
  switch (k) {
    case SortKey::kTimestamp:
      return static_cast<double>(UnixMillis(v.uploaded_at));
    case SortKey::kViews:
      return static_cast<double>(v.views);
    case SortKey::kLikes:
      return static_cast<double>(v.likes);
    case SortKey::kEngagement:
      return Engagement(v);
    case SortKey::kDuration:
      return v.duration_seconds.value_or(-1.0);
    case SortKey::kSize:
      return static_cast<double>(v.size);
  }
  return 0;
}

// Ties on the sort value are broken by video_id in the same direction.
std::vector<std::string> ExpectedOrder(std::vector<VideoRecord> rows, SortKey k, bool desc) {
  std::sort(rows.begin(), rows.end(), [&](const VideoRecord& a, const VideoRecord& b) {
    auto ka = std::make_tuple(SortValue(a, k), a.video_id);
    auto kb = std::make_tuple(SortValue(b, k), b.video_id);
    return desc ? kb < ka : ka < kb;
  });
  std::vector<std::string> ids;
  for (auto& r : rows) ids.push_back(r.video_id);
  return ids;
}

}  // namespace

std::vector<std::string> CatalogContract::ListAllByCursor(ListQuery q, int64_t expected_total) {
  std::vector<std::string> ids;
  for (int pages = 0; pages < 1000; ++pages) {
    auto r = catalog().List(q);
    EXPECT_TRUE(r) << r.error().message;
    if (!r) break;
    const ListPage& page = r.value();
    EXPECT_EQ(page.total, expected_total);
    for (auto& v : page.videos) ids.push_back(v.video_id);
    if (!page.next_cursor) break;
    EXPECT_EQ(static_cast<int>(page.videos.size()), q.limit) << "only the last page is short";
    q.cursor = *page.next_cursor;
  }
  return ids;
}

// 57 rows with many ties on every sort key and ids that are not in insertion order.
std::vector<VideoRecord> CatalogContract::InsertListRows() {
  std::vector<VideoRecord> rows;
  const SysTime base = NowMillis() - std::chrono::hours(24 * 10);
  for (int i = 0; i < kRows; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "v%02d", (i * 23) % kRows);
    VideoRecord v = SampleVideo(id, base + std::chrono::seconds(i / 3));
    v.title = "Video number " + std::to_string(i);
    v.views = i % 4;
    v.likes = i % 3;
    v.size = (i % 5) * 1000;
    if (i % 6 == 0) {
      v.duration_seconds.reset();
    } else {
      v.duration_seconds = (i % 4) * 1.5;
    }
    v.status = static_cast<VideoStatus>(i % 4);
    MustInsert(v);
    rows.push_back(v);
  }
  return rows;
}

// A caller that kept renderings of some rows (ListQuery::known) gets only their heads, in the
// same order and with the same cursors; the other rows whole.
TEST_P(CatalogContract, KnownRowsComeBackAsHeadsOnly) {
  const std::vector<VideoRecord> rows = InsertListRows();
  ListQuery q;
  q.limit = 10;
  q.sort = SortKey::kViews;
  const std::vector<std::string> all = ListAllByCursor(q, kRows);
  std::vector<RowHead> asked;
  std::vector<std::string> ids;
  q.known = [&](const RowHead& head) {
    asked.push_back(RowHead{.video_id = {}, .row_version = head.row_version, .visibility = {}});
    return head.video_id.back() % 2 == 0;  // the even ids are "kept"
  };
  for (int pages = 0; pages < 100; ++pages) {
    auto page = catalog().List(q);
    ASSERT_TRUE(page) << page.error().message;
    for (const VideoRecord& v : page->videos) {
      ids.push_back(v.video_id);
      EXPECT_NE(v.row_version, 0) << v.video_id;
      EXPECT_EQ(v.visibility, "internal") << v.video_id;
      if (v.video_id.back() % 2 == 0) {
        EXPECT_EQ(v.title, "") << v.video_id;
        EXPECT_EQ(v.video_key, "") << v.video_id;
      } else {
        EXPECT_NE(v.title, "") << v.video_id;
        EXPECT_EQ(v.video_key, "videos/" + v.video_id + ".mp4");
      }
    }
    if (!page->next_cursor) break;
    q.cursor = *page->next_cursor;
  }
  EXPECT_EQ(ids, all);
  EXPECT_EQ(asked.size(), rows.size());  // each row asked about once, the look-ahead row not
}

// Both backends can tell: a listing's page is kept while ListVersion reads the same. (That it
// stays the same without writes is each backend's test: PostgreSQL's changes with any commit on
// the server, another test's too.)
TEST_P(CatalogContract, ListVersionChangesWithEveryWrite) {
  const SysTime t0 = SysTime(std::chrono::seconds(1'700'000'000));
  ASSERT_TRUE(catalog().Insert(SampleVideo("v1", t0)));
  std::string version = catalog().ListVersion();
  ASSERT_FALSE(version.empty());
  VideoEdit rename;
  rename.title = "renamed";
  const std::vector<std::pair<std::string, std::function<bool()>>> writes = {
      {"Insert", [&] { return bool(catalog().Insert(SampleVideo("v2", t0))); }},
      {"Edit", [&] { return bool(catalog().Edit("v1", rename)); }},
      {"IncrementViews", [&] { return bool(catalog().IncrementViews("v1")); }},
      {"Like", [&] { return bool(catalog().Like("v1", "u1")); }},
      {"Delete", [&] { return bool(catalog().Delete("v2")); }},
  };
  for (const auto& [name, write] : writes) {
    ASSERT_TRUE(write()) << name;
    const std::string now = catalog().ListVersion();
    EXPECT_NE(now, version) << name;
    version = now;
  }
}

TEST_P(CatalogContract, CursorPagesVisitEveryRowOnceInOrderForEveryKey) {
  const auto rows = InsertListRows();
  for (SortKey key : kAllKeys) {
    for (bool desc : {true, false}) {
      SCOPED_TRACE(std::string(ToString(key)) + (desc ? " desc" : " asc"));
      ListQuery q;
      q.limit = 10;
      q.sort = key;
      q.descending = desc;
      EXPECT_EQ(ListAllByCursor(q, kRows), ExpectedOrder(rows, key, desc));
    }
  }
}

TEST_P(CatalogContract, OffsetPagination) {
  const auto rows = InsertListRows();
  const auto want = ExpectedOrder(rows, SortKey::kViews, true);
  std::vector<std::string> got;
  ListQuery q;
  q.limit = 10;
  q.sort = SortKey::kViews;
  for (q.offset = 0; q.offset < kRows; q.offset += 10) {
    auto page_r = catalog().List(q);
    ASSERT_TRUE(page_r);
    auto& page = page_r.value();
    EXPECT_EQ(page.total, kRows);
    for (auto& v : page.videos) got.push_back(v.video_id);
    EXPECT_EQ(page.next_cursor.has_value(), q.offset + 10 < kRows);
  }
  EXPECT_EQ(got, want);
  q.offset = 1000;
  auto past_r = catalog().List(q);
  ASSERT_TRUE(past_r);
  auto& past = past_r.value();
  EXPECT_TRUE(past.videos.empty());
  EXPECT_FALSE(past.next_cursor);
  EXPECT_EQ(past.total, kRows);
}

TEST_P(CatalogContract, StatusFilterWithCursor) {
  const auto rows = InsertListRows();
  for (auto status : {VideoStatus::kUploaded, VideoStatus::kProcessed, VideoStatus::kFailed}) {
    std::vector<VideoRecord> subset;
    for (auto& r : rows) {
      if (r.status == status) subset.push_back(r);
    }
    ListQuery q;
    q.limit = 4;
    q.status = status;
    q.sort = SortKey::kEngagement;
    EXPECT_EQ(ListAllByCursor(q, static_cast<int64_t>(subset.size())),
              ExpectedOrder(subset, SortKey::kEngagement, true));
  }
}

TEST_P(CatalogContract, TitleSearchIsCaseInsensitiveAndLiteral) {
  const char* titles[] = {"50% off",     "500 off",   "a_b",       "axb",     "Hello World",
                          "HELLO there", "say hello", "100%_done", "nothing", "back\\slash"};
  int n = 0;
  for (const char* t : titles) {
    auto v = SampleVideo("t" + std::to_string(n++), NowMillis());
    v.title = t;
    v.status = n % 2 ? VideoStatus::kProcessed : VideoStatus::kFailed;
    MustInsert(v);
  }
  auto search = [&](std::string text, std::optional<VideoStatus> status = std::nullopt) {
    ListQuery q;
    q.title_query = std::move(text);
    q.status = status;
    q.sort = SortKey::kSize;  // all equal: order falls to video_id
    q.descending = false;
    auto r = catalog().List(q);
    EXPECT_TRUE(r);
    std::set<std::string> got;
    if (!r) return got;
    const ListPage& page = r.value();
    EXPECT_EQ(page.total, static_cast<int64_t>(page.videos.size()));
    for (auto& v : page.videos) got.insert(v.title);
    return got;
  };
  using S = std::set<std::string>;
  EXPECT_EQ(search("%"), (S{"50% off", "100%_done"}));
  EXPECT_EQ(search("_"), (S{"a_b", "100%_done"}));
  EXPECT_EQ(search("50%"), (S{"50% off"}));
  EXPECT_EQ(search("hello"), (S{"Hello World", "HELLO there", "say hello"}));
  EXPECT_EQ(search("hello", VideoStatus::kProcessed), (S{"Hello World", "say hello"}));
  EXPECT_EQ(search("\\"), (S{"back\\slash"}));
  EXPECT_EQ(search("zzz"), S{});
}

TEST_P(CatalogContract, RejectsBadLimitsAndCursors) {
  InsertListRows();
  for (int limit : {0, -1, 1001, 100000}) {
    ListQuery q;
    q.limit = limit;
    auto page = catalog().List(q);
    ASSERT_FALSE(page) << limit;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
  }
  ListQuery ok;
  ok.limit = 1000;  // the seed's largest page
  ASSERT_TRUE(catalog().List(ok));
  ok.limit = 1;
  auto first_r = catalog().List(ok);
  ASSERT_TRUE(first_r);
  auto& first = first_r.value();
  ASSERT_TRUE(first.next_cursor);

  for (const std::string& bad :
       std::vector<std::string>{"!!!", "not-a-cursor", "AAAA", "a", std::string(5000, 'A')}) {
    ListQuery q;
    q.cursor = bad;
    auto page = catalog().List(q);
    ASSERT_FALSE(page) << bad;
    EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
  }
  ListQuery other;  // a cursor from another sort order is not silently reinterpreted
  other.cursor = *first.next_cursor;
  other.sort = SortKey::kViews;
  auto mismatch = catalog().List(other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CatalogContract, EmptyCatalogListsNothing) {
  auto page_r = catalog().List(ListQuery{});
  ASSERT_TRUE(page_r);
  auto& page = page_r.value();
  EXPECT_TRUE(page.videos.empty());
  EXPECT_FALSE(page.next_cursor);
  EXPECT_EQ(page.total, 0);
}

// --- Audiences and owners -----------------------------------------------------------------------

namespace {

// Who asks, as identity sees it and as a ListQuery says it.
struct Viewer {
  std::string name;
  identity::Caller caller;
  Audience audience;
};

const Viewer kViewers[] = {
    {"anonymous", {}, Audience::kAnonymous},
    {"alice", {"alice", identity::Role::kUser}, Audience::kSignedIn},
    {"carol", {"carol", identity::Role::kUser}, Audience::kSignedIn},  // owns nothing
    {"moderator", {"mod", identity::Role::kModerator}, Audience::kEveryone},
};

bool ListedFor(const Viewer& who, const VideoRecord& v) {
  auto vis = identity::ParseVisibility(v.visibility);
  EXPECT_TRUE(vis) << v.visibility;
  return vis && identity::IsListedFor(who.caller, v.owner_id, *vis);
}

}  // namespace

// Each owner ("", alice, bob) has videos of every visibility, with ties on the upload time; no
// two visibilities are equally many, so a wrong rule shows in the totals too.
std::vector<VideoRecord> CatalogContract::InsertAccessRows() {
  static const char* const kOwners[] = {"", "alice", "bob"};
  static const char* const kVisibilities[] = {"public",   "unlisted", "private",
                                              "internal", "public",   "public"};
  std::vector<VideoRecord> rows;
  const SysTime base = NowMillis() - std::chrono::hours(24 * 5);
  for (int i = 0; i < 36; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "w%02d", (i * 7) % 36);
    VideoRecord v = SampleVideo(id, base + std::chrono::seconds(i / 2));
    v.owner_id = kOwners[i % 3];
    v.visibility = kVisibilities[(i / 3) % 6];
    v.views = i % 5;
    v.status = i % 2 ? VideoStatus::kProcessed : VideoStatus::kFailed;
    v.title = (i % 4 == 0 ? "Cat " : "Dog ") + std::to_string(i);
    MustInsert(v);
    rows.push_back(v);
  }
  return rows;
}

TEST_P(CatalogContract, AudiencesListWhatIdentityListsWithCursorsAndTotals) {
  const auto rows = InsertAccessRows();
  for (const Viewer& who : kViewers) {
    for (const std::string owner : {"", "alice", "bob"}) {
      std::vector<VideoRecord> want;
      for (const auto& r : rows) {
        if (ListedFor(who, r) && (owner.empty() || r.owner_id == owner)) want.push_back(r);
      }
      for (SortKey key : {SortKey::kTimestamp, SortKey::kViews}) {
        for (bool desc : {true, false}) {
          SCOPED_TRACE(who.name + " owner '" + owner + "' " + std::string(ToString(key)) +
                       (desc ? " desc" : " asc"));
          ListQuery q;
          q.limit = 4;
          q.sort = key;
          q.descending = desc;
          q.audience = who.audience;
          q.viewer_id = who.caller.user_id;
          q.owner_id = owner;
          EXPECT_EQ(ListAllByCursor(q, static_cast<int64_t>(want.size())),
                    ExpectedOrder(want, key, desc));
        }
      }
    }
  }
}

TEST_P(CatalogContract, AudiencesCombineWithStatusTitleAndOffset) {
  const auto rows = InsertAccessRows();
  const Viewer& alice = kViewers[1];
  std::vector<VideoRecord> want;
  for (const auto& r : rows) {
    if (ListedFor(alice, r) && r.status == VideoStatus::kProcessed && r.title.starts_with("Dog")) {
      want.push_back(r);
    }
  }
  ASSERT_GE(want.size(), 4u);
  ListQuery q;
  q.limit = 3;
  q.audience = Audience::kSignedIn;
  q.viewer_id = "alice";
  q.status = VideoStatus::kProcessed;
  q.title_query = "dog";
  EXPECT_EQ(ListAllByCursor(q, static_cast<int64_t>(want.size())),
            ExpectedOrder(want, SortKey::kTimestamp, true));
  q.offset = 2;
  auto page = catalog().List(q);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, static_cast<int64_t>(want.size()));
  ASSERT_EQ(page->videos.size(), 3u);
  EXPECT_EQ(page->videos[0].video_id, ExpectedOrder(want, SortKey::kTimestamp, true)[2]);
}

TEST_P(CatalogContract, AnUnlistedVideoIsListedOnlyForItsOwnerAndEveryone) {
  auto v = SampleVideo("hidden", NowMillis());
  v.owner_id = "alice";
  v.visibility = "unlisted";
  MustInsert(v);
  auto listed = [&](Audience a, std::string viewer, std::string owner = "") {
    ListQuery q;
    q.audience = a;
    q.viewer_id = std::move(viewer);
    q.owner_id = std::move(owner);
    auto page = catalog().List(q);
    EXPECT_TRUE(page) << page.error().message;
    if (!page) return false;
    EXPECT_EQ(page->total, static_cast<int64_t>(page->videos.size()));
    return page->videos.size() == 1 && page->videos[0].video_id == "hidden";
  };
  EXPECT_TRUE(listed(Audience::kEveryone, ""));
  EXPECT_TRUE(listed(Audience::kSignedIn, "alice"));
  EXPECT_TRUE(listed(Audience::kSignedIn, "alice", "alice"));
  EXPECT_FALSE(listed(Audience::kSignedIn, "bob"));
  EXPECT_FALSE(listed(Audience::kSignedIn, "bob", "alice"));
  EXPECT_FALSE(listed(Audience::kAnonymous, ""));
  EXPECT_FALSE(listed(Audience::kAnonymous, "", "alice"));
  // Its link still works: Get does not filter.
  EXPECT_TRUE(catalog().Get("hidden"));
}

TEST_P(CatalogContract, ASignedInAudienceNeedsItsViewer) {
  ListQuery q;
  q.audience = Audience::kSignedIn;
  auto page = catalog().List(q);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kInvalidArgument);
}

// The library's flag filter: a video is listed when its analysis summary has the code, whatever
// else it has; codes are matched whole and literally ("black" is not "black_start").
TEST_P(CatalogContract, FlagFilterListsVideosWithThatFlag) {
  auto with_flags = [&](const std::string& id, const std::string& flags) {
    VideoRecord v = SampleVideo(id, NowMillis());
    SetAnalysis(v,
                boost::json::parse(R"({"status":"complete","flags":)" + flags + "}").as_object());
    MustInsert(v);
  };
  with_flags("f1", R"(["too_quiet","black_start"])");
  with_flags("f2", R"(["black_start"])");
  with_flags("f3", R"(["black"])");
  with_flags("f4", "[]");
  VideoRecord plain;  // never analysed
  plain.video_id = "f5";
  plain.video_key = "videos/f5.mp4";
  MustInsert(plain);
  auto listed = [&](std::string flag, Audience audience = Audience::kEveryone) {
    ListQuery q;
    q.flag = std::move(flag);
    q.audience = audience;
    q.viewer_id = "someone";
    q.sort = SortKey::kSize;
    q.descending = false;
    auto r = catalog().List(q);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<std::string> ids;
    if (!r) return ids;
    EXPECT_EQ(r->total, static_cast<int64_t>(r->videos.size()));
    for (const auto& v : r->videos) ids.push_back(v.video_id);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(listed("black_start"), (V{"f1", "f2"}));
  EXPECT_EQ(listed("too_quiet"), (V{"f1"}));
  EXPECT_EQ(listed("black"), (V{"f3"}));
  EXPECT_EQ(listed("black_"), V{});
  EXPECT_EQ(listed("%"), V{});
  EXPECT_EQ(listed("black_start", Audience::kAnonymous), V{});  // the samples are internal
  EXPECT_EQ(listed("black_start", Audience::kSignedIn), (V{"f1", "f2"}));
  EXPECT_EQ(listed(""), (V{"f1", "f2", "f3", "f4", "f5"}));
  auto got = catalog().Get("f1");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->analysis_flags, ",too_quiet,black_start,");
  auto none = catalog().Get("f5");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->analysis_json, kNoAnalysisJson);
  EXPECT_EQ(none->analysis_flags, "");
}

}  // namespace kinora::catalog
