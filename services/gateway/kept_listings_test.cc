#include "kinora/gateway/kept_listings.h"

#include <gtest/gtest.h>

namespace kinora::gateway {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::shared_ptr<KeptListings::Page> PageOf(std::string version, int64_t same_until,
                                           Clock::time_point made, std::string body) {
  auto p = std::make_shared<KeptListings::Page>();
  p->version = std::move(version);
  p->same_until = same_until;
  p->made = made;
  p->tag = "\"t-" + body + "\"";
  p->headers.set(http::bhttp::field::etag, p->tag);
  p->headers.set(http::bhttp::field::cache_control, "private, no-cache");
  p->headers.set(http::bhttp::field::content_type, "application/json");
  p->body = std::move(body);
  return p;
}

TEST(KeptListings, APageServesItsTargetWhileVersionStepsAndAgeHold) {
  KeptListings kept(1 << 20, milliseconds(60000));
  const auto t0 = Clock::now();
  kept.Keep("/api/analytics/videos?limit=50", PageOf("v1", 1000, t0, "page"));
  auto found = kept.Find("/api/analytics/videos?limit=50", "v1", 999, t0 + milliseconds(10));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->body, "page");
  // Another target (even one meaning the same query) is not this page.
  EXPECT_FALSE(kept.Find("/api/analytics/videos?limit=50&", "v1", 999, t0));
  // A commit since (another version), a signing step turned, too old: not served, and dropped.
  EXPECT_FALSE(kept.Find("/api/analytics/videos?limit=50", "v2", 999, t0));
  EXPECT_EQ(kept.Pages(), 0u);
  kept.Keep("/a", PageOf("v1", 1000, t0, "page"));
  EXPECT_FALSE(kept.Find("/a", "v1", 1000, t0));
  kept.Keep("/a", PageOf("v1", 1000, t0, "page"));
  EXPECT_FALSE(kept.Find("/a", "v1", 999, t0 + milliseconds(60000)));
  // Nothing is served against an unknown version.
  kept.Keep("/a", PageOf("v1", 1000, t0, "page"));
  EXPECT_FALSE(kept.Find("/a", "", 999, t0));
}

TEST(KeptListings, KeepsNothingItCouldNotTellIsCurrent) {
  const auto t0 = Clock::now();
  KeptListings off(1 << 20, milliseconds(0));
  off.Keep("/a", PageOf("v1", 1000, t0, "page"));
  EXPECT_EQ(off.Pages(), 0u);
  KeptListings kept(1000, milliseconds(60000));
  kept.Keep("/no-version", PageOf("", 1000, t0, "page"));
  auto untagged = PageOf("v1", 1000, t0, "page");
  untagged->tag.clear();
  kept.Keep("/no-tag", untagged);
  kept.Keep("/too-big", PageOf("v1", 1000, t0, std::string(251, 'x')));
  EXPECT_EQ(kept.Pages(), 0u);
}

TEST(KeptListings, StaysWithinItsBytesDroppingOtherVersionsFirst) {
  const auto t0 = Clock::now();
  KeptListings kept(1000, milliseconds(60000));
  kept.Keep("/old", PageOf("v1", 1000, t0, std::string(250, 'o')));
  kept.Keep("/b", PageOf("v2", 1000, t0, std::string(250, 'b')));
  kept.Keep("/c", PageOf("v2", 1000, t0, std::string(250, 'c')));
  kept.Keep("/d", PageOf("v2", 1000, t0, std::string(250, 'd')));
  EXPECT_EQ(kept.Pages(), 4u);
  kept.Keep("/e", PageOf("v2", 1000, t0, std::string(250, 'e')));  // over 1000 bytes: /old goes
  EXPECT_EQ(kept.Pages(), 4u);
  EXPECT_FALSE(kept.Find("/old", "v1", 999, t0));
  EXPECT_TRUE(kept.Find("/e", "v2", 999, t0));
  kept.Keep("/f", PageOf("v2", 1000, t0, std::string(250, 'f')));
  EXPECT_EQ(kept.Pages(), 4u);
  EXPECT_TRUE(kept.Find("/f", "v2", 999, t0));
}

TEST(KeptListings, AnswersWithTheServicesHeadOrA304) {
  const auto page = PageOf("v1", 1000, Clock::now(), "{\"count\":0}");
  http::Request req;
  http::Response r = AnswerFromKept(req, *page);
  EXPECT_EQ(r.status, http::Status::ok);
  EXPECT_EQ(r.body, "{\"count\":0}");
  EXPECT_EQ(r.headers[http::bhttp::field::etag], page->tag);
  EXPECT_EQ(r.headers[http::bhttp::field::content_type], "application/json");
  req.headers.set(http::bhttp::field::if_none_match, "\"other\", " + page->tag);
  r = AnswerFromKept(req, *page);
  EXPECT_EQ(r.status, http::Status::not_modified);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers[http::bhttp::field::etag], page->tag);
  EXPECT_EQ(r.headers[http::bhttp::field::cache_control], "private, no-cache");
}

}  // namespace
}  // namespace kinora::gateway
