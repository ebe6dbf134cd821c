#include "kinora/audience/beacon_api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>

#include "kinora/audience/session_rules.h"

namespace kinora::audience {
namespace {

constexpr const char* kVideo = "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";
constexpr const char* kPrivate = "2b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed";
constexpr int64_t kT0 = 1'700'000'400'000;

std::filesystem::path Dir() {
  return std::filesystem::temp_directory_path() /
         ("kinora-beacon-api-test-" + std::to_string(::getpid()));
}

class BeaconApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    std::filesystem::create_directories(Dir());
    const std::string url =
        "sqlite://" + (Dir() / ("catalog-" + std::to_string(n++) + ".db")).string();
    auto cat = catalog::OpenCatalog(url);
    ASSERT_TRUE(cat) << cat.error().message;
    catalog_ = std::move(*cat);
    auto st = OpenAudienceStore(url);
    ASSERT_TRUE(st) << st.error().message;
    store_ = std::move(*st);
    for (auto [id, vis] : {std::pair{kVideo, "public"}, std::pair{kPrivate, "private"}}) {
      catalog::VideoRecord v;
      v.video_id = id;
      v.title = "t";
      v.owner_id = "owner-1";
      v.visibility = vis;
      v.duration_seconds = 100.0;
      v.bucket = "local";
      v.video_key = std::string("videos/") + id + ".mp4";
      auto ins = catalog_->Insert(v);
      ASSERT_TRUE(ins) << ins.error().message;
    }
    BeaconApiOptions o;
    o.rate = {.per_minute = 120, .burst = 5};
    o.now_ms = [this] { return now_; };
    api_ = std::make_unique<BeaconApi>(*store_, *catalog_, registry_, o);
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    catalog_.reset();
    std::filesystem::remove_all(Dir());
  }

  http::Request Post(const std::string& body, std::string ua = "Mozilla/5.0 Firefox/120") {
    http::Request r;
    r.method = http::Verb::post;
    r.body = body;
    r.client = "203.0.113.7";
    r.headers.set(http::bhttp::field::content_type, "text/plain;charset=UTF-8");
    r.headers.set(http::bhttp::field::user_agent, ua);
    return r;
  }

  static std::string Body(const std::string& view, const std::string& events,
                          const char* video = kVideo) {
    return std::string(R"({"v":1,"video_id":")") + video + R"(","view_id":")" + view +
           R"(","surface":"watch","duration":100,"events":[)" + events + "]}";
  }

  int64_t Views() { return catalog_->Get(kVideo)->views; }

  int64_t now_ = kT0;
  metrics::Registry registry_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<BeaconApi> api_;
};

const std::string kStart = R"({"seq":0,"type":"viewstart","t":0,"playhead":0})";
const std::string kTen =
    R"({"seq":1,"type":"heartbeat","t":10000,"playhead":10,"ranges":[[0,10]]})";

TEST_F(BeaconApiTest, AcceptsCountsOnceAndIgnoresReplays) {
  auto a = Post(Body("view-aaaaaaaaaaaaaaaa", kStart));
  auto r = api_->Beacon(a);
  EXPECT_EQ(r.status, http::Status::accepted);
  EXPECT_EQ(boost::json::parse(r.body).at("accepted").as_int64(), 1);
  now_ += 10'000;
  auto b = Post(Body("view-aaaaaaaaaaaaaaaa", kTen));
  EXPECT_EQ(api_->Beacon(b).status, http::Status::accepted);
  EXPECT_EQ(Views(), 1);
  auto replay = Post(Body("view-aaaaaaaaaaaaaaaa", kTen));
  auto rr = api_->Beacon(replay);
  EXPECT_EQ(rr.status, http::Status::accepted);
  EXPECT_EQ(boost::json::parse(rr.body).at("accepted").as_int64(), 0);
  // The same viewer's next view within the hour is not counted again.
  auto c = Post(Body("view-bbbbbbbbbbbbbbbb", kStart));
  api_->Beacon(c);
  now_ += 10'000;
  auto d = Post(Body("view-bbbbbbbbbbbbbbbb", kTen));
  api_->Beacon(d);
  EXPECT_EQ(Views(), 1);
  // Another viewer's is.
  auto e = Post(Body("view-cccccccccccccccc", kStart), "Mozilla/5.0 Chrome/120");
  api_->Beacon(e);
  now_ += 10'000;
  auto f = Post(Body("view-cccccccccccccccc", kTen), "Mozilla/5.0 Chrome/120");
  api_->Beacon(f);
  EXPECT_EQ(Views(), 2);
}

TEST_F(BeaconApiTest, RefusesBadInputWithoutStoringAnything) {
  auto bad = Post(Body("view-aaaaaaaaaaaaaaaa", R"({"seq":0,"type":"dance","t":0,"playhead":0})"));
  auto r = api_->Beacon(bad);
  EXPECT_EQ(r.status, http::Status::bad_request);
  auto wrong_type = Post(Body("view-aaaaaaaaaaaaaaaa", kStart));
  wrong_type.headers.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(api_->Beacon(wrong_type).status, http::Status::unsupported_media_type);
  auto unknown =
      Post(Body("view-aaaaaaaaaaaaaaaa", kStart, "3b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"));
  EXPECT_EQ(api_->Beacon(unknown).status, http::Status::not_found);
  auto hidden = Post(Body("view-aaaaaaaaaaaaaaaa", kStart, kPrivate));
  EXPECT_EQ(api_->Beacon(hidden).status, http::Status::not_found);
  EXPECT_FALSE(*store_->GetSession("view-aaaaaaaaaaaaaaaa"));
}

TEST_F(BeaconApiTest, RateLimitsPerViewer) {
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = Post(Body("view-burst" + std::to_string(1000000 + i) + "xxxx", kStart));
    auto res = api_->Beacon(r);
    if (res.status == http::Status::too_many_requests) {
      ++limited;
      EXPECT_FALSE(res.headers[http::bhttp::field::retry_after].empty());
    }
  }
  EXPECT_EQ(limited, 3);  // burst 5
  auto other = Post(Body("view-otherviewer00000", kStart), "Mozilla/5.0 Safari/17");
  EXPECT_EQ(api_->Beacon(other).status, http::Status::accepted);
}

TEST_F(BeaconApiTest, TheOwnersPlaysAndBotsAreFlaggedNotCounted) {
  auto owner = Post(Body("view-owner0000000000", kStart));
  owner.principal.caller.user_id = "owner-1";
  api_->Beacon(owner);
  now_ += 10'000;
  auto owner2 = Post(Body("view-owner0000000000", kTen));
  owner2.principal.caller.user_id = "owner-1";
  api_->Beacon(owner2);
  auto bot = Post(Body("view-bot000000000000", kStart), "Googlebot/2.1");
  api_->Beacon(bot);
  now_ += 10'000;
  auto bot2 = Post(Body("view-bot000000000000", kTen), "Googlebot/2.1");
  api_->Beacon(bot2);
  EXPECT_EQ(Views(), 0);
  EXPECT_TRUE((*store_->GetSession("view-owner0000000000"))->owner);
  EXPECT_TRUE((*store_->GetSession("view-bot000000000000"))->bot);
}

TEST_F(BeaconApiTest, DoNotTrackCountsWithoutAViewerKey) {
  auto a = Post(Body("view-dnt000000000000", kStart));
  a.headers.set("Sec-GPC", "1");
  api_->Beacon(a);
  now_ += 10'000;
  auto b = Post(Body("view-dnt000000000000", kTen));
  b.headers.set("Sec-GPC", "1");
  api_->Beacon(b);
  EXPECT_EQ(Views(), 1);
  auto s = *store_->GetSession("view-dnt000000000000");
  EXPECT_TRUE(s->dnt);
  EXPECT_TRUE(s->viewer_key.empty());
}

TEST_F(BeaconApiTest, TheLegacyCounterCountsOncePerViewerPerHour) {
  auto r = Post("");
  EXPECT_TRUE(*api_->ClaimLegacyView(r, kVideo));
  EXPECT_FALSE(*api_->ClaimLegacyView(r, kVideo));
  EXPECT_TRUE(*api_->ClaimLegacyView(r, kPrivate));
  now_ += 3'600'000;
  EXPECT_TRUE(*api_->ClaimLegacyView(r, kVideo));
  auto other = Post("", "another agent");
  EXPECT_TRUE(*api_->ClaimLegacyView(other, kVideo));
}

}  // namespace
}  // namespace kinora::audience
