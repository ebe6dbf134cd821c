#include "kinora/core/file_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace kinora {
namespace {

namespace fs = std::filesystem;

class FileLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kinora-file-lock-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FileLockTest, AFileNobodyLocksIsNotHeld) {
  std::ofstream(dir_ / "left.part") << "x";
  EXPECT_FALSE(IsLockHeld(dir_ / "left.part"));
  EXPECT_FALSE(IsLockHeld(dir_ / "missing"));
}

TEST_F(FileLockTest, AHeldLockIsSeenFromThisProcessToo) {
  std::ofstream(dir_ / "live.part") << "x";
  auto lock = FileLock::Acquire(dir_ / "live.part");
  ASSERT_TRUE(lock) << lock.error().message;
  EXPECT_TRUE(IsLockHeld(dir_ / "live.part"));
  EXPECT_FALSE(FileLock::Acquire(dir_ / "live.part"));
  lock->Release();
  EXPECT_FALSE(IsLockHeld(dir_ / "live.part"));
}

TEST_F(FileLockTest, DirectoriesCanBeLocked) {
  fs::create_directories(dir_ / "scratch");
  {
    auto lock = FileLock::Acquire(dir_ / "scratch");
    ASSERT_TRUE(lock) << lock.error().message;
    EXPECT_TRUE(IsLockHeld(dir_ / "scratch"));
  }
  EXPECT_FALSE(IsLockHeld(dir_ / "scratch"));
}

TEST_F(FileLockTest, ADeadProcessLockIsReleased) {
  std::ofstream(dir_ / "child.part") << "x";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto lock = FileLock::Acquire(dir_ / "child.part");
    ::_exit(lock ? 0 : 1);  // dies holding it: the kernel releases it
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_FALSE(IsLockHeld(dir_ / "child.part"));
}

}  // namespace
}  // namespace kinora
