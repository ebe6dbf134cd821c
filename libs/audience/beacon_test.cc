#include "kinora/audience/beacon.h"

#include <gtest/gtest.h>

#include <string>

namespace kinora::audience {
namespace {

constexpr const char* kVideo = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";

std::string Body(const std::string& events, const std::string& extra = "") {
  return std::string(R"({"v":1,"video_id":")") + kVideo +
         R"(","view_id":"k3J9x0aQ2mB7cD1eF5gH8i","surface":"watch","embed_host":null,)"
         R"("referrer":"https://News.Example.org:8443/article/12","duration":124.5)" +
         extra + R"(,"events":[)" + events + "]}";
}

const std::string kStart = R"({"seq":0,"type":"viewstart","t":0,"playhead":0,"autoplay":true})";

TEST(ParseBeacon, TakesTheDocsExample) {
  auto b = ParseBeacon(Body(kStart + R"(,
    {"seq": 1, "type": "playing", "t": 412, "playhead": 0, "startup_ms": 412},
    {"seq": 2, "type": "heartbeat", "t": 10412, "playhead": 10.0,
     "ranges": [[0, 10.0]], "bytes": 1843200, "download_ms": 950,
     "height": 720, "bitrate": 2400000, "element_height": 540})"));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->video_id, kVideo);
  EXPECT_EQ(b->view_id, "k3J9x0aQ2mB7cD1eF5gH8i");
  EXPECT_EQ(b->surface, Surface::kWatch);
  EXPECT_EQ(b->referrer_host, "news.example.org");
  EXPECT_EQ(b->duration_ms, 124500);
  ASSERT_EQ(b->events.size(), 3u);
  EXPECT_TRUE(b->events[0].autoplay);
  EXPECT_EQ(b->events[1].type, EventType::kPlaying);
  EXPECT_EQ(b->events[1].startup_ms, 412);
  const auto& hb = b->events[2];
  EXPECT_EQ(hb.type, EventType::kHeartbeat);
  ASSERT_EQ(hb.ranges.size(), 1u);
  EXPECT_EQ(hb.ranges[0], (PlayedRange{0, 10000}));
  EXPECT_EQ(hb.bytes, 1843200);
  EXPECT_EQ(hb.download_ms, 950);
  EXPECT_EQ(hb.height, 720);
  EXPECT_EQ(hb.bitrate, 2400000);
  EXPECT_EQ(hb.element_height, 540);
  EXPECT_EQ(hb.playhead_ms, 10000);
}

TEST(ParseBeacon, EveryEventTypeWithItsFields) {
  auto b = ParseBeacon(Body(R"(
    {"seq":5,"type":"pause","t":1,"playhead":1},
    {"seq":6,"type":"play","t":2,"playhead":1},
    {"seq":7,"type":"seek","t":3,"playhead":1,"from":1,"to":100.25},
    {"seq":8,"type":"stall_start","t":4,"playhead":100.25},
    {"seq":9,"type":"stall_end","t":5,"playhead":100.25,"stall_ms":1500},
    {"seq":10,"type":"rendition","t":6,"playhead":100.25,"height":360,"bitrate":800000},
    {"seq":11,"type":"error","t":7,"playhead":100.25,"code":3,"message":"decode"},
    {"seq":12,"type":"ended","t":8,"playhead":124.5},
    {"seq":13,"type":"viewend","t":9,"playhead":124.5})"));
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->events.size(), 9u);
  EXPECT_EQ(b->events[2].to_ms, 100250);
  EXPECT_EQ(b->events[4].stall_ms, 1500);
  EXPECT_EQ(b->events[5].height, 360);
  EXPECT_EQ(b->events[6].error_code, "3");
  EXPECT_EQ(b->events[6].error_message, "decode");
  EXPECT_EQ(b->events[8].type, EventType::kViewEnd);
}

TEST(ParseBeacon, EmbedKeepsItsHostAndTheReferrerOnlyItsHost) {
  std::string body = Body(kStart);
  body.replace(body.find(R"("surface":"watch","embed_host":null)"),
               std::string(R"("surface":"watch","embed_host":null)").size(),
               R"("surface":"embed","embed_host":"Blog.Example.com")");
  auto b = ParseBeacon(body);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->surface, Surface::kEmbed);
  EXPECT_EQ(b->embed_host, "blog.example.com");
  EXPECT_EQ(HostOfUrl("not a url"), "");
  EXPECT_EQ(HostOfUrl("javascript:alert(1)"), "");
  EXPECT_EQ(HostOfUrl("http://a.b/c?d"), "a.b");
}

TEST(ParseBeacon, ClipsPositionsALittlePastTheEnd) {
  auto b = ParseBeacon(Body(R"({"seq":3,"type":"heartbeat","t":1,"playhead":124.8,
                                "ranges":[[120,124.9]]})"));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->events[0].ranges[0], (PlayedRange{120000, 124500}));
  EXPECT_EQ(b->events[0].playhead_ms, 124500);
}

TEST(ParseBeacon, CutsLongErrorMessagesAtACharacterBoundary) {
  std::string msg(199, 'x');
  msg += "\xc3\xa9\xc3\xa9";  // é é: the 200-byte cut falls inside the first
  auto b = ParseBeacon(
      Body(R"({"seq":3,"type":"error","t":1,"playhead":1,"code":"E","message":")" + msg + "\"}"));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->events[0].error_message, std::string(199, 'x'));
}

struct BadCase {
  const char* name;
  std::string body;
  const char* detail;  // a part of the message
};

class ParseBeaconRefuses : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParseBeaconRefuses, WithAClearMessage) {
  auto b = ParseBeacon(GetParam().body);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidArgument) << b.error().message;
  EXPECT_NE(b.error().message.find(GetParam().detail), std::string::npos) << b.error().message;
}

std::string Many(int n) {
  std::string out = kStart;
  for (int i = 1; i < n; ++i)
    out += R"(,{"seq":)" + std::to_string(i) + R"(,"type":"pause","t":1,"playhead":1})";
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseBeaconRefuses,
    ::testing::Values(
        BadCase{"NotJson", "{nope", "not JSON"}, BadCase{"NotObject", "[1]", "JSON object"},
        BadCase{"Version", R"({"v":2})", "'v' must be 1"},
        BadCase{"VideoId",
                R"({"v":1,"video_id":"../etc","view_id":"k3J9x0aQ2mB7cD1eF5gH8i","events":[]})",
                "video_id"},
        BadCase{"ViewIdShort",
                std::string(R"({"v":1,"video_id":")") + kVideo + R"(","view_id":"short"})",
                "view_id"},
        BadCase{"UnknownType", Body(R"({"seq":1,"type":"dance","t":0,"playhead":0})"),
                "unknown event type 'dance'"},
        BadCase{"NoEvents", Body(""), "'events' is empty"},
        BadCase{"TooMany", Body(Many(101)), "more than 100 events"},
        BadCase{"SeqNotIncreasing",
                Body(kStart + R"(,{"seq":0,"type":"pause","t":1,"playhead":0})"), "events[1]"},
        BadCase{"SeqNegative", Body(R"({"seq":-1,"type":"pause","t":1,"playhead":0})"), "'seq'"},
        BadCase{"SeqFraction", Body(R"({"seq":1.5,"type":"pause","t":1,"playhead":0})"), "'seq'"},
        BadCase{"FirstIsNotViewstart", Body(R"({"seq":0,"type":"pause","t":1,"playhead":0})"),
                "viewstart"},
        BadCase{"LateViewstart", Body(R"({"seq":4,"type":"viewstart","t":1,"playhead":0})"),
                "viewstart"},
        BadCase{"TimeBackwards", Body(R"({"seq":1,"type":"pause","t":9,"playhead":0},
                                         {"seq":2,"type":"play","t":8,"playhead":0})"),
                "'t' is before"},
        BadCase{"ReversedRange",
                Body(R"({"seq":1,"type":"heartbeat","t":0,"playhead":0,"ranges":[[5,4]]})"),
                "end is before start"},
        BadCase{"RangePastEnd",
                Body(R"({"seq":1,"type":"heartbeat","t":0,"playhead":0,"ranges":[[0,600]]})"),
                "after the duration 124.5"},
        BadCase{"RangeNegative",
                Body(R"({"seq":1,"type":"heartbeat","t":0,"playhead":0,"ranges":[[-1,4]]})"),
                "negative"},
        BadCase{"RangeNotPair",
                Body(R"({"seq":1,"type":"heartbeat","t":0,"playhead":0,"ranges":[[1,2,3]]})"),
                "pair"},
        BadCase{"PlayheadPastEnd", Body(R"({"seq":1,"type":"pause","t":0,"playhead":300})"),
                "'playhead'"},
        BadCase{"PlayingWithoutStartup", Body(R"({"seq":1,"type":"playing","t":0,"playhead":0})"),
                "'startup_ms' is required"},
        BadCase{"StallEndWithoutMs", Body(R"({"seq":1,"type":"stall_end","t":0,"playhead":0})"),
                "'stall_ms'"},
        BadCase{"NegativeBytes",
                Body(R"({"seq":1,"type":"heartbeat","t":0,"playhead":0,"bytes":-5})"), "'bytes'"},
        BadCase{"BadSurface", Body(kStart).replace(Body(kStart).find("\"watch\""), 7, "\"tv\""),
                "'surface'"},
        BadCase{"EmbedHostOnWatch",
                Body(kStart).replace(Body(kStart).find("null"), 4, "\"a.example\""),
                "only for surface embed"},
        BadCase{"NoDuration", Body(kStart).replace(Body(kStart).find("124.5"), 5, "null"),
                "'duration' is required"},
        BadCase{"ZeroDuration", Body(kStart).replace(Body(kStart).find("124.5"), 5, "0"),
                "'duration' must be positive"},
        BadCase{"NanLikeString", Body(R"({"seq":1,"type":"pause","t":"NaN","playhead":0})"),
                "'t' must be a number"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(ParseBeacon, RefusesABodyOver64KiBAsTooLarge) {
  std::string body = Body(kStart, R"(,"pad":")" + std::string(kMaxBeaconBytes, 'x') + "\"");
  auto b = ParseBeacon(body);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, ErrorCode::kTooLarge);
}

TEST(ParseBeacon, RefusesDeepNesting) {
  auto b = ParseBeacon(Body(kStart, R"(,"x":[[[[[[[[[[[[1]]]]]]]]]]]])"));
  ASSERT_FALSE(b);
}

}  // namespace
}  // namespace kinora::audience
