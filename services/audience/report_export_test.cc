#include "kinora/audience/report_export.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace kinora::audience {
namespace {

reports::SessionRow Row() {
  reports::SessionRow s;
  s.view_id = "k3J9x0aQ2mB7cD1eF5gH8i";
  s.video_id = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";
  s.started_at = 1'764'000'000'000;
  s.credited_ms = 12'500;
  s.viewed_ppm = 500'000;
  s.first_frame = 1;
  s.startup_ms = 412;
  s.referrer_host = "=cmd|' /C calc'!A0";
  s.country = "say \"hi\", ok";
  s.surface = "watch";
  return s;
}

TEST(Csv, HeaderAndRowHaveTheSameFieldsAndTextIsQuoted) {
  const std::string header = CsvHeader();
  ASSERT_TRUE(header.starts_with("view_id,video_id,started_at,"));
  std::string row;
  AppendCsv(row, Row());
  EXPECT_TRUE(row.ends_with("\r\n"));
  EXPECT_NE(row.find(",12.5,0.5,true,412,"), std::string::npos) << row;
  EXPECT_NE(row.find("\"say \"\"hi\"\", ok\""), std::string::npos) << row;
  EXPECT_NE(row.find("\"'=cmd"), std::string::npos) << "formula text is defused: " << row;
  EXPECT_NE(row.find(",2025-11-24T16:00:00.000Z,"), std::string::npos) << row;
  // Same number of fields: count commas outside quotes.
  auto fields = [](const std::string& line) {
    int n = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++n;
    }
    return n;
  };
  EXPECT_EQ(fields(header), fields(row));
}

TEST(Ndjson, OneObjectPerLineWithTypedValues) {
  std::string out;
  AppendNdjson(out, Row());
  ASSERT_TRUE(out.ends_with("}\n"));
  const auto v = boost::json::parse(out).as_object();
  EXPECT_EQ(v.at("watch_time_seconds").as_double(), 12.5);
  EXPECT_EQ(v.at("first_frame").as_bool(), true);
  EXPECT_EQ(v.at("startup_ms").as_int64(), 412);
  EXPECT_TRUE(v.at("finalised_at").is_null());
  EXPECT_EQ(v.at("started_at").as_string(), "2025-11-24T16:00:00.000Z");
  EXPECT_FALSE(v.contains("viewer_key"));
}

}  // namespace
}  // namespace kinora::audience
