#include "kinora/audience/schema.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "kinora/sqlite/db.h"

namespace kinora::audience {
namespace {

// table -> its columns in order, read from CREATE TABLE statements.
std::map<std::string, std::vector<std::string>> TablesOf(std::string_view ddl) {
  std::map<std::string, std::vector<std::string>> out;
  const std::regex table(R"(CREATE TABLE (\w+) \(([^;]*)\))");
  const std::regex column(R"(^\s+(\w+)\s+(TEXT|INTEGER|BIGINT))");
  const std::string text(ddl);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), table);
       it != std::sregex_iterator(); ++it) {
    auto& cols = out[(*it)[1]];
    const std::string body = (*it)[2];
    size_t pos = 0;
    while (pos < body.size()) {
      size_t end = body.find('\n', pos);
      if (end == std::string::npos) end = body.size();
      std::smatch m;
      const std::string line = body.substr(pos, end - pos);
      if (std::regex_search(line, m, column)) cols.push_back(m[1]);
      pos = end + 1;
    }
  }
  return out;
}

std::set<std::string> IndexesOf(std::string_view ddl) {
  std::set<std::string> out;
  const std::regex index(R"(CREATE INDEX (\w+ ON \w+ \([^)]*\)))");
  const std::string text(ddl);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), index);
       it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

TEST(AudienceSchema, BothBackendsHaveTheSameTablesColumnsAndIndexes) {
  ASSERT_EQ(SqliteMigrations().size(), PostgresMigrations().size());
  for (size_t i = 0; i < SqliteMigrations().size(); ++i) {
    const auto lite = TablesOf(SqliteMigrations()[i]);
    EXPECT_EQ(lite, TablesOf(PostgresMigrations()[i])) << "migration " << i;
    EXPECT_EQ(IndexesOf(SqliteMigrations()[i]), IndexesOf(PostgresMigrations()[i]));
  }
}

TEST(AudienceSchema, CreatesEveryNamedTable) {
  auto tables = TablesOf(SqliteMigrations()[0]);
  for (size_t i = 1; i < SqliteMigrations().size(); ++i)
    tables.merge(TablesOf(SqliteMigrations()[i]));
  for (std::string_view name :
       {kViewSessionsTable, kHourlyTable, kDimensionDailyTable, kRetentionTable,
        kStartupHistogramTable, kDailyViewersTable, kDailyUniqueTable, kSiteHourlyTable,
        kSiteStartupTable, kSiteConcurrencyTable, kConcurrencyTable, kSaltsTable, kDedupeTable})
    EXPECT_TRUE(tables.contains(std::string(name))) << name;
  EXPECT_EQ(tables.size(), 13u);
  EXPECT_GT(tables.at("view_sessions").size(), 40u);
}

TEST(AudienceSchema, StartupBucketsAscendAndEndWithTheOverflow) {
  for (size_t i = 1; i < kStartupBucketsMs.size(); ++i)
    EXPECT_LT(kStartupBucketsMs[i - 1], kStartupBucketsMs[i]);
  EXPECT_EQ(kStartupBucketsMs.back(), kStartupOverflowMs);
}

TEST(AudienceSchema, MigratesASqliteFileOnceAndAgainIdempotently) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("kinora-audience-schema-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(file);
  for (int round = 0; round < 2; ++round) {
    auto db = sqlite::Db::Open(file);
    ASSERT_TRUE(db) << db.error().message;
    auto r = sqlite::MigrateComponent(**db, kMigrationComponent, SqliteMigrations());
    ASSERT_TRUE(r) << r.error().message;
  }
  auto db = sqlite::Db::Open(file);
  ASSERT_TRUE(db);
  auto s = (*db)->Prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
      "(name = 'view_sessions' OR name LIKE 'audience_%')");
  ASSERT_TRUE(s);
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->Int(0), 13);
  auto v = (*db)->Prepare("SELECT version FROM kinora_migrations WHERE component = 'audience'");
  ASSERT_TRUE(v);
  ASSERT_TRUE(*v->Step());
  EXPECT_EQ(v->Int(0), static_cast<int64_t>(SqliteMigrations().size()));
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");
}

}  // namespace
}  // namespace kinora::audience
