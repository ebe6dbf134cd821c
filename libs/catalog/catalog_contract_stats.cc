// Contract: Stats on an empty catalog and on a small data set whose answers are known, for the
// whole site and for the public and owner scopes.
#include <map>

#include "catalog_contract.h"

namespace kinora::catalog {

using std::chrono::hours;
using std::chrono::minutes;

TEST_P(CatalogContract, StatsOfEmptyCatalog) {
  auto st_r = catalog().Stats();
  ASSERT_TRUE(st_r) << st_r.error().message;
  auto& st = st_r.value();
  EXPECT_EQ(st.total_videos, 0);
  EXPECT_EQ(st.by_status,
            (std::map<std::string, int64_t>{
                {"UPLOADED", 0}, {"PROCESSING", 0}, {"PROCESSED", 0}, {"FAILED", 0}}));
  EXPECT_TRUE(st.by_format.empty());
  EXPECT_EQ(st.storage_bytes, 0);
  EXPECT_FALSE(st.processing_p50);
  EXPECT_FALSE(st.processing_p90);
  EXPECT_FALSE(st.processing_p99);
  EXPECT_TRUE(st.uploads_per_day.empty());
  EXPECT_TRUE(st.views_per_day.empty());
  EXPECT_TRUE(st.top_videos.empty());
  ASSERT_EQ(st.duration_histogram.size(), 6u);
  for (const auto& b : st.duration_histogram) EXPECT_EQ(b.count, 0);
}

// Durations on and around every bucket bound land in the right bucket, and the histogram follows
// updates and deletes. Unknown durations are not counted.
TEST_P(CatalogContract, StatsDurationHistogram) {
  const SysTime now = NowMillis();
  const std::vector<std::optional<double>> durations = {0.0,    29.99,   30.0,        119.9, 120.0,
                                                        299.0,  300.0,   899.5,       900.0, 3599.0,
                                                        3600.0, 86400.0, std::nullopt};
  for (size_t i = 0; i < durations.size(); ++i) {
    auto v = SampleVideo("d" + std::to_string(i), now);
    v.duration_seconds = durations[i];
    MustInsert(v);
  }
  auto counts = [&] {
    auto st = catalog().Stats();
    EXPECT_TRUE(st);
    std::vector<int64_t> c;
    for (const auto& b : st->duration_histogram) c.push_back(b.count);
    return c;
  };
  EXPECT_EQ(counts(), (std::vector<int64_t>{2, 2, 2, 2, 2, 2}));

  auto st = catalog().Stats();
  ASSERT_TRUE(st);
  ASSERT_EQ(st->duration_histogram.size(), 6u);
  EXPECT_EQ(st->duration_histogram[0].min_seconds, 0);
  EXPECT_EQ(st->duration_histogram[0].max_seconds, 30);
  EXPECT_EQ(st->duration_histogram[5].min_seconds, 3600);
  EXPECT_FALSE(st->duration_histogram[5].max_seconds);

  auto moved = SampleVideo("d0", now);  // 0 s → 10 min
  moved.duration_seconds = 600;
  ASSERT_TRUE(catalog().Update(moved));
  auto known = SampleVideo("d12", now);  // unknown → 45 s
  known.duration_seconds = 45;
  ASSERT_TRUE(catalog().Update(known));
  ASSERT_TRUE(catalog().Delete("d11"));  // one day long
  EXPECT_EQ(counts(), (std::vector<int64_t>{1, 3, 2, 3, 2, 1}));
}

TEST_P(CatalogContract, StatsOfKnownData) {
  const SysTime now = NowMillis();
  std::map<std::string, int64_t> uploads;  // day -> count, for the last 30 days
  const std::string oldest_day = FormatDay(now - hours(24 * 29));
  auto add = [&](const VideoRecord& v) {
    MustInsert(v);
    std::string day = FormatDay(v.uploaded_at);
    if (day >= oldest_day) ++uploads[day];
  };
  // Ten PROCESSED videos taking 1..10 s to process (inserted shuffled): p50 5, p90 9, p99 10.
  for (int i = 0; i < 10; ++i) {
    auto v = SampleVideo("p" + std::to_string(i), now - hours(24 * (i % 3)) - minutes(i));
    v.file_extension = i < 7 ? "mp4" : "mov";
    v.size = 1000 * (i + 1);
    v.processed_bytes = 100;
    v.duration_seconds = 10.5;
    v.processing_seconds = (i * 7) % 10 + 1;
    add(v);
  }
  auto failed = SampleVideo("failed", now - hours(24 * 40));  // outside the 30-day window
  failed.status = VideoStatus::kFailed;
  failed.file_extension = "avi";
  failed.size = 500;
  failed.processed_bytes = 0;
  failed.duration_seconds.reset();
  failed.processing_seconds = 1000;  // not PROCESSED: ignored by the percentiles
  add(failed);
  auto fresh = SampleVideo("fresh", now);
  fresh.status = VideoStatus::kUploaded;
  fresh.file_extension = "webm";
  fresh.size = 200;
  fresh.processed_bytes = 0;
  fresh.duration_seconds.reset();
  fresh.processing_seconds.reset();
  add(fresh);

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(catalog().IncrementViews("p0"));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(catalog().IncrementViews("p1"));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(catalog().IncrementViews("p2"));
  ASSERT_TRUE(catalog().IncrementLikes("p0"));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(catalog().IncrementLikes("fresh"));

  auto st_r = catalog().Stats();
  ASSERT_TRUE(st_r) << st_r.error().message;
  auto& st = st_r.value();
  EXPECT_EQ(st.total_videos, 12);
  EXPECT_EQ(st.by_status,
            (std::map<std::string, int64_t>{
                {"UPLOADED", 1}, {"PROCESSING", 0}, {"PROCESSED", 10}, {"FAILED", 1}}));
  EXPECT_EQ(st.by_format,
            (std::map<std::string, int64_t>{{"mp4", 7}, {"mov", 3}, {"avi", 1}, {"webm", 1}}));
  EXPECT_EQ(st.total_views, 7);
  EXPECT_EQ(st.total_likes, 3);
  EXPECT_EQ(st.storage_bytes, 55000 + 1000 + 500 + 200);
  EXPECT_DOUBLE_EQ(st.total_duration_seconds, 105.0);
  ASSERT_TRUE(st.processing_p50 && st.processing_p90 && st.processing_p99);
  EXPECT_DOUBLE_EQ(*st.processing_p50, 5);
  EXPECT_DOUBLE_EQ(*st.processing_p90, 9);
  EXPECT_DOUBLE_EQ(*st.processing_p99, 10);

  std::vector<DayCount> want_uploads;
  for (auto& [day, count] : uploads) want_uploads.push_back({day, count});
  ASSERT_EQ(st.uploads_per_day.size(), want_uploads.size());
  for (size_t i = 0; i < want_uploads.size(); ++i) {
    EXPECT_EQ(st.uploads_per_day[i].day, want_uploads[i].day);
    EXPECT_EQ(st.uploads_per_day[i].count, want_uploads[i].count);
  }
  const std::string today = FormatDay(std::chrono::system_clock::now());
  ASSERT_EQ(st.views_per_day.size(), 1u);
  EXPECT_EQ(st.views_per_day[0].day, today);
  EXPECT_EQ(st.views_per_day[0].count, 7);
  ASSERT_EQ(st.likes_per_day.size(), 1u);
  EXPECT_EQ(st.likes_per_day[0].count, 3);

  // Most viewed first; p1 and p2 tie on views and the more recent upload (p1) wins.
  ASSERT_EQ(st.top_videos.size(), 10u);
  EXPECT_EQ(st.top_videos[0].video_id, "p0");
  EXPECT_EQ(st.top_videos[1].video_id, "p1");
  EXPECT_EQ(st.top_videos[2].video_id, "p2");
  EXPECT_EQ(st.top_videos[3].video_id, "fresh");  // zero views, newest upload
  EXPECT_EQ(st.top_videos[0].views, 3);
}

TEST_P(CatalogContract, StatsFollowUpdatesAndDeletes) {
  const SysTime now = NowMillis();
  auto a = SampleVideo("a", now);
  a.status = VideoStatus::kUploaded;
  a.file_extension = "mov";
  a.size = 100;
  a.processed_bytes = 0;
  a.duration_seconds = 5;
  MustInsert(a);
  auto b = SampleVideo("b", now);
  b.size = 1000;
  b.processed_bytes = 10;
  b.duration_seconds = 7;
  MustInsert(b);
  ASSERT_TRUE(catalog().IncrementViews("b"));
  ASSERT_TRUE(catalog().IncrementLikes("b"));

  // The processor finishes "a": new status, format, sizes, duration and an older upload day.
  a.status = VideoStatus::kProcessed;
  a.file_extension = "mp4";
  a.size = 200;
  a.processed_bytes = 50;
  a.duration_seconds = 6;
  a.uploaded_at = now - hours(24 * 3);
  ASSERT_TRUE(catalog().Update(a));
  auto st_r = catalog().Stats();
  ASSERT_TRUE(st_r);
  const CatalogStats& st = st_r.value();
  EXPECT_EQ(st.by_status.at("UPLOADED"), 0);
  EXPECT_EQ(st.by_status.at("PROCESSED"), 2);
  EXPECT_EQ(st.by_format, (std::map<std::string, int64_t>{{"mp4", 2}}));
  EXPECT_EQ(st.storage_bytes, 200 + 50 + 1000 + 10);
  EXPECT_DOUBLE_EQ(st.total_duration_seconds, 13);
  EXPECT_EQ(st.total_views, 1);
  std::map<std::string, int64_t> uploads;
  for (auto& d : st.uploads_per_day) uploads[d.day] = d.count;
  std::map<std::string, int64_t> want{{FormatDay(now), 1}};
  ++want[FormatDay(a.uploaded_at)];
  EXPECT_EQ(uploads, want);

  ASSERT_TRUE(catalog().Delete("b"));
  auto after_r = catalog().Stats();
  ASSERT_TRUE(after_r);
  const CatalogStats& after = after_r.value();
  EXPECT_EQ(after.total_videos, 1);
  EXPECT_EQ(after.by_format, (std::map<std::string, int64_t>{{"mp4", 1}}));
  EXPECT_EQ(after.storage_bytes, 250);
  EXPECT_DOUBLE_EQ(after.total_duration_seconds, 6);
  EXPECT_EQ(after.total_views, 0);
  EXPECT_EQ(after.total_likes, 0);
  EXPECT_TRUE(after.views_per_day.empty());
  ASSERT_EQ(after.uploads_per_day.size(), 1u);
  EXPECT_EQ(after.uploads_per_day[0].day, FormatDay(a.uploaded_at));
  ASSERT_EQ(after.top_videos.size(), 1u);
  EXPECT_EQ(after.top_videos[0].video_id, "a");
}

// --- Scopes -------------------------------------------------------------------------------------

namespace {

std::vector<std::string> Ids(const std::vector<VideoRecord>& videos) {
  std::vector<std::string> ids;
  for (const auto& v : videos) ids.push_back(v.video_id);
  return ids;
}

std::map<std::string, int64_t> Series(const std::vector<DayCount>& days) {
  std::map<std::string, int64_t> out;
  for (const auto& d : days) {
    EXPECT_TRUE(out.empty() || out.rbegin()->first < d.day) << "oldest first, once per day";
    out[d.day] = d.count;
  }
  return out;
}

std::vector<int64_t> Histogram(const CatalogStats& st) {
  std::vector<int64_t> c;
  for (const auto& b : st.duration_histogram) c.push_back(b.count);
  return c;
}

}  // namespace

TEST_P(CatalogContract, StatsOfThePublicAndOfAnOwner) {
  const SysTime now = NowMillis();
  const std::string today = FormatDay(now);
  auto add = [&](const char* id, const char* owner, const char* visibility, VideoStatus status,
                 const char* ext, int64_t size, int64_t processed, std::optional<double> duration,
                 std::optional<double> processing, SysTime at) {
    auto v = SampleVideo(id, at);
    v.owner_id = owner;
    v.visibility = visibility;
    v.status = status;
    v.file_extension = ext;
    v.size = size;
    v.processed_bytes = processed;
    v.duration_seconds = duration;
    v.processing_seconds = processing;
    MustInsert(v);
  };
  const auto kProcessed = VideoStatus::kProcessed;
  add("a1", "alice", "public", kProcessed, "mp4", 1000, 100, 10, 2, now);
  add("a2", "alice", "private", VideoStatus::kFailed, "mov", 2000, 0, {}, {}, now - hours(48));
  add("a3", "alice", "public", kProcessed, "mp4", 500, 50, 4000, 6, now - hours(24 * 45));
  add("b1", "bob", "public", kProcessed, "mp4", 4000, 400, 100, 4, now - hours(24 * 40));
  add("b2", "bob", "unlisted", VideoStatus::kUploaded, "webm", 8000, 0, 1000, {}, now - hours(24));
  add("c1", "", "internal", kProcessed, "mkv", 16000, 1600, 200, 8, now);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(catalog().IncrementViews("a1"));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(catalog().IncrementViews("b1"));
  ASSERT_TRUE(catalog().IncrementViews("a2"));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(catalog().IncrementViews("b2"));
  ASSERT_TRUE(catalog().IncrementViews("c1"));
  ASSERT_TRUE(catalog().Like("a1", "u1"));
  ASSERT_TRUE(catalog().Like("a1", "u2"));
  ASSERT_TRUE(catalog().Like("b2", "u1"));
  ASSERT_TRUE(catalog().IncrementLikes("a2"));

  StatsScope pub;
  pub.kind = StatsScope::kPublic;
  auto p = catalog().Stats(pub);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->total_videos, 3);  // a1, a3, b1
  EXPECT_EQ(p->by_status,
            (std::map<std::string, int64_t>{
                {"UPLOADED", 0}, {"PROCESSING", 0}, {"PROCESSED", 3}, {"FAILED", 0}}));
  EXPECT_EQ(p->by_format, (std::map<std::string, int64_t>{{"mp4", 3}}));
  EXPECT_EQ(p->total_views, 5);
  EXPECT_EQ(p->total_likes, 2);
  EXPECT_EQ(p->storage_bytes, 1100 + 550 + 4400);
  EXPECT_DOUBLE_EQ(p->total_duration_seconds, 4110);
  ASSERT_TRUE(p->processing_p50 && p->processing_p90 && p->processing_p99);
  EXPECT_DOUBLE_EQ(*p->processing_p50, 4);  // of 2, 4, 6
  EXPECT_DOUBLE_EQ(*p->processing_p90, 6);
  EXPECT_DOUBLE_EQ(*p->processing_p99, 6);
  EXPECT_EQ(Series(p->uploads_per_day), (std::map<std::string, int64_t>{{today, 1}}));
  EXPECT_EQ(Series(p->views_per_day), (std::map<std::string, int64_t>{{today, 5}}));
  EXPECT_EQ(Series(p->likes_per_day), (std::map<std::string, int64_t>{{today, 2}}));
  EXPECT_EQ(Ids(p->top_videos), (std::vector<std::string>{"a1", "b1", "a3"}));
  EXPECT_EQ(Histogram(*p), (std::vector<int64_t>{1, 1, 0, 0, 0, 1}));

  StatsScope alice;
  alice.kind = StatsScope::kOwner;
  alice.owner_id = "alice";
  auto a = catalog().Stats(alice);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->total_videos, 3);  // a1, a2, a3: private ones too
  EXPECT_EQ(a->by_status,
            (std::map<std::string, int64_t>{
                {"UPLOADED", 0}, {"PROCESSING", 0}, {"PROCESSED", 2}, {"FAILED", 1}}));
  EXPECT_EQ(a->by_format, (std::map<std::string, int64_t>{{"mp4", 2}, {"mov", 1}}));
  EXPECT_EQ(a->total_views, 4);
  EXPECT_EQ(a->total_likes, 3);
  EXPECT_EQ(a->storage_bytes, 1100 + 2000 + 550);
  EXPECT_DOUBLE_EQ(a->total_duration_seconds, 4010);
  ASSERT_TRUE(a->processing_p50);
  EXPECT_DOUBLE_EQ(*a->processing_p50, 2);  // of 2, 6 (a2 failed)
  EXPECT_DOUBLE_EQ(*a->processing_p99, 6);
  EXPECT_EQ(Series(a->uploads_per_day),
            (std::map<std::string, int64_t>{{today, 1}, {FormatDay(now - hours(48)), 1}}));
  EXPECT_EQ(Series(a->views_per_day), (std::map<std::string, int64_t>{{today, 4}}));
  EXPECT_EQ(Series(a->likes_per_day), (std::map<std::string, int64_t>{{today, 3}}));
  EXPECT_EQ(Ids(a->top_videos), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(Histogram(*a), (std::vector<int64_t>{1, 0, 0, 0, 0, 1}));

  StatsScope nobody;
  nobody.kind = StatsScope::kOwner;
  nobody.owner_id = "carol";
  auto n = catalog().Stats(nobody);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->total_videos, 0);
  EXPECT_EQ(n->by_status.size(), 4u);
  EXPECT_TRUE(n->by_format.empty());
  EXPECT_FALSE(n->processing_p50);
  EXPECT_TRUE(n->views_per_day.empty());
  EXPECT_TRUE(n->top_videos.empty());
  EXPECT_EQ(Histogram(*n), (std::vector<int64_t>(6, 0)));

  // The site's stats still count everything.
  auto all = catalog().Stats(StatsScope{});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total_videos, 6);
  EXPECT_EQ(all->total_views, 12);
  EXPECT_EQ(all->total_likes, 4);

  StatsScope no_owner;
  no_owner.kind = StatsScope::kOwner;
  auto bad = catalog().Stats(no_owner);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// Computed from rows, a scope covering every video gives what the trigger-kept aggregates give.
TEST_P(CatalogContract, APublicScopeOfAnAllPublicSiteIsTheSitesStats) {
  auto rows = InsertListRows();
  for (size_t i = 0; i < rows.size(); ++i) {
    auto v = rows[i];
    v.processing_seconds = static_cast<double>((i * 7) % 13);
    v.uploaded_at = NowMillis() - hours(24 * static_cast<int64_t>(i % 35));
    ASSERT_TRUE(catalog().Update(v));
    VideoEdit e;
    e.visibility = "public";
    ASSERT_TRUE(catalog().Edit(v.video_id, e));
    if (i % 5 == 0) {
      ASSERT_TRUE(catalog().IncrementViews(v.video_id));
    }
    if (i % 7 == 0) {
      ASSERT_TRUE(catalog().Like(v.video_id, "u"));
    }
  }
  auto all_r = catalog().Stats();
  StatsScope pub;
  pub.kind = StatsScope::kPublic;
  auto pub_r = catalog().Stats(pub);
  ASSERT_TRUE(all_r && pub_r);
  const CatalogStats &all = *all_r, &p = *pub_r;
  EXPECT_EQ(p.total_videos, all.total_videos);
  EXPECT_EQ(p.by_status, all.by_status);
  EXPECT_EQ(p.by_format, all.by_format);
  EXPECT_EQ(p.total_views, all.total_views);
  EXPECT_EQ(p.total_likes, all.total_likes);
  EXPECT_EQ(p.storage_bytes, all.storage_bytes);
  EXPECT_DOUBLE_EQ(p.total_duration_seconds, all.total_duration_seconds);
  EXPECT_EQ(p.processing_p50, all.processing_p50);
  EXPECT_EQ(p.processing_p90, all.processing_p90);
  EXPECT_EQ(p.processing_p99, all.processing_p99);
  EXPECT_EQ(Series(p.uploads_per_day), Series(all.uploads_per_day));
  EXPECT_EQ(Series(p.views_per_day), Series(all.views_per_day));
  EXPECT_EQ(Series(p.likes_per_day), Series(all.likes_per_day));
  EXPECT_EQ(Ids(p.top_videos), Ids(all.top_videos));
  EXPECT_EQ(Histogram(p), Histogram(all));
  EXPECT_EQ(all.total_videos, static_cast<int64_t>(rows.size()));
  EXPECT_GT(all.uploads_per_day.size(), 20u);
}

}  // namespace kinora::catalog
