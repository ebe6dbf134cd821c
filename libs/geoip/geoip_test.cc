#include "kinora/geoip/geoip.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace kinora::geoip {
namespace {

namespace fs = std::filesystem;

class GeoIpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kinora-geoip-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Builds a database with tests/tools/make_mmdb.py (its default networks, or `networks`).
  std::string MakeDb(const std::string& networks = "") {
    const std::string path = (dir_ / "test.mmdb").string();
    const std::string cmd =
        std::string("python3 ") + KINORA_MAKE_MMDB + " '" + path + "' " + networks;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return path;
  }

  std::unique_ptr<GeoIpDb> OpenDb(const std::string& networks = "") {
    auto db = Open(MakeDb(networks));
    EXPECT_TRUE(db) << db.error().message;
    return db ? std::move(*db) : nullptr;
  }

  void WriteFile(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }

  fs::path dir_;
};

TEST_F(GeoIpTest, Ipv4Networks) {
  auto db = OpenDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->database_type(), "Kinora-Test-Country");
  EXPECT_EQ(db->CountryOf("192.0.2.1"), "DE");
  EXPECT_EQ(db->CountryOf("192.0.2.255"), "DE");
  EXPECT_EQ(db->CountryOf("198.51.100.7"), "FR");
  EXPECT_EQ(db->CountryOf("203.0.113.200"), "JP");
  EXPECT_EQ(db->CountryOf("203.0.113.5"), std::nullopt);  // the other half of the /24
  EXPECT_EQ(db->CountryOf("8.8.8.8"), std::nullopt);
}

TEST_F(GeoIpTest, Ipv6NetworksAndBrackets) {
  auto db = OpenDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->CountryOf("2001:db8::1"), "BR");
  EXPECT_EQ(db->CountryOf("2001:db8:0:ffff::1"), "BR");
  EXPECT_EQ(db->CountryOf("[2001:db8:1::5]"), "CA");
  EXPECT_EQ(db->CountryOf("2001:db8:2::1"), std::nullopt);
  EXPECT_EQ(db->CountryOf("::1"), "NZ");
}

TEST_F(GeoIpTest, V4MappedAddressesAreLookedUpAsIpv4) {
  auto db = OpenDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->CountryOf("::ffff:192.0.2.5"), "DE");
  EXPECT_EQ(db->CountryOf("[::ffff:198.51.100.1]"), "FR");
  EXPECT_EQ(db->CountryOf("::ffff:8.8.8.8"), std::nullopt);
}

TEST_F(GeoIpTest, WhatIsNotAnAddressHasNoCountry) {
  auto db = OpenDb();
  ASSERT_TRUE(db);
  for (const char* bad : {"", "localhost", "192.0.2", "192.0.2.1:80", "192.0.2.1 ", "[::1",
                          "fe80::1%eth0", "2001:db8::1::2", "999.1.1.1"}) {
    EXPECT_EQ(db->CountryOf(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(db->CountryOf(std::string(500, '1')), std::nullopt);
}

TEST_F(GeoIpTest, LongerPrefixesRefineShorterOnes) {
  auto db = OpenDb("10.0.0.0/8=US 10.1.0.0/16=DE 2001:db8::/32=FR 2001:db8:5::/48=JP");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->CountryOf("10.2.3.4"), "US");
  EXPECT_EQ(db->CountryOf("10.1.3.4"), "DE");
  EXPECT_EQ(db->CountryOf("2001:db8:4::1"), "FR");
  EXPECT_EQ(db->CountryOf("2001:db8:5::1"), "JP");
}

TEST_F(GeoIpTest, ConcurrentLookupsAgree) {
  auto db = OpenDb();
  ASSERT_TRUE(db);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (db->CountryOf("192.0.2.9") != "DE" || db->CountryOf("2001:db8:1::9") != "CA" ||
            db->CountryOf("8.8.4.4").has_value()) {
          ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(GeoIpTest, MissingFileIsNotFound) {
  auto db = Open((dir_ / "absent.mmdb").string());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kNotFound);
}

TEST_F(GeoIpTest, CorruptFilesAreInvalid) {
  WriteFile("text.mmdb", "this is not a MaxMind database at all\n");
  auto text = Open((dir_ / "text.mmdb").string());
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument) << text.error().message;

  WriteFile("empty.mmdb", "");
  EXPECT_FALSE(Open((dir_ / "empty.mmdb").string()));

  // A real database cut short: the metadata claims a tree the file does not hold.
  const std::string good = MakeDb();
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t marker = bytes.rfind("\xab\xcd\xefMaxMind.com");
  ASSERT_NE(marker, std::string::npos);
  WriteFile("cut.mmdb", bytes.substr(marker - 40));  // lose the tree, keep the metadata
  auto cut = Open((dir_ / "cut.mmdb").string());
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::kInvalidArgument) << cut.error().message;
}

}  // namespace
}  // namespace kinora::geoip
