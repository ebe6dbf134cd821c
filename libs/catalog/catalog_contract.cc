// Contract: records (insert, get, update, delete, JSON) and counters.
#include "catalog_contract.h"

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

namespace kinora::catalog {

using std::chrono::hours;
using std::chrono::milliseconds;

void CatalogContract::SetUp() {
  auto c_r = GetParam().make();
  ASSERT_TRUE(c_r) << c_r.error().message;
  auto& c = c_r.value();
  catalog_ = std::move(c);
}

SysTime CatalogContract::NowMillis() {
  return std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
}

VideoRecord CatalogContract::SampleVideo(const std::string& id, SysTime uploaded_at) {
  VideoRecord v;
  v.video_id = id;
  v.title = "Sample " + id;
  v.description = "A video called " + id + " — with ünïcode";
  v.original_filename = "My Holiday " + id + ".MP4";
  v.file_extension = "mp4";
  v.content_type = "video/mp4";
  v.size = 12345678;
  v.bucket = "local";
  v.video_key = "videos/" + id + ".mp4";
  v.uploaded_at = uploaded_at;
  v.status = VideoStatus::kProcessed;
  v.progress = 1;
  v.duration_seconds = 3725.25;
  v.width = 1920;
  v.height = 1080;
  v.fps = 29.97;
  v.container = "mov,mp4,m4a,3gp,3g2,mj2";
  v.video_codec = "h264";
  v.audio_codec = "aac";
  v.bitrate = 4500000;
  v.renditions_json = R"([{"height":720,"bandwidth":3000000},{"height":360,"bandwidth":800000}])";
  v.thumbnail_key = "thumbnails/" + id + ".jpg";
  v.mp4_key = "processed/" + id + "/video.mp4";
  v.hls_key = "processed/" + id + "/hls/master.m3u8";
  v.processed_at = uploaded_at + std::chrono::seconds(42);
  v.processing_seconds = 41.5;
  v.processed_bytes = 9876543;
  v.correlation_id = "corr-" + id;
  v.owner_id = "user-" + id;
  v.visibility = "internal";
  v.media_generation = 2;
  SetAnalysis(v, boost::json::parse(R"({"status":"complete","integrated_lufs":-23.1,)"
                                    R"("true_peak_dbtp":-20,"scene_count":3,"black_seconds":2,)"
                                    R"("frozen_seconds":0,"silent_seconds":4,)"
                                    R"("flags":["black_start"]})")
                     .as_object());
  return v;
}

void CatalogContract::MustInsert(const VideoRecord& v) {
  auto r = catalog().Insert(v);
  ASSERT_TRUE(r) << v.video_id << ": " << r.error().message;
}

::testing::AssertionResult SameVideo(const VideoRecord& a, const VideoRecord& b) {
  auto ja = ToJson(a), jb = ToJson(b);
  if (ja == jb) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\n  " << boost::json::serialize(ja) << "\n  " << boost::json::serialize(jb);
}

TEST_P(CatalogContract, InsertThenGetReturnsEveryField) {
  auto v = SampleVideo("a1", NowMillis());
  MustInsert(v);
  auto got_r = catalog().Get("a1");
  ASSERT_TRUE(got_r) << got_r.error().message;
  auto& got = got_r.value();
  EXPECT_TRUE(SameVideo(got, v));
  EXPECT_EQ(got.renditions_json.empty(), false);

  // Optional fields round-trip as absent, too.
  VideoRecord bare;
  bare.video_id = "bare";
  bare.video_key = "videos/bare.webm";
  bare.uploaded_at = NowMillis();
  MustInsert(bare);
  auto got_bare_r = catalog().Get("bare");
  ASSERT_TRUE(got_bare_r);
  auto& got_bare = got_bare_r.value();
  EXPECT_TRUE(SameVideo(got_bare, bare));
  EXPECT_FALSE(got_bare.duration_seconds);
  EXPECT_FALSE(got_bare.processed_at);
  EXPECT_FALSE(got_bare.processing_seconds);
}

TEST_P(CatalogContract, InsertKeepsGivenCounters) {  // reindex restores counts this way
  auto v = SampleVideo("counted", NowMillis());
  v.views = 70;
  v.likes = 7;
  MustInsert(v);
  auto got_r = catalog().Get("counted");
  ASSERT_TRUE(got_r);
  auto& got = got_r.value();
  EXPECT_EQ(got.views, 70);
  EXPECT_EQ(got.likes, 7);
  auto next_r = catalog().IncrementViews("counted");
  ASSERT_TRUE(next_r);
  auto& next = next_r.value();
  EXPECT_EQ(next, 71);
}

TEST_P(CatalogContract, GetUnknownIsNotFound) {
  auto got = catalog().Get("nope");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogContract, DuplicateInsertIsAlreadyExists) {
  MustInsert(SampleVideo("dup", NowMillis()));
  auto again = catalog().Insert(SampleVideo("dup", NowMillis()));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(CatalogContract, UpdateReplacesFieldsButNotCounters) {
  auto v = SampleVideo("u1", NowMillis());
  v.status = VideoStatus::kUploaded;
  v.duration_seconds.reset();
  v.processed_at.reset();
  MustInsert(v);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(catalog().IncrementViews("u1"));
  ASSERT_TRUE(catalog().IncrementLikes("u1"));

  VideoRecord changed = SampleVideo("u1", v.uploaded_at - hours(1));
  changed.title = "Renamed";
  changed.status = VideoStatus::kFailed;
  changed.error = "decoder exploded";
  changed.thumbnail_key.clear();
  changed.processing_seconds.reset();
  changed.views = 1000;  // must be ignored
  changed.likes = 1000;
  ASSERT_TRUE(catalog().Update(changed));

  auto got_r = catalog().Get("u1");
  ASSERT_TRUE(got_r);
  auto& got = got_r.value();
  EXPECT_EQ(got.views, 3);
  EXPECT_EQ(got.likes, 1);
  EXPECT_EQ(got.title, v.title);  // Edit owns the title: Update leaves it alone
  changed.views = 3;
  changed.likes = 1;
  changed.title = v.title;
  EXPECT_TRUE(SameVideo(got, changed));

  // The stored engagement still follows the real counters: 1 like / 3 views.
  ListQuery q;
  q.sort = SortKey::kEngagement;
  auto page_r = catalog().List(q);
  ASSERT_TRUE(page_r);
  auto& page = page_r.value();
  ASSERT_EQ(page.videos.size(), 1u);
  EXPECT_DOUBLE_EQ(Engagement(page.videos[0]), 1.0 / 3.0);

  auto missing = catalog().Update(SampleVideo("ghost", NowMillis()));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogContract, DeleteRemovesRowAndCounters) {
  MustInsert(SampleVideo("d1", NowMillis()));
  MustInsert(SampleVideo("keep", NowMillis()));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(catalog().IncrementViews("d1"));
  ASSERT_TRUE(catalog().IncrementLikes("d1"));
  ASSERT_TRUE(catalog().IncrementViews("keep"));

  ASSERT_TRUE(catalog().Delete("d1"));
  auto got = catalog().Get("d1");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  auto again = catalog().Delete("d1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto inc = catalog().IncrementViews("d1");
  ASSERT_FALSE(inc);
  EXPECT_EQ(inc.error().code, ErrorCode::kNotFound);

  // Its daily counts went with it: only "keep"'s view remains.
  auto stats_r = catalog().Stats();
  ASSERT_TRUE(stats_r);
  auto& stats = stats_r.value();
  EXPECT_EQ(stats.total_videos, 1);
  EXPECT_EQ(stats.total_views, 1);
  ASSERT_EQ(stats.views_per_day.size(), 1u);
  EXPECT_EQ(stats.views_per_day[0].count, 1);
  EXPECT_TRUE(stats.likes_per_day.empty());

  // A new video under the same id starts from zero.
  MustInsert(SampleVideo("d1", NowMillis()));
  auto fresh_r = catalog().Get("d1");
  ASSERT_TRUE(fresh_r);
  auto& fresh = fresh_r.value();
  EXPECT_EQ(fresh.views, 0);
  EXPECT_EQ(fresh.likes, 0);
  auto after_r = catalog().Stats();
  ASSERT_TRUE(after_r);
  auto& after = after_r.value();
  ASSERT_EQ(after.views_per_day.size(), 1u);
  EXPECT_EQ(after.views_per_day[0].count, 1);
}

// A rendered video is reused while its row_version is the one it was rendered from, so every
// kind of write must change it, and a video deleted and inserted again must not repeat one.
TEST_P(CatalogContract, EveryWriteChangesTheRowVersion) {
  MustInsert(SampleVideo("rv", NowMillis()));
  std::vector<int64_t> seen;
  auto expect_new = [&](const char* after) {
    auto got = catalog().Get("rv");
    ASSERT_TRUE(got) << after;
    for (int64_t old : seen) EXPECT_NE(got->row_version, old) << after;
    seen.push_back(got->row_version);
  };
  expect_new("insert");
  auto v = catalog().Get("rv").value();
  v.progress = 0.5;
  ASSERT_TRUE(catalog().Update(v));
  expect_new("update");
  VideoEdit rename;
  rename.title = "Renamed";
  ASSERT_TRUE(catalog().Edit("rv", rename));
  expect_new("edit");
  ASSERT_TRUE(catalog().IncrementViews("rv"));
  expect_new("view");
  ASSERT_TRUE(catalog().IncrementLikes("rv"));
  expect_new("like count");
  ASSERT_TRUE(catalog().Like("rv", "someone"));
  expect_new("like");
  ASSERT_TRUE(catalog().Unlike("rv", "someone"));
  expect_new("unlike");
  // A read changes nothing.
  EXPECT_EQ(catalog().Get("rv")->row_version, seen.back());
  ASSERT_TRUE(catalog().Delete("rv"));
  MustInsert(SampleVideo("rv", NowMillis()));
  expect_new("delete and insert again");
  // Listing reads it too.
  ListQuery q;
  auto page = catalog().List(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->videos.size(), 1u);
  EXPECT_EQ(page->videos[0].row_version, seen.back());
}

TEST_P(CatalogContract, JsonRoundTripThroughCatalog) {
  auto v = SampleVideo("j1", NowMillis());
  v.views = 9;
  v.likes = 2;
  auto back_r = FromJson(ToJson(v));
  ASSERT_TRUE(back_r) << back_r.error().message;
  auto& back = back_r.value();
  EXPECT_TRUE(SameVideo(back, v));
  MustInsert(back);
  auto got_r = catalog().Get("j1");
  ASSERT_TRUE(got_r);
  auto& got = got_r.value();
  EXPECT_EQ(ToJson(got), ToJson(v));
}

TEST_P(CatalogContract, IncrementsReturnNewValuesAndCountToday) {
  MustInsert(SampleVideo("i1", NowMillis()));
  for (int64_t want = 1; want <= 3; ++want) {
    auto n_r = catalog().IncrementViews("i1");
    ASSERT_TRUE(n_r);
    auto& n = n_r.value();
    EXPECT_EQ(n, want);
  }
  auto likes_r = catalog().IncrementLikes("i1");
  ASSERT_TRUE(likes_r);
  auto& likes = likes_r.value();
  EXPECT_EQ(likes, 1);
  auto missing = catalog().IncrementLikes("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto stats_r = catalog().Stats();
  ASSERT_TRUE(stats_r);
  auto& stats = stats_r.value();
  const std::string today = FormatDay(std::chrono::system_clock::now());
  ASSERT_EQ(stats.views_per_day.size(), 1u);
  EXPECT_EQ(stats.views_per_day[0].day, today);
  EXPECT_EQ(stats.views_per_day[0].count, 3);
  ASSERT_EQ(stats.likes_per_day.size(), 1u);
  EXPECT_EQ(stats.likes_per_day[0].count, 1);
}

TEST_P(CatalogContract, ConcurrentIncrementsAreExact) {
  MustInsert(SampleVideo("hot", NowMillis()));
  MustInsert(SampleVideo("warm", NowMillis()));
  constexpr int kThreads = 16, kPerThread = 250;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!catalog().IncrementViews("hot")) ++failures;
        // Likes, reads and lists interleave with the writes.
        if (i % 25 == 0 && !catalog().IncrementLikes("warm")) ++failures;
        if (i % 50 == t % 50 && !catalog().Get("hot")) ++failures;
        if (i % 100 == 0 && !catalog().List(ListQuery{})) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto hot_r = catalog().Get("hot");
  ASSERT_TRUE(hot_r);
  auto& hot = hot_r.value();
  EXPECT_EQ(hot.views, kThreads * kPerThread);
  auto warm_r = catalog().Get("warm");
  ASSERT_TRUE(warm_r);
  auto& warm = warm_r.value();
  EXPECT_EQ(warm.likes, kThreads * (kPerThread / 25));
  auto stats_r = catalog().Stats();
  ASSERT_TRUE(stats_r);
  auto& stats = stats_r.value();
  ASSERT_EQ(stats.views_per_day.size(), 1u);
  EXPECT_EQ(stats.views_per_day[0].count, kThreads * kPerThread);
}

TEST_P(CatalogContract, PingAndDescribe) {
  EXPECT_TRUE(catalog().Ping());
  EXPECT_FALSE(catalog().Describe().empty());
}

}  // namespace kinora::catalog
