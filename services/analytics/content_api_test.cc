#include "kinora/analytics/content_api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "kinora/catalog/sqlite_catalog.h"
#include "kinora/core/ids.h"
#include "kinora/storage/mem_store.h"
#include "kinora/videos/keys.h"

namespace kinora::analytics {
namespace {

namespace json = boost::json;

constexpr const char* kAnalysis = R"({"version":1,"complete":true,"incomplete":[],
  "duration_seconds":30,"scenes":[],"black":[{"start":0,"end":2}],"freeze":[],"silence":[],
  "loudness":null,"waveform":null,"complexity":null,
  "storyboard":{"vtt":"storyboard/storyboard.vtt","interval_seconds":1,"tile_width":160,
                "tile_height":90,"columns":10,"rows":10,"tiles":30,
                "sprites":["storyboard/sprite_000.jpg"]},
  "quality":[],
  "flags":[{"code":"black_start","severity":"warning","start":0,"end":2,
            "message":"starts with 2.0 s of black"},
           {"code":"no_audio","severity":"info","start":null,"end":null,
            "message":"no audio track"}]})";

int StatusOf(const http::Response& r) { return static_cast<int>(r.status); }
std::string TextOf(const http::Response& r) {
  return r.problem ? json::serialize(*r.problem) : r.body;
}

TEST(ContentAnswer, FlagsBecomeMessagesBesideTheirDetailsAndTheVttGetsItsUrl) {
  auto a = ContentAnswer(json::parse(kAnalysis).as_object(), "/media/x.vtt?sig");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->at("flags"), json::parse(R"(["starts with 2.0 s of black","no audio track"])"));
  ASSERT_EQ(a->at("flag_details").as_array().size(), 2u);
  EXPECT_EQ(a->at("flag_details").as_array()[1].at("code"), json::value("no_audio"));
  EXPECT_EQ(a->at("storyboard").at("vtt_url"), json::value("/media/x.vtt?sig"));
  EXPECT_EQ(a->at("storyboard").at("vtt"), json::value("storyboard/storyboard.vtt"));
  EXPECT_EQ(a->at("version"), json::value(1));
}

TEST(ContentAnswer, NoStoryboardStaysNullAndBadFlagsAreRefused) {
  auto a = ContentAnswer(json::parse(R"({"version":1,"storyboard":null,"flags":[]})").as_object(),
                         "/media/x.vtt?sig");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->at("storyboard").is_null());
  EXPECT_TRUE(a->at("flags").as_array().empty());
  EXPECT_FALSE(ContentAnswer(json::parse(R"({"flags":"loud"})").as_object(), ""));
  EXPECT_FALSE(ContentAnswer(json::parse(R"({"flags":[3]})").as_object(), ""));
}

class ContentApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("kinora-content-api-" + std::to_string(::getpid()) + "-" + NewUuid() + ".db");
    auto c = catalog::NewSqliteCatalog(file_);
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    video_.video_id = NewUuid();
    video_.video_key = "videos/" + video_.video_id + ".mp4";
    video_.owner_id = "owner";
    video_.visibility = "private";
    video_.media_generation = 3;
    ASSERT_TRUE(catalog_->Insert(video_));
    api_ = std::make_unique<ContentApi>(*catalog_, *store_, presenter_);
  }
  void TearDown() override {
    api_.reset();
    catalog_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file_.string() + suffix);
    }
  }

  http::Response Call(const std::string& user, identity::Role role = identity::Role::kUser) {
    http::Request req;
    req.path_params["id"] = video_.video_id;
    req.principal.caller.user_id = user;
    req.principal.caller.role = role;
    return api_->Content(req);
  }

  void StoreAnalysis() {
    auto w =
        store_->BeginPut(videos::OutputKey(video_.video_id, "analysis.json"), "application/json");
    ASSERT_TRUE(w);
    const std::string_view text = kAnalysis;
    ASSERT_TRUE((*w)->Write(std::span<const char>(text.data(), text.size())));
    ASSERT_TRUE((*w)->Commit());
  }

  std::filesystem::path file_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<storage::ObjectStore> store_ = storage::NewMemStore();
  http::UrlSigner signer_{std::string(40, 'k')};
  videos::Presenter presenter_{signer_, {}};
  catalog::VideoRecord video_;
  std::unique_ptr<ContentApi> api_;
};

TEST_F(ContentApiTest, NoAnalysisYetIsA404ThatSaysSo) {
  http::Response r = Call("owner");
  EXPECT_EQ(StatusOf(r), 404);
  EXPECT_NE(TextOf(r).find("this video has no content analysis yet"), std::string::npos)
      << TextOf(r);
}

TEST_F(ContentApiTest, TheOwnerAndModeratorsGetItOthersGetTheUnknownVideos404) {
  StoreAnalysis();
  for (auto [user, role] :
       {std::pair{"owner", identity::Role::kUser}, std::pair{"mo", identity::Role::kModerator},
        std::pair{"admin", identity::Role::kAdmin}}) {
    http::Response r = Call(user, role);
    ASSERT_EQ(StatusOf(r), 200) << user << ": " << TextOf(r);
    const json::object o = json::parse(r.body).as_object();
    const std::string url(o.at("storyboard").at("vtt_url").as_string());
    const std::string key = videos::OutputKey(video_.video_id, "storyboard/storyboard.vtt");
    EXPECT_TRUE(url.starts_with("/media/" + key + "?")) << url;
    EXPECT_EQ(o.at("flags").as_array().size(), 2u);
  }
  for (const char* user : {"someone", ""}) {
    http::Response r = Call(user);
    EXPECT_EQ(StatusOf(r), 404) << user;
    EXPECT_NE(TextOf(r).find("video not found"), std::string::npos) << TextOf(r);
  }
}

}  // namespace
}  // namespace kinora::analytics
