#include "kinora/audience/video_facts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kinora::audience {
namespace {

constexpr const char* kVideo = "4c1f0a52-3d0e-4c55-9b3e-2f7f0d3a9e11";

catalog::VideoEdit Visibility(std::string v) {
  catalog::VideoEdit e;
  e.visibility = std::move(v);
  return e;
}

class VideoFactsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_);
    auto cat = catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string());
    ASSERT_TRUE(cat) << cat.error().message;
    catalog_ = std::move(*cat);
  }
  void TearDown() override {
    catalog_.reset();
    std::filesystem::remove_all(dir_);
  }
  catalog::VideoRecord Video(std::string visibility) {
    catalog::VideoRecord v;
    v.video_id = kVideo;
    v.title = "t";
    v.owner_id = "owner-1";
    v.visibility = std::move(visibility);
    v.duration_seconds = 12.5;
    v.bucket = "local";
    v.video_key = std::string("videos/") + kVideo + ".mp4";
    return v;
  }

  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("kinora-video-facts-" + std::to_string(::getpid()));
  std::unique_ptr<catalog::Catalog> catalog_;
};

TEST_F(VideoFactsCacheTest, AnUnknownVideoIsNotRemembered) {
  VideoFactsCache cache(*catalog_, std::chrono::milliseconds(1000), 10);
  auto missing = cache.Get(kVideo, 0);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(catalog_->Insert(Video("public")));
  auto found = cache.Get(kVideo, 1);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->owner_id, "owner-1");
  EXPECT_EQ(found->visibility, "public");
  EXPECT_EQ(found->duration_ms, 12'500);
}

TEST_F(VideoFactsCacheTest, AChangeIsSeenOnceTheTtlHasPassed) {
  VideoFactsCache cache(*catalog_, std::chrono::milliseconds(1000), 10);
  ASSERT_TRUE(catalog_->Insert(Video("public")));
  ASSERT_TRUE(cache.Get(kVideo, 10'000));
  ASSERT_TRUE(catalog_->Edit(kVideo, Visibility("private")));
  EXPECT_EQ(cache.Get(kVideo, 10'999)->visibility, "public");
  EXPECT_EQ(cache.Get(kVideo, 11'000)->visibility, "private");
  // A clock that steps back does not keep an entry alive.
  ASSERT_TRUE(catalog_->Edit(kVideo, Visibility("unlisted")));
  EXPECT_EQ(cache.Get(kVideo, 5'000)->visibility, "unlisted");
}

}  // namespace
}  // namespace kinora::audience
