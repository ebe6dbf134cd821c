// Contract: Stats on an empty catalog and on a small data set whose answers are known.
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

}  // namespace kinora::catalog
