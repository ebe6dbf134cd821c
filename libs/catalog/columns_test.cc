#include "columns.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <set>
#include <string>

#include "sort_keys.h"

namespace kinora::catalog::internal {
namespace {

// Every field set, none to its default, so a column that reads or writes the wrong member (or a
// member without a column) shows up as a difference.
VideoRecord Full() {
  VideoRecord v;
  v.video_id = "0b6f0a52-8f5e-4a57-9a4f-2b1f4f0d9c11";
  v.title = "Cat";
  v.description = "A cat";
  v.original_filename = "cat.MOV";
  v.file_extension = "mov";
  v.content_type = "video/quicktime";
  v.size = 1000;
  v.bucket = "local";
  v.video_key = "videos/x.mov";
  v.uploaded_at = SysTime{std::chrono::milliseconds(1764000000123)};
  v.status = VideoStatus::kFailed;
  v.error = "boom";
  v.progress = 0.5;
  v.views = 8;
  v.likes = 2;
  v.duration_seconds = 3725.9;
  v.width = 640;
  v.height = 360;
  v.fps = 25;
  v.container = "mov";
  v.video_codec = "h264";
  v.audio_codec = "aac";
  v.bitrate = 800000;
  v.renditions_json = R"([{"height":360}])";
  v.probe_json = R"({"format":{}})";
  v.thumbnail_key = "t";
  v.mp4_key = "m";
  v.hls_key = "h";
  v.poster_key = "p";
  v.processed_at = v.uploaded_at + std::chrono::seconds(5);
  v.processing_seconds = 4.25;
  v.processed_bytes = 500;
  v.correlation_id = "c1";
  return v;
}

SqlValue Stored(const SqlArg& a) {
  return std::visit(
      [](auto x) -> SqlValue {
        if constexpr (std::is_same_v<decltype(x), std::string_view>) {
          return std::string(x);
        } else {
          return x;
        }
      },
      a);
}

// What a backend does: write the columns, read back the selected ones.
VideoRecord RoundTrip(const VideoRecord& v) {
  VideoRecord back;
  for (const Column* c : ReadColumns()) FromSql(*c, Stored(ToSql(*c, v)), back);
  return back;
}

TEST(CatalogColumns, EveryFieldSurvivesTheRoundTripThroughItsColumn) {
  const VideoRecord v = Full();
  EXPECT_EQ(boost::json::serialize(ToJson(RoundTrip(v))), boost::json::serialize(ToJson(v)));
  VideoRecord bare;
  bare.video_id = "b";
  EXPECT_EQ(boost::json::serialize(ToJson(RoundTrip(bare))), boost::json::serialize(ToJson(bare)));
  EXPECT_FALSE(RoundTrip(bare).duration_seconds);
  EXPECT_FALSE(RoundTrip(bare).processed_at);
}

TEST(CatalogColumns, ValuesAreStoredAsTheirSqlType) {
  const VideoRecord v = Full();
  for (const Column& c : kColumns) {
    SCOPED_TRACE(std::string(c.name));
    const SqlArg a = ToSql(c, v);
    switch (TypeOf(c)) {
      case SqlType::kText:
        EXPECT_TRUE(std::holds_alternative<std::string_view>(a));
        break;
      case SqlType::kInteger:
        EXPECT_TRUE(std::holds_alternative<int64_t>(a));
        break;
      case SqlType::kReal:
        EXPECT_TRUE(std::holds_alternative<double>(a));
        break;
    }
  }
  EXPECT_EQ(IndexOf(kColumns[3]), 3u);
  for (const Column& c : kColumns) {
    if (Is(c, &VideoRecord::uploaded_at)) {
      EXPECT_EQ(ToSql(c, v), SqlArg(int64_t{1764000000123}));  // unix millis
    }
    if (Is(c, &VideoRecord::status)) {
      EXPECT_EQ(ToSql(c, v), SqlArg(std::string_view("FAILED")));
    }
    if (c.role == Role::kDerived) {
      EXPECT_EQ(ToSql(c, v), SqlArg(0.25));  // engagement
    }
  }
}

TEST(CatalogColumns, UpdateSetsAllButTheKeyCountersAndDerivedColumns) {
  auto dollar = [](size_t, size_t position) { return "$" + std::to_string(position + 1); };
  auto question = [](size_t column, size_t) { return "?" + std::to_string(column + 1); };
  const std::string update = WriteSql(Write::kUpdate, dollar);
  EXPECT_EQ(update.find("views"), std::string::npos) << update;
  EXPECT_EQ(update.find("likes"), std::string::npos) << update;
  EXPECT_EQ(update.find("engagement"), std::string::npos) << update;
  EXPECT_NE(update.find("title = $1,"), std::string::npos) << update;
  const size_t n = WriteColumns(Write::kUpdate).size();
  EXPECT_TRUE(update.ends_with(" WHERE video_id = $" + std::to_string(n))) << update;
  EXPECT_EQ(n, kColumns.size() - 3);

  const std::string insert = WriteSql(Write::kInsert, question);
  EXPECT_EQ(WriteColumns(Write::kInsert).size(), kColumns.size());
  for (const Column& c : kColumns) {
    EXPECT_NE(insert.find(std::string(c.name)), std::string::npos) << c.name;
  }
  EXPECT_TRUE(insert.starts_with("INSERT INTO videos (video_id, title,")) << insert;
  EXPECT_TRUE(insert.ends_with(", ?" + std::to_string(kColumns.size()) + ")")) << insert;
  // SQLite numbers by column, so the update's parameters match the insert's.
  EXPECT_NE(WriteSql(Write::kUpdate, question).find("title = ?2"), std::string::npos);
}

TEST(CatalogColumns, SelectListsEveryColumnButTheDerivedOnes) {
  EXPECT_EQ(static_cast<size_t>(kReadColumnCount), ReadColumns().size());
  EXPECT_TRUE(SelectList().starts_with("video_id, title, description, "));
  EXPECT_EQ(SelectList().find("engagement"), std::string::npos);
  EXPECT_EQ(static_cast<size_t>(kReadColumnCount), kColumns.size() - 1);
}

// Each sort column is a column of the table (or the generated duration_key) of the same kind.
TEST(CatalogColumns, SortKeysOrderByColumnsOfTheirKind) {
  for (const auto& info : kSortKeys) {
    SCOPED_TRACE(std::string(info.name));
    if (info.column == "duration_key") {
      EXPECT_TRUE(info.real);
      continue;
    }
    const Column* found = nullptr;
    for (const Column& c : kColumns) {
      if (c.name == info.column) found = &c;
    }
    ASSERT_TRUE(found);
    EXPECT_EQ(info.real, TypeOf(*found) == SqlType::kReal);
  }
}

}  // namespace
}  // namespace kinora::catalog::internal
