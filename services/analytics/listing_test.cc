// GET /videos through Analytics::List on a real SQLite catalog: what a kept page (ListingCache)
// must never change about the answer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "kinora/analytics/analytics.h"
#include "kinora/catalog/sqlite_catalog.h"
#include "kinora/core/ids.h"
#include "kinora/http/signed_url.h"
#include "kinora/metrics/registry.h"

namespace kinora::analytics {
namespace {

namespace json = boost::json;
using std::chrono::system_clock;

class ListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("kinora-listing-" + std::to_string(::getpid()) + "-" + NewUuid() + ".db");
    auto c = catalog::NewSqliteCatalog(file_);
    ASSERT_TRUE(c) << c.error().message;
    catalog_ = std::move(*c);
    for (const char* title : {"first", "second", "third"}) Add(title, "owner", "public");
    private_id_ = Add("owner's own", "owner", "private");
    Start(std::chrono::milliseconds(60'000));
  }
  void TearDown() override {
    analytics_.reset();
    catalog_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(file_.string() + suffix);
    }
  }

  void Start(std::chrono::milliseconds max_age) {
    AnalyticsOptions options;
    options.listing_cache_max_age = max_age;
    analytics_ = std::make_unique<Analytics>(*catalog_, presenter_, metrics_, options);
  }

  std::string Add(const std::string& title, const std::string& owner,
                  const std::string& visibility) {
    catalog::VideoRecord v;
    v.video_id = NewUuid();
    v.video_key = "videos/" + v.video_id + ".mp4";
    v.title = title;
    v.owner_id = owner;
    v.visibility = visibility;
    v.uploaded_at = uploaded_at_ += std::chrono::seconds(1);
    EXPECT_TRUE(catalog_->Insert(v));
    return v.video_id;
  }

  http::Response List(const std::string& user = "", std::string if_none_match = "") {
    http::Request req;
    req.query.emplace("limit", "50");
    req.principal.caller.user_id = user;
    if (!if_none_match.empty()) req.headers.set(http::bhttp::field::if_none_match, if_none_match);
    return analytics_->List(req);
  }

  static std::vector<std::string> Titles(const http::Response& r) {
    std::vector<std::string> out;
    const json::value page = json::parse(r.body);
    for (const auto& v : page.at("videos").as_array()) {
      out.emplace_back(v.at("title").as_string());
    }
    return out;
  }

  double Kept() {
    return metrics_.AddCounter("kinora_listing_pages_kept_total", "").With().value();
  }

  std::filesystem::path file_;
  std::unique_ptr<catalog::Catalog> catalog_;
  http::UrlSigner signer_{std::string(40, 'k')};
  system_clock::time_point now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));
  videos::Presenter presenter_{signer_, videos::PresenterOptions{.now = [this] { return now_; }}};
  metrics::Registry metrics_;
  std::unique_ptr<Analytics> analytics_;
  std::string private_id_;
  SysTime uploaded_at_ = SysTime(std::chrono::seconds(1'700'000'000));
};

TEST_F(ListingTest, AnIdenticalRequestGetsTheSameTextAsKept) {
  const http::Response first = List();
  ASSERT_EQ(first.status, http::Status::ok) << first.body;
  EXPECT_EQ(Titles(first), (std::vector<std::string>{"third", "second", "first"}));
  EXPECT_EQ(Kept(), 0);
  const http::Response again = List();
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers[http::bhttp::field::etag], first.headers[http::bhttp::field::etag]);
  EXPECT_EQ(again.headers[http::bhttp::field::content_type], "application/json");
  EXPECT_EQ(again.headers[http::bhttp::field::cache_control], "private, no-cache");
  EXPECT_EQ(Kept(), 1);
  // Revalidated from the kept page: a 304 with its tag, no body.
  const std::string tag(first.headers[http::bhttp::field::etag]);
  const http::Response revalidated = List("", tag);
  EXPECT_EQ(revalidated.status, http::Status::not_modified);
  EXPECT_TRUE(revalidated.body.empty());
  EXPECT_EQ(revalidated.headers[http::bhttp::field::etag], tag);
  EXPECT_EQ(Kept(), 2);
}

TEST_F(ListingTest, EveryWriteThroughTheCatalogShowsInTheNextPage) {
  const http::Response before = List();
  catalog::VideoEdit rename;
  rename.title = "third, renamed";
  ASSERT_TRUE(catalog_->Edit(json::parse(before.body).at("videos").at(0).at("video_id").as_string(),
                             rename));
  EXPECT_EQ(Titles(List()), (std::vector<std::string>{"third, renamed", "second", "first"}));
  // Counters go through the group commit, on another thread: seen as soon as they return.
  const std::string second(json::parse(before.body).at("videos").at(1).at("video_id").as_string());
  ASSERT_TRUE(catalog_->IncrementViews(second));
  const json::value page = json::parse(List().body);
  EXPECT_EQ(page.at("videos").at(1).at("views"), json::value(1));
  Add("fourth", "someone", "public");
  EXPECT_EQ(Titles(List()),
            (std::vector<std::string>{"fourth", "third, renamed", "second", "first"}));
  EXPECT_EQ(Kept(), 0);
}

TEST_F(ListingTest, EachCallerGetsOnlyTheirAudiencesPage) {
  // The owner's page, kept, holds their private video; nobody else ever gets it.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Titles(List("owner")),
              (std::vector<std::string>{"owner's own", "third", "second", "first"}));
  }
  EXPECT_EQ(Kept(), 1);
  for (const char* user : {"", "someone"}) {
    for (int i = 0; i < 2; ++i) {
      const http::Response r = List(user);
      EXPECT_EQ(r.body.find(private_id_), std::string::npos) << user;
      EXPECT_EQ(Titles(r), (std::vector<std::string>{"third", "second", "first"})) << user;
    }
  }
  EXPECT_EQ(Kept(), 3);
}

TEST_F(ListingTest, ANewSigningStepSignsAgain) {
  const http::Response first = List("owner");
  // A public URL's step is an eighth of its hour, a private one's of its 15 minutes.
  now_ += std::chrono::seconds(120);
  const http::Response later = List("owner");
  EXPECT_EQ(Kept(), 0);
  EXPECT_NE(later.body, first.body);
  EXPECT_NE(later.headers[http::bhttp::field::etag], first.headers[http::bhttp::field::etag]);
  const std::string url(json::parse(later.body).at("videos").at(0).at("video_url").as_string());
  const int64_t expires = presenter_.ExpiresFor("private");
  EXPECT_NE(url.find("expires=" + std::to_string(expires)), std::string::npos) << url;
  EXPECT_EQ(List("owner").body, later.body);
  EXPECT_EQ(Kept(), 1);
}

TEST_F(ListingTest, AnotherProcesssWriteShowsAtOnce) {
  ASSERT_EQ(Titles(List()), (std::vector<std::string>{"third", "second", "first"}));
  ASSERT_EQ(Titles(List()), (std::vector<std::string>{"third", "second", "first"}));
  EXPECT_EQ(Kept(), 1);
  auto other = catalog::NewSqliteCatalog(file_);  // as `kinora reprocess` would, beside serve
  ASSERT_TRUE(other) << other.error().message;
  catalog::VideoRecord v;
  v.video_id = NewUuid();
  v.video_key = "videos/" + v.video_id + ".mp4";
  v.title = "from elsewhere";
  v.owner_id = "someone";
  v.visibility = "public";
  v.uploaded_at = uploaded_at_ += std::chrono::seconds(1);
  ASSERT_TRUE((*other)->Insert(v));
  EXPECT_EQ(Titles(List()),
            (std::vector<std::string>{"from elsewhere", "third", "second", "first"}));
  EXPECT_EQ(Kept(), 1);
}

TEST_F(ListingTest, AKeptPageAgesOut) {
  Start(std::chrono::milliseconds(100));
  const http::Response first = List();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(List().body, first.body);
  EXPECT_EQ(Kept(), 0);
  EXPECT_EQ(List().body, first.body);
  EXPECT_EQ(Kept(), 1);
}

TEST(ListingCacheKey, DiffersForEveryFieldThatDecidesThePage) {
  const catalog::ListQuery base;
  const std::string key = ListingCache::KeyOf(base);
  std::vector<catalog::ListQuery> changed(11, base);
  changed[0].limit = 21;
  changed[1].offset = 1;
  changed[2].sort = catalog::SortKey::kViews;
  changed[3].descending = false;
  changed[4].status = catalog::VideoStatus::kProcessed;
  changed[5].audience = catalog::Audience::kAnonymous;
  changed[6].viewer_id = "u";
  changed[7].owner_id = "u";
  changed[8].flag = "no_audio";
  changed[9].cursor = "c";
  changed[10].title_query = "t";
  std::set<std::string> keys{key};
  for (const auto& q : changed) keys.insert(ListingCache::KeyOf(q));
  EXPECT_EQ(keys.size(), changed.size() + 1);
  // Free text cannot pass for another field.
  catalog::ListQuery a = base, b = base;
  a.cursor = "x";
  a.title_query = "1:y";
  b.cursor = "x1:";
  b.title_query = "y";
  EXPECT_NE(ListingCache::KeyOf(a), ListingCache::KeyOf(b));
}

std::shared_ptr<const ListingCache::Page> PageOf(const std::string& version, std::string body) {
  return std::make_shared<const ListingCache::Page>(ListingCache::Page{
      version, 1, 2, std::chrono::steady_clock::now(), "\"tag\"", std::move(body)});
}

TEST(ListingCacheFlight, OthersAskingMeanwhileWaitForThePageBeingRead) {
  ListingCache cache(1 << 20, std::chrono::seconds(60));
  auto first = cache.Find("k", "v1", 1, 2);
  ASSERT_FALSE(first.page);
  ASSERT_TRUE(first.claim);
  std::shared_ptr<const ListingCache::Page> got;
  std::thread waiter([&] {
    auto found = cache.Find("k", "v1", 1, 2);
    EXPECT_FALSE(found.claim);
    got = found.page;
  });
  // Another version, or another key, is not held up by that read.
  auto other_version = cache.Find("k", "v2", 1, 2);
  EXPECT_FALSE(other_version.page);
  EXPECT_FALSE(other_version.claim);
  EXPECT_TRUE(cache.Find("k2", "v1", 1, 2).claim);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  first.claim.Keep(PageOf("v1", "body"));
  waiter.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, "body");
  EXPECT_EQ(cache.Find("k", "v1", 1, 2).page, got);  // and kept
  EXPECT_FALSE(cache.Find("k", "v1", 1, 3).page);    // not for another signing step
}

TEST(ListingCacheFlight, AReadGivenUpLetsTheWaitersReadAlone) {
  ListingCache cache(1 << 20, std::chrono::seconds(60));
  auto first = cache.Find("k", "v1", 1, 2);
  ASSERT_TRUE(first.claim);
  bool alone = false;
  std::thread waiter([&] {
    auto found = cache.Find("k", "v1", 1, 2);
    alone = !found.page && !found.claim;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  first = {};  // an error answer: the claim goes without a page
  waiter.join();
  EXPECT_TRUE(alone);
  EXPECT_TRUE(cache.Find("k", "v1", 1, 2).claim);  // the next asks afresh
  EXPECT_EQ(cache.Pages(), 0u);
}

TEST(ListingCacheFlight, NothingIsKeptWithoutAVersionOrAnAge) {
  ListingCache off(1 << 20, std::chrono::milliseconds(0));
  EXPECT_FALSE(off.Find("k", "v1", 1, 2).claim);
  ListingCache on(1 << 20, std::chrono::seconds(60));
  EXPECT_FALSE(on.Find("k", "", 1, 2).claim);
  // Over budget, older pages go; one larger than a quarter of it is never kept.
  ListingCache small(1000, std::chrono::seconds(60));
  for (const char* k : {"a", "b", "c", "d", "e"}) {
    small.Find(k, "v", 1, 2).claim.Keep(PageOf("v", std::string(240, 'x')));
  }
  EXPECT_EQ(small.Pages(), 4u);
  small.Find("big", "v", 1, 2).claim.Keep(PageOf("v", std::string(300, 'x')));
  EXPECT_FALSE(small.Find("big", "v", 1, 2).page);
}

}  // namespace
}  // namespace kinora::analytics
