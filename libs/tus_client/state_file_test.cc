#include "kinora/tus_client/state_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace kinora::tus {
namespace {

namespace fs = std::filesystem;

class StateFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kinora_tus_state_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

UploadKey Key(std::string path, uint64_t size = 10, int64_t mtime = 5) {
  return UploadKey{std::move(path), size, mtime, "http://a:1"};
}

TEST_F(StateFileTest, MissingFileHasNothing) {
  StateFile state(dir_ / "nested" / "uploads.json");
  auto found = state.Find(Key("/x.mp4"));
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  EXPECT_TRUE(state.Remove(Key("/x.mp4")));
}

TEST_F(StateFileTest, PutFindRemove) {
  StateFile state(dir_ / "nested" / "uploads.json");
  ASSERT_TRUE(state.Put(Key("/x.mp4"), "http://a:1/api/uploads/1"));
  ASSERT_TRUE(state.Put(Key("/y.mp4"), "http://a:1/api/uploads/2"));
  ASSERT_TRUE(state.Put(Key("/x.mp4"), "http://a:1/api/uploads/3"));  // replaces
  EXPECT_EQ(state.Find(Key("/x.mp4")).value(), "http://a:1/api/uploads/3");
  EXPECT_EQ(state.Find(Key("/y.mp4")).value(), "http://a:1/api/uploads/2");
  ASSERT_TRUE(state.Remove(Key("/x.mp4")));
  EXPECT_FALSE(state.Find(Key("/x.mp4")).value());
  EXPECT_EQ(state.Find(Key("/y.mp4")).value(), "http://a:1/api/uploads/2");
}

TEST_F(StateFileTest, EveryPartOfTheKeyCounts) {
  StateFile state(dir_ / "uploads.json");
  ASSERT_TRUE(state.Put(Key("/x.mp4", 10, 5), "u"));
  EXPECT_FALSE(state.Find(Key("/x.mp4", 11, 5)).value());  // the file grew
  EXPECT_FALSE(state.Find(Key("/x.mp4", 10, 6)).value());  // touched
  UploadKey other_server = Key("/x.mp4", 10, 5);
  other_server.server = "http://b:1";
  EXPECT_FALSE(state.Find(other_server).value());
  EXPECT_TRUE(state.Find(Key("/x.mp4", 10, 5)).value());
}

TEST_F(StateFileTest, MalformedFileIsAnErrorToReadAndReplacedOnWrite) {
  const fs::path file = dir_ / "uploads.json";
  std::ofstream(file) << "{not json";
  StateFile state(file);
  auto found = state.Find(Key("/x.mp4"));
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(state.Put(Key("/x.mp4"), "u"));
  EXPECT_EQ(state.Find(Key("/x.mp4")).value(), "u");
}

TEST_F(StateFileTest, KeyOfUsesTheAbsolutePathSizeAndMtime) {
  const fs::path file = dir_ / "clip.mp4";
  std::ofstream(file) << "12345";
  auto key = KeyOf(file, "http://a:1/");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->path, file.string());
  EXPECT_EQ(key->size, 5u);
  EXPECT_GT(key->mtime_ns, 0);
  EXPECT_EQ(key->server, "http://a:1");
  EXPECT_FALSE(KeyOf(dir_ / "missing.mp4", "http://a:1"));
  EXPECT_FALSE(KeyOf(dir_, "http://a:1"));  // a directory
}

TEST(DefaultStatePath, XdgStateHomeThenHome) {
  std::map<std::string, std::string> env;
  auto getenv = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  EXPECT_EQ(DefaultStatePath(getenv), fs::path());
  env["HOME"] = "/home/u";
  EXPECT_EQ(DefaultStatePath(getenv), fs::path("/home/u/.local/state/kinora/uploads.json"));
  env["XDG_STATE_HOME"] = "relative";  // the spec says to ignore relative paths
  EXPECT_EQ(DefaultStatePath(getenv), fs::path("/home/u/.local/state/kinora/uploads.json"));
  env["XDG_STATE_HOME"] = "/state";
  EXPECT_EQ(DefaultStatePath(getenv), fs::path("/state/kinora/uploads.json"));
}

}  // namespace
}  // namespace kinora::tus
