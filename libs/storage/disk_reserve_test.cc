#include "kinora/storage/disk_reserve.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

namespace kinora::storage {
namespace {

namespace fs = std::filesystem;

TEST(DiskReserve, ReadsTheFilesystemOfTheNearestExistingDirectory) {
  auto here = DiskUsageOf(fs::temp_directory_path());
  ASSERT_TRUE(here) << here.error().message;
  EXPECT_GT(here->total_bytes, 0u);
  EXPECT_LE(here->free_bytes, here->total_bytes);
  auto missing = DiskUsageOf(fs::temp_directory_path() / "kinora-no-such-dir" / "data");
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_EQ(missing->total_bytes, here->total_bytes);
}

TEST(DiskReserve, RefusesBelowTheReserveSayingHowMuchWithoutAPath) {
  const fs::path dir = fs::temp_directory_path();
  EXPECT_TRUE(DiskReserve(dir, 0).Check());  // off
  EXPECT_TRUE(DiskReserve(dir, 1).Check());
  EXPECT_GE(DiskReserve(dir, 1).FreeBytes(), 1.0);
  auto low = DiskReserve(dir, std::numeric_limits<uint64_t>::max()).Check();
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error().code, ErrorCode::kInsufficientStorage);
  EXPECT_NE(low.error().message.find("KINORA_MIN_FREE_BYTES"), std::string::npos);
  EXPECT_EQ(low.error().message.find(dir.string()), std::string::npos);
}

}  // namespace
}  // namespace kinora::storage
