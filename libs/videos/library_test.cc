// The library against a real SQLite catalog and the in-memory store, with faults injected into
// the store to show a half-done operation leaves nothing behind.
#include "kinora/videos/library.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <utility>

#include "kinora/core/ids.h"
#include "kinora/core/utf8.h"
#include "kinora/storage/fault_injection.h"
#include "kinora/storage/mem_store.h"
#include "kinora/videos/keys.h"

namespace kinora::videos {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> AllKeys(storage::ObjectStore& store) {
  std::vector<std::string> keys;
  for (const auto& o : store.List("", "", 1000).value().objects) keys.push_back(o.key);
  return keys;
}

class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kinora-library-test-" + NewUuid());
    fs::create_directories(dir_);
    catalog_ =
        std::move(catalog::OpenCatalog("sqlite://" + (dir_ / "catalog.db").string()).value());
    library_ = std::make_unique<Library>(*catalog_, store_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  catalog::VideoRecord Record() {
    catalog::VideoRecord v;
    v.video_id = NewUuid();
    v.title = "clip";
    v.file_extension = "mp4";
    v.video_key = OriginalKey(v.video_id, "mp4");
    v.uploaded_at = std::chrono::system_clock::now();
    return v;
  }

  fs::path dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::ObjectStore> mem_ = storage::NewMemStore();
  storage::FaultInjectingStore store_{*mem_};
  std::unique_ptr<Library> library_;
};

TEST_F(LibraryTest, CreateWritesRowAndMirrorThatReadsBack) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  EXPECT_TRUE(catalog_->Get(v.video_id));
  auto back = library_->ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->title, "clip");
  EXPECT_EQ(back->video_key, v.video_key);
  auto again = library_->Create(v);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

// The mirror carries the seed's fields in the seed's types, so the seed's services read it.
TEST_F(LibraryTest, MirrorCarriesTheSeedsFieldsAndTypes) {
  catalog::VideoRecord v = Record();
  v.original_filename = "Holiday.mp4";
  v.video_codec = "h264";
  v.size = 2048;
  v.duration_seconds = 65.4;
  v.status = catalog::VideoStatus::kProcessed;
  v.thumbnail_key = ThumbnailKey(v.video_id);
  ASSERT_TRUE(library_->Create(v));
  const std::string text = storage::GetBytes(store_, MetadataKey(v.video_id), 1 << 20).value();
  const boost::json::object o = boost::json::parse(text).as_object();
  for (const char* f : {"video_id", "filename", "original_filename", "file_extension",
                        "content_type", "s3_bucket", "s3_key", "s3_video_key", "status"}) {
    EXPECT_TRUE(o.at(f).is_string()) << f;
  }
  for (const char* f :
       {"size", "file_size", "timestamp", "upload_timestamp", "runtime", "views", "likes"}) {
    EXPECT_TRUE(o.at(f).is_int64()) << f;
  }
  EXPECT_TRUE(o.at("engagement").is_number());
  EXPECT_EQ(o.at("filename").as_string(), "Holiday.mp4");
  EXPECT_EQ(o.at("runtime").as_int64(), 65);
  EXPECT_EQ(o.at("timestamp").as_int64(),
            std::chrono::floor<std::chrono::seconds>(v.uploaded_at.time_since_epoch()).count());
  EXPECT_EQ(o.at("processed_url").as_string(), v.video_key);  // an H.264 MP4 plays as it is
  EXPECT_EQ(o.at("thumbnail_url").as_string(), v.thumbnail_key);
  auto back = library_->ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->original_filename, "Holiday.mp4");
  EXPECT_EQ(back->duration_seconds, 65.4);
  EXPECT_EQ(UnixMillis(back->uploaded_at), UnixMillis(v.uploaded_at));
}

TEST_F(LibraryTest, CreateLeavesNothingWhenTheMirrorCannotBeWritten) {
  catalog::VideoRecord v = Record();
  store_.FailAt(storage::StoreOp::kCommit, 0);
  ASSERT_FALSE(library_->Create(v));
  EXPECT_EQ(catalog_->Get(v.video_id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(AllKeys(*mem_).empty());
}

TEST_F(LibraryTest, SaveUpdatesRowAndMirrorButNotAMissingRow) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  v.thumbnail_key = ThumbnailKey(v.video_id);  // a field Update writes (the title is Edit's)
  ASSERT_TRUE(library_->Save(v));
  EXPECT_EQ(catalog_->Get(v.video_id)->thumbnail_key, v.thumbnail_key);
  EXPECT_EQ(library_->ReadMirror(MetadataKey(v.video_id))->thumbnail_key, v.thumbnail_key);
  catalog::VideoRecord gone = Record();
  auto r = library_->Save(gone);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(mem_->Head(MetadataKey(gone.video_id)));
}

TEST_F(LibraryTest, DeleteRemovesTheVideoEverywhereAndOnlyIt) {
  catalog::VideoRecord v = Record(), other = Record();
  for (const auto* r : {&v, &other}) {
    ASSERT_TRUE(library_->Create(*r));
    ASSERT_TRUE(storage::PutBytes(store_, r->video_key, "original"));
    ASSERT_TRUE(storage::PutBytes(store_, ThumbnailKey(r->video_id), "jpg"));
    ASSERT_TRUE(storage::PutBytes(store_, OutputKey(r->video_id, "hls/master.m3u8"), "#EXTM3U"));
  }
  auto deleted = library_->Delete(v.video_id);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(deleted->video_id, v.video_id);
  EXPECT_EQ(catalog_->Get(v.video_id).error().code, ErrorCode::kNotFound);
  for (const std::string& key : AllKeys(*mem_)) {
    EXPECT_EQ(key.find(v.video_id), std::string::npos) << key;
  }
  EXPECT_EQ(AllKeys(*mem_).size(), 4u);  // the other video's four objects
  EXPECT_EQ(library_->Delete(v.video_id).error().code, ErrorCode::kNotFound);
}

TEST_F(LibraryTest, DeleteOutputsKeepsRowAndOriginal) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  ASSERT_TRUE(storage::PutBytes(store_, v.video_key, "original"));
  ASSERT_TRUE(storage::PutBytes(store_, ThumbnailKey(v.video_id), "jpg"));
  ASSERT_TRUE(storage::PutBytes(store_, OutputKey(v.video_id, "video.mp4"), "mp4"));
  ASSERT_TRUE(library_->DeleteOutputs(v.video_id));
  EXPECT_EQ(AllKeys(*mem_), (std::vector<std::string>{MetadataKey(v.video_id), v.video_key}));
  EXPECT_TRUE(catalog_->Get(v.video_id));
}

TEST_F(LibraryTest, ReadMirrorRefusesDocumentsOfAnotherVideo) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  const std::string stolen = MetadataKey(NewUuid());
  ASSERT_TRUE(storage::PutBytes(store_, stolen,
                                storage::GetBytes(store_, MetadataKey(v.video_id)).value()));
  EXPECT_EQ(library_->ReadMirror(stolen).error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(storage::PutBytes(store_, MetadataKey(v.video_id), "[1]"));
  EXPECT_EQ(library_->ReadMirror(MetadataKey(v.video_id)).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(library_->ReadMirror("videos/x.mp4").error().code, ErrorCode::kInvalidArgument);
}

// A mirror written before text was checked (raw invalid UTF-8 in the title) is still read —
// the video is kept, the unreadable bytes become U+FFFD — and mirrors written now are valid.
TEST_F(LibraryTest, ReadMirrorKeepsAVideoWhoseMirrorHoldsInvalidUtf8) {
  catalog::VideoRecord v = Record();
  v.title = "bad \xFF\xC0\xAF title";
  ASSERT_TRUE(library_->Create(v));
  const std::string written = storage::GetBytes(store_, MetadataKey(v.video_id)).value();
  EXPECT_TRUE(IsValidUtf8(written));
  std::string raw = written;
  const std::string fixed = "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD title";
  raw.replace(raw.find(fixed), fixed.size(), v.title);  // as an old writer left it
  ASSERT_FALSE(IsValidUtf8(raw));
  ASSERT_TRUE(storage::PutBytes(store_, MetadataKey(v.video_id), raw));
  auto back = library_->ReadMirror(MetadataKey(v.video_id));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->video_id, v.video_id);
  EXPECT_EQ(back->title, fixed);
}

// Runs `hook` once, just before the put of `key` begins: a deterministic interleaving.
class HookStore final : public storage::ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  std::string key;
  std::function<void()> hook;
  Result<std::unique_ptr<storage::ObjectWriter>> BeginPut(std::string_view k,
                                                          std::string_view type) override {
    if (k == key && hook) std::exchange(hook, nullptr)();
    return target().BeginPut(k, type);
  }
};

// The processor's last Save writes the row, then the mirror; a DELETE landing between the two
// used to leave metadata/{id}.json behind (and reindex brought the video back).
TEST_F(LibraryTest, ADeleteBetweenTheRowAndTheMirrorWins) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  ASSERT_TRUE(storage::PutBytes(store_, v.video_key, "original"));
  HookStore hooked(store_);
  hooked.key = MetadataKey(v.video_id);
  hooked.hook = [&] { ASSERT_TRUE(library_->Delete(v.video_id)); };
  v.status = catalog::VideoStatus::kProcessed;
  auto saved = Library(*catalog_, hooked).Save(v);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(AllKeys(*mem_).empty());
  EXPECT_TRUE(catalog_->WasDeleted(v.video_id).value());
}

TEST_F(LibraryTest, DeleteRemovesTheMirrorLast) {
  catalog::VideoRecord v = Record();
  ASSERT_TRUE(library_->Create(v));
  ASSERT_TRUE(storage::PutBytes(store_, v.video_key, "original"));
  ASSERT_TRUE(storage::PutBytes(store_, OutputKey(v.video_id, "video.mp4"), "mp4"));
  store_.Reset();
  store_.FailAt(storage::StoreOp::kDelete, 2);  // original and card went; the outputs do not
  EXPECT_FALSE(library_->Delete(v.video_id));
  EXPECT_TRUE(mem_->Head(MetadataKey(v.video_id)));  // still there for the reconciler to finish
  EXPECT_TRUE(catalog_->WasDeleted(v.video_id).value());
}

TEST_F(LibraryTest, CreateWithAJobPutsItInTheOutbox) {
  catalog::VideoRecord v = Record();
  auto entry = library_->Create(v, "job");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_TRUE(catalog_->HasPendingJob(v.video_id).value());
  EXPECT_TRUE(mem_->Head(MetadataKey(v.video_id)));
  catalog::VideoRecord w = Record();
  store_.Reset();
  store_.FailAt(storage::StoreOp::kCommit, 0);
  ASSERT_FALSE(library_->Create(w, "job"));
  EXPECT_EQ(catalog_->Get(w.video_id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(catalog_->HasPendingJob(w.video_id).value());
}

}  // namespace
}  // namespace kinora::videos
