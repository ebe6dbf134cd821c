// Publishing a job's outputs, with every store call it makes failed in turn: whatever fails, the
// store holds afterwards exactly what it held before (a failed publish leaves no partial set).
#include "publish.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>

#include "kinora/core/ids.h"
#include "kinora/storage/fault_injection.h"
#include "kinora/storage/mem_store.h"
#include "kinora/videos/keys.h"

namespace kinora::processor {
namespace {

namespace fs = std::filesystem;
using storage::StoreOp;

std::vector<std::string> AllKeys(storage::ObjectStore& store) {
  std::vector<std::string> keys;
  for (const auto& o : store.List("", "", 1000).value().objects) keys.push_back(o.key);
  return keys;
}

class PublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = fs::temp_directory_path() / ("kinora-publish-test-" + NewUuid());
    for (const std::string& f : files_) {
      fs::create_directories((out_ / f).parent_path());
      std::ofstream(out_ / f) << "bytes of " << f;
    }
    // What the store holds before: the original, its mirror, and a rung an earlier run made.
    for (const std::string& key : {videos::OriginalKey(id_, "mp4"), videos::MetadataKey(id_),
                                   videos::OutputKey(id_, "hls/1080p/index.m3u8")}) {
      ASSERT_TRUE(storage::PutBytes(*mem_, key, "before"));
    }
    before_ = AllKeys(*mem_);
  }
  void TearDown() override { fs::remove_all(out_); }

  const std::string id_ = NewUuid();
  const std::vector<std::string> files_ = {
      "hls/master.m3u8", "hls/240p/index.m3u8", "hls/240p/seg_00001.m4s",
      "video.mp4",       "poster.jpg",          "thumbnail.jpg"};
  fs::path out_;
  std::unique_ptr<storage::ObjectStore> mem_ = storage::NewMemStore();
  storage::FaultInjectingStore store_{*mem_};
  std::vector<std::string> before_;
};

TEST_F(PublishTest, PublishesEveryFileAndRemovesWhatAnEarlierRunLeft) {
  auto p = Publish(store_, id_, out_, files_);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->keys.size(), files_.size());
  EXPECT_EQ(p->keys.back(), videos::ThumbnailKey(id_));  // the card goes last
  EXPECT_FALSE(mem_->Head(videos::OutputKey(id_, "hls/1080p/index.m3u8")));
  EXPECT_EQ(AllKeys(*mem_).size(), files_.size() + 2);  // + the original and its mirror
}

TEST_F(PublishTest, EveryFailurePointLeavesTheStoreAsItWas) {
  ASSERT_TRUE(Publish(store_, id_, out_, files_));  // counts the calls a publish makes
  std::vector<std::pair<StoreOp, int>> points;
  for (StoreOp op :
       {StoreOp::kBeginPut, StoreOp::kWrite, StoreOp::kCommit, StoreOp::kList, StoreOp::kDelete}) {
    points.emplace_back(op, store_.calls(op));
  }
  int failed = 0;
  for (auto [op, count] : points) {
    for (int nth = 0; nth < count; ++nth) {
      SCOPED_TRACE("op " + std::to_string(static_cast<int>(op)) + " call " + std::to_string(nth));
      // Back to the state before the first publish.
      for (const std::string& key : AllKeys(*mem_)) ASSERT_TRUE(mem_->Delete(key));
      for (const std::string& key : before_) ASSERT_TRUE(storage::PutBytes(*mem_, key, "before"));
      store_.Reset();
      store_.FailAt(op, nth);
      auto p = Publish(store_, id_, out_, files_);
      ASSERT_FALSE(p);
      EXPECT_EQ(p.error().code, ErrorCode::kUnavailable);
      std::vector<std::string> after = AllKeys(*mem_);
      // Nothing of this run stays; the stale rung stays only if the failure came before its
      // removal, which is harmless (the row never points at it).
      after.erase(
          std::remove(after.begin(), after.end(), videos::OutputKey(id_, "hls/1080p/index.m3u8")),
          after.end());
      std::vector<std::string> want = before_;
      want.erase(
          std::remove(want.begin(), want.end(), videos::OutputKey(id_, "hls/1080p/index.m3u8")),
          want.end());
      EXPECT_EQ(after, want);
      ++failed;
    }
  }
  EXPECT_GE(failed, 3 * static_cast<int>(files_.size()) + 2);
}

// The report's content summary becomes the video's analysis (and its flag filter column); a
// failed video forgets it again.
TEST(ApplyReport, MapsTheContentSummary) {
  media::TranscodeReport r;
  r.content.status = "incomplete";
  r.content.integrated_lufs = -31.0;
  r.content.scene_count = 4;
  r.content.flags = {"too_quiet", "frozen"};
  catalog::VideoRecord v;
  v.video_id = "0b6f0a52-8f5e-4a57-9a4f-2b1f4f0d9c11";
  ApplyReport(r, Published{}, v);
  const boost::json::object a = catalog::ToJson(v).at("analysis").as_object();
  EXPECT_EQ(a.at("status"), boost::json::value("incomplete"));
  EXPECT_EQ(a.at("integrated_lufs").to_number<double>(), -31.0);
  EXPECT_EQ(a.at("scene_count").to_number<int>(), 4);
  EXPECT_EQ(v.analysis_flags, ",too_quiet,frozen,");
  ClearOutputs(v);
  EXPECT_EQ(v.analysis_json, catalog::kNoAnalysisJson);
  EXPECT_EQ(v.analysis_flags, "");
}

// The catalog's "none" summary is the document media writes for an empty summary.
TEST(ApplyReport, TheCatalogsNoneSummaryIsMediasEmptySummary) {
  const boost::json::object none = media::ToJson(media::ContentSummary{});
  const boost::json::object stored = boost::json::parse(catalog::kNoAnalysisJson).as_object();
  ASSERT_EQ(none.size(), stored.size());
  for (const auto& [k, x] : none) {
    ASSERT_TRUE(stored.contains(k)) << k;
    const boost::json::value& y = stored.at(k);
    if (x.is_number() && y.is_number()) {
      EXPECT_EQ(x.to_number<double>(), y.to_number<double>()) << k;
    } else {
      EXPECT_EQ(x, y) << k;
    }
  }
}

}  // namespace
}  // namespace kinora::processor
