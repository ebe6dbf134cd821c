#include "kinora/storage/local_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kinora/core/file_lock.h"
#include "kinora/storage/object_store_contract.h"

namespace kinora::storage {
namespace {

namespace fs = std::filesystem;

fs::path FreshDir(std::string_view tag) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::path(::testing::TempDir()) /
                 ("kinora-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter++));
  fs::remove_all(dir);
  return dir;
}

testing::StoreInstance MakeLocal() {
  fs::path dir = FreshDir("store");
  auto store = NewLocalStore(dir);
  EXPECT_TRUE(store) << store.error().message;
  return {store ? std::move(*store) : nullptr, [dir] { fs::remove_all(dir); }};
}

using testing::ObjectStoreContract;
INSTANTIATE_TEST_SUITE_P(Local, ObjectStoreContract,
                         ::testing::Values(testing::ObjectStoreBackend{"local", MakeLocal}),
                         testing::ObjectStoreBackendName);

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = FreshDir("local");
    auto s = NewLocalStore(root_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }
  size_t TmpEntries() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(root_ / ".tmp"), fs::directory_iterator()));
  }

  fs::path root_;
  std::unique_ptr<ObjectStore> store_;
};

void Touch(const fs::path& p) { std::ofstream(p) << "partial"; }

TEST_F(LocalStoreTest, StaleTempFilesAreCleanedAtOpen) {
  store_.reset();
  fs::path tmp = root_ / ".tmp";
  Touch(tmp / "999999999-dead-writer.part");
  Touch(tmp / "not-a-temp-name");
  fs::path live = tmp / (std::to_string(::getpid()) + "-live.part");  // another open store's
  Touch(live);
  auto live_lock = FileLock::Acquire(live);
  ASSERT_TRUE(live_lock);

  auto s = NewLocalStore(root_);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(fs::exists(tmp / "999999999-dead-writer.part"));
  EXPECT_FALSE(fs::exists(tmp / "not-a-temp-name"));
  EXPECT_TRUE(fs::exists(live));
  auto page = (*s)->List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->objects.empty());
}

// In a container the restarted server is PID 1 again, like the one that crashed: a leftover
// named for our own pid but locked by nobody is a dead writer's and must go.
TEST_F(LocalStoreTest, LeftoverNamedForOurOwnPidWithoutALockIsCleaned) {
  store_.reset();
  fs::path leftover = root_ / ".tmp" / (std::to_string(::getpid()) + "-crashed.part");
  Touch(leftover);
  auto s = NewLocalStore(root_);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(fs::exists(leftover));
}

TEST_F(LocalStoreTest, AnOpenWriterSurvivesAnotherStoreOpening) {
  auto w = store_->BeginPut("videos/a.mp4", "");
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->Write(std::span<const char>("abc", 3)));
  auto other = NewLocalStore(root_);  // a second process starting on the same directory
  ASSERT_TRUE(other);
  EXPECT_EQ(TmpEntries(), 1u);
  ASSERT_TRUE((*w)->Commit());
  EXPECT_TRUE(fs::is_regular_file(root_ / "videos" / "a.mp4"));
}

TEST_F(LocalStoreTest, UncommittedWriterLeavesTmpEmpty) {
  {
    auto w = store_->BeginPut("videos/a.mp4", "");
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(std::span<const char>("abc", 3)));
    EXPECT_EQ(TmpEntries(), 1u);
  }
  EXPECT_EQ(TmpEntries(), 0u);
  ASSERT_TRUE(PutBytes(*store_, "videos/b.mp4", "abc"));
  EXPECT_EQ(TmpEntries(), 0u);
  EXPECT_TRUE(fs::is_regular_file(root_ / "videos" / "b.mp4"));
}

std::string Content(int t, int i) {
  return std::string(static_cast<size_t>(1000 + 37 * i), static_cast<char>('a' + t)) +
         std::to_string(i);
}

TEST_F(LocalStoreTest, ConcurrentWritersOfDifferentKeysAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string own = "c/t" + std::to_string(t) + "/k" + std::to_string(i) + ".bin";
        std::string shared = "c/shared/t" + std::to_string(t) + "-" + std::to_string(i);
        if (!PutBytes(*store_, own, Content(t, i))) ++failures;
        if (!PutBytes(*store_, shared, Content(t, i))) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string own = "c/t" + std::to_string(t) + "/k" + std::to_string(i) + ".bin";
      std::string shared = "c/shared/t" + std::to_string(t) + "-" + std::to_string(i);
      EXPECT_EQ(GetBytes(*store_, own).value(), Content(t, i));
      EXPECT_EQ(GetBytes(*store_, shared).value(), Content(t, i));
    }
  }
  auto page = store_->List("c/shared/", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->objects.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(TmpEntries(), 0u);
}

// Delete removes empty parents while other threads put into them: puts must still land.
TEST_F(LocalStoreTest, ConcurrentPutAndDeleteSharingParents) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        std::string key = "race/a/b/t" + std::to_string(t) + "-" + std::to_string(i);
        auto put = PutBytes(*store_, key, "x");
        if (!put) ADD_FAILURE() << put.error().message;
        auto head = store_->Head(key);
        if (!head || !store_->Delete(key)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_FALSE(fs::exists(root_ / "race"));
}

TEST_F(LocalStoreTest, DeleteRemovesEmptyDirectoriesOnly) {
  ASSERT_TRUE(PutBytes(*store_, "a/b/c/d.txt", "x"));
  ASSERT_TRUE(store_->Delete("a/b/c/d.txt"));
  EXPECT_FALSE(fs::exists(root_ / "a"));
  ASSERT_TRUE(PutBytes(*store_, "a/b/1", "x"));
  ASSERT_TRUE(PutBytes(*store_, "a/2", "x"));
  ASSERT_TRUE(store_->Delete("a/b/1"));
  EXPECT_FALSE(fs::exists(root_ / "a" / "b"));
  EXPECT_TRUE(fs::exists(root_ / "a" / "2"));
  EXPECT_TRUE(fs::exists(root_ / ".tmp"));
}

TEST_F(LocalStoreTest, KeyAndDirectoryCannotShareAName) {
  ASSERT_TRUE(PutBytes(*store_, "x/y", "child"));
  auto file_over_dir = PutBytes(*store_, "x", "parent");
  ASSERT_FALSE(file_over_dir);
  EXPECT_EQ(file_over_dir.error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(PutBytes(*store_, "f", "file"));
  auto dir_over_file = PutBytes(*store_, "f/g", "child");
  ASSERT_FALSE(dir_over_file);
  EXPECT_EQ(dir_over_file.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->Head("x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Get("x", std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Head("f/g").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->Delete("x"));  // nothing there; "x/y" survives
  EXPECT_EQ(GetBytes(*store_, "x/y").value(), "child");
  EXPECT_EQ(TmpEntries(), 0u);
}

TEST_F(LocalStoreTest, TmpNameIsReserved) {
  for (const char* key : {".tmp", ".tmp/x"}) {
    auto r = store_->BeginPut(key, "");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(PutBytes(*store_, ".tmpx/a", "ok"));  // only the exact name is reserved
  EXPECT_TRUE(PutBytes(*store_, "a/.tmp/b", "ok"));
  auto page = store_->List("", "", 1000);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->objects.size(), 2u);
}

TEST_F(LocalStoreTest, ContentTypeComesFromTheExtension) {
  auto w = store_->BeginPut("blob.bin", "video/mp4");
  ASSERT_TRUE(w);
  auto info = (*w)->Commit();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->content_type, "application/octet-stream");
  EXPECT_EQ(store_->Head("blob.bin")->content_type, "application/octet-stream");
}

TEST_F(LocalStoreTest, PingAndDescribe) {
  EXPECT_TRUE(store_->Ping());
  EXPECT_NE(store_->Describe().find(root_.string()), std::string::npos);
  fs::remove_all(root_);
  EXPECT_FALSE(store_->Ping());
}

TEST_F(LocalStoreTest, HasNoDirectUrlsTheGatewayServesFiles) {
  ASSERT_TRUE(PutBytes(*store_, "thumbnails/t.jpg", "x"));
  EXPECT_EQ(store_->PresignedGet("thumbnails/t.jpg", std::chrono::seconds(60)), "");
  EXPECT_EQ(store_->PresignedOrigin(), std::nullopt);  // nothing for the CSP to allow
}

TEST_F(LocalStoreTest, OpenObjectStoreFileUrl) {
  auto s = OpenObjectStore("file://" + root_.string());
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(PutBytes(*store_, "videos/u.mp4", "via url"));
  EXPECT_EQ(GetBytes(**s, "videos/u.mp4").value(), "via url");
  auto small = GetBytes(**s, "videos/u.mp4", 3);
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().code, ErrorCode::kTooLarge);
}

// A listing in pages walks the directory once (the later pages come from that walk): a key
// deleted between pages is skipped, and a listing resumed from any other key, or of another
// prefix meanwhile, is as correct as a fresh one.
TEST_F(LocalStoreTest, PagesAfterTheFirstSkipWhatWasDeletedSince) {
  for (int i = 0; i < 30; ++i) {
    char key[32];
    std::snprintf(key, sizeof key, "m/k%02d.json", i);
    ASSERT_TRUE(PutBytes(*store_, key, "{}"));
  }
  ASSERT_TRUE(PutBytes(*store_, "v/a.mp4", "x"));
  auto first = store_->List("m/", "", 10);
  ASSERT_TRUE(first && first->next);
  EXPECT_EQ(*first->next, "m/k09.json");
  ASSERT_TRUE(store_->Delete("m/k12.json"));
  auto other = store_->List("v/", "", 10);  // another listing in between
  ASSERT_TRUE(other);
  EXPECT_EQ(other->objects.size(), 1u);
  std::vector<std::string> got;
  std::optional<std::string> after = first->next;
  while (after) {
    auto page = store_->List("m/", *after, 10);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& o : page->objects) got.push_back(o.key);
    after = page->next;
  }
  ASSERT_EQ(got.size(), 19u);
  EXPECT_EQ(got.front(), "m/k10.json");
  EXPECT_EQ(got[2], "m/k13.json");
  EXPECT_EQ(got.back(), "m/k29.json");

  auto again = store_->List("m/", "", 10);  // from the start: a new walk
  ASSERT_TRUE(again && again->next);
  auto second = store_->List("m/", *again->next, 10);
  ASSERT_TRUE(second);
  ASSERT_TRUE(PutBytes(*store_, "m/k12.json", "{}"));
  auto resumed = store_->List("m/", "m/k11.json", 10);  // not where the last page ended
  ASSERT_TRUE(resumed);
  ASSERT_FALSE(resumed->objects.empty());
  EXPECT_EQ(resumed->objects.front().key, "m/k12.json");
}

}  // namespace
}  // namespace kinora::storage
