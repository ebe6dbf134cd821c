#include "columns.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <variant>

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
  v.owner_id = "u1";
  v.visibility = "unlisted";
  v.media_generation = 3;
  return v;
}

// A stored value, as a fake backend keeps it.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

struct Sink {
  Value out;
  void Null() { out = nullptr; }
  void Int(int64_t x) { out = x; }
  void Real(double x) { out = x; }
  void Text(std::string_view x) { out = std::string(x); }
};

struct Cell {
  const Value& in;
  bool IsNull() const { return std::holds_alternative<std::nullptr_t>(in); }
  int64_t Int() const { return std::get<int64_t>(in); }
  double Real() const { return std::get<double>(in); }
  std::string Text() const { return std::get<std::string>(in); }
};

Value Stored(const Column& c, const VideoRecord& v) {
  Sink sink;
  BindColumn(c, v, sink);
  return sink.out;
}

// What a backend does: write the columns, read back the selected ones. A Cell getter of the
// wrong type throws (std::bad_variant_access), so reads must ask for what writes stored.
VideoRecord RoundTrip(const VideoRecord& v) {
  VideoRecord back;
  for (const Column* c : ReadColumns()) {
    const Value stored = Stored(*c, v);
    ReadColumn(*c, Cell{stored}, back);
  }
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

TEST(CatalogColumns, TimesAreUnixMillisStatusesTheirNamesEngagementComputed) {
  const VideoRecord v = Full();
  EXPECT_EQ(Stored(kColumns[IndexOf(&VideoRecord::uploaded_at)], v), Value(int64_t{1764000000123}));
  EXPECT_EQ(Stored(kColumns[IndexOf(&VideoRecord::status)], v), Value(std::string("FAILED")));
  EXPECT_EQ(Stored(kColumns[IndexOf(&Engagement)], v), Value(0.25));
  EXPECT_EQ(Stored(kColumns[IndexOf(&VideoRecord::processing_seconds)], VideoRecord{}),
            Value(nullptr));
  static_assert(IndexOf(&VideoRecord::video_id) == 0);
  EXPECT_EQ(IndexOf(kColumns[3]), 3u);
}

TEST(CatalogColumns, UpdateSetsOnlyThePlainColumns) {
  auto dollar = [](size_t, size_t position) { return "$" + std::to_string(position + 1); };
  auto question = [](size_t column, size_t) { return "?" + std::to_string(column + 1); };
  const std::string update = WriteSql(Write::kUpdate, dollar);
  // Neither the counters, the derived column, what Edit owns, nor the row version.
  for (const char* absent : {"views", "likes", "engagement", "title", "description", "owner_id",
                             "visibility", "media_generation", "row_version"}) {
    EXPECT_EQ(update.find(absent), std::string::npos) << absent << ": " << update;
  }
  EXPECT_TRUE(update.starts_with("UPDATE videos SET original_filename = $1,")) << update;
  const size_t n = WriteColumns(Write::kUpdate).size();
  EXPECT_TRUE(update.ends_with(" WHERE video_id = $" + std::to_string(n))) << update;
  size_t plain = 0;
  for (const Column& c : kColumns) plain += c.role == Role::kPlain ? 1 : 0;
  EXPECT_EQ(n, plain + 1);  // and the key
  EXPECT_EQ(n, kColumns.size() - 3 - 5 - 1);

  // Every column but the row version, which only the database writes.
  const std::string insert = WriteSql(Write::kInsert, question);
  EXPECT_EQ(WriteColumns(Write::kInsert).size(), kColumns.size() - 1);
  for (const Column& c : kColumns) {
    EXPECT_EQ(insert.find(std::string(c.name)) != std::string::npos, c.role != Role::kVersion)
        << c.name;
  }
  EXPECT_TRUE(insert.starts_with("INSERT INTO videos (video_id, title,")) << insert;
  EXPECT_TRUE(insert.ends_with(", ?" + std::to_string(kColumns.size() - 1) + ")")) << insert;
  // SQLite numbers by column, so the update's parameters match the insert's.
  EXPECT_NE(WriteSql(Write::kUpdate, question).find("original_filename = ?4"), std::string::npos);
}

TEST(CatalogColumns, EditedColumnsAreReadAndInsertedButNotUpdated) {
  for (const auto m : {&VideoRecord::title, &VideoRecord::description, &VideoRecord::owner_id,
                       &VideoRecord::visibility}) {
    const Column* found = nullptr;
    for (const Column& c : kColumns) {
      if (Is(c, m)) found = &c;
    }
    ASSERT_TRUE(found);
    EXPECT_EQ(found->role, Role::kEdited) << found->name;
  }
  EXPECT_EQ(kColumns[IndexOf(&VideoRecord::media_generation)].role, Role::kEdited);
  const VideoRecord v = Full();
  const VideoRecord back = RoundTrip(v);
  EXPECT_EQ(back.owner_id, "u1");
  EXPECT_EQ(back.visibility, "unlisted");
  EXPECT_EQ(back.media_generation, 3);
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
    EXPECT_EQ(info.real, std::holds_alternative<double>(Stored(*found, Full())));
  }
}

}  // namespace
}  // namespace kinora::catalog::internal
