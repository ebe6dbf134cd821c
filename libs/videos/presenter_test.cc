#include "kinora/videos/presenter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kinora/core/json_text.h"
#include "kinora/storage/fault_injection.h"
#include "kinora/storage/mem_store.h"

namespace kinora::videos {
namespace {

catalog::VideoRecord Processed() {
  catalog::VideoRecord v;
  v.video_id = "0b6f3c52-1e0a-4f43-9d5c-6b1f7d0f2a11";
  v.video_key = "videos/" + v.video_id + ".mov";
  v.mp4_key = "processed/" + v.video_id + "/video.mp4";
  v.hls_key = "processed/" + v.video_id + "/hls/master.m3u8";
  v.thumbnail_key = "thumbnails/" + v.video_id + ".jpg";
  v.poster_key = "processed/" + v.video_id + "/poster.jpg";
  return v;
}

// A store that presigns, as S3 does.
class Presigning final : public storage::ObjectStoreWrapper {
 public:
  using ObjectStoreWrapper::ObjectStoreWrapper;
  std::string PresignedGet(std::string_view key, std::chrono::seconds) const override {
    return "https://bucket.example/" + std::string(key);
  }
};

TEST(Presenter, SignsEveryMediaUrlForTheGateway) {
  http::UrlSigner signer(std::string(40, 'k'));
  Presenter p(signer, {.url_ttl = std::chrono::seconds(60), .direct_store = nullptr});
  catalog::VideoRecord v = Processed();
  catalog::VideoUrls u = p.Urls(v);
  EXPECT_TRUE(u.video_url.starts_with("/media/" + v.mp4_key + "?")) << u.video_url;
  EXPECT_TRUE(u.hls_url.starts_with("/media/" + v.hls_key + "?")) << u.hls_url;
  EXPECT_TRUE(u.original_url.starts_with("/media/" + v.video_key + "?")) << u.original_url;
  EXPECT_NE(u.thumbnail_url.find("signature="), std::string::npos);

  // Until processed, the original plays and there is nothing else.
  catalog::VideoRecord fresh;
  fresh.video_id = v.video_id;
  fresh.video_key = v.video_key;
  u = p.Urls(fresh);
  EXPECT_TRUE(u.video_url.starts_with("/media/" + v.video_key + "?"));
  EXPECT_EQ(u.hls_url, "");
  EXPECT_EQ(u.thumbnail_url, "");
}

// The seed's processed_url: an MP4 the browser plays. The processed MP4 once there; before
// that the original only when a browser plays it as it is.
TEST(Presenter, ProcessedUrlIsAPlayableMp4) {
  http::UrlSigner signer(std::string(40, 'k'));
  Presenter p(signer, {.url_ttl = std::chrono::seconds(60), .direct_store = nullptr});
  catalog::VideoRecord v = Processed();
  EXPECT_TRUE(p.Urls(v).processed_url.starts_with("/media/" + v.mp4_key + "?"));
  boost::json::object o = p.Json(v);
  EXPECT_EQ(o.at("processed_url"), o.at("video_url"));

  catalog::VideoRecord fresh;
  fresh.video_id = v.video_id;
  fresh.video_key = "videos/" + v.video_id + ".mp4";
  fresh.file_extension = "mp4";
  fresh.video_codec = "h264";
  EXPECT_TRUE(BrowserPlayable(fresh));
  EXPECT_TRUE(p.Urls(fresh).processed_url.starts_with("/media/" + fresh.video_key + "?"));
  for (auto [ext, codec] : {std::pair{"mp4", "hevc"},
                            {"avi", "h264"},
                            {"mkv", "h264"},
                            {"webm", "h264"},
                            {"mov", ""},
                            {"avi", ""}}) {
    fresh.file_extension = ext;
    fresh.video_codec = codec;
    EXPECT_FALSE(BrowserPlayable(fresh)) << ext << " " << codec;
    EXPECT_EQ(p.Urls(fresh).processed_url, "");
    EXPECT_TRUE(p.Json(fresh).at("processed_url").is_null());
  }
  fresh.file_extension = "webm";
  fresh.video_codec = "vp9";
  EXPECT_EQ(PlayableKey(fresh), fresh.video_key);
  fresh.file_extension = "mp4";
  fresh.video_codec = "";  // a seed document: never probed
  EXPECT_TRUE(BrowserPlayable(fresh));
}

// Other objects of a video (its storyboard) are signed like its playlist: through the gateway,
// with the video's generation.
TEST(Presenter, MediaUrlsOfOtherObjectsGoThroughTheGateway) {
  http::UrlSigner signer(std::string(40, 'k'));
  auto mem = storage::NewMemStore();
  Presigning s3(*mem);
  Presenter p(signer, {.url_ttl = std::chrono::seconds(60), .direct_store = &s3});
  catalog::VideoRecord v = Processed();
  v.media_generation = 4;
  const std::string key = "processed/" + v.video_id + "/storyboard/storyboard.vtt";
  const std::string url = p.MediaUrl(v, key);
  ASSERT_TRUE(url.starts_with("/media/" + key + "?")) << url;
  const auto q = url.find("expires=");
  const std::string expires = url.substr(q + 8, url.find('&', q) - q - 8);
  const std::string signature = url.substr(url.find("signature=") + 10);
  EXPECT_TRUE(signer.Verify(key, expires, signature, 4));
  EXPECT_FALSE(signer.Verify(key, expires, signature, 5));
}

TEST(Presenter, DirectUrlsFromAPresigningStoreButHlsStaysOnTheGateway) {
  http::UrlSigner signer(std::string(40, 'k'));
  auto mem = storage::NewMemStore();
  Presigning s3(*mem);
  Presenter p(signer, {.url_ttl = std::chrono::seconds(60), .direct_store = &s3});
  catalog::VideoRecord v = Processed();
  catalog::VideoUrls u = p.Urls(v);
  EXPECT_EQ(u.video_url, "https://bucket.example/" + v.mp4_key);
  EXPECT_EQ(u.poster_url, "https://bucket.example/" + v.poster_key);
  EXPECT_EQ(u.processed_url, "https://bucket.example/" + v.mp4_key);
  EXPECT_TRUE(u.hls_url.starts_with("/media/"));
}

TEST(Presenter, TreeAndTextAreTheSameDocument) {
  http::UrlSigner signer(std::string(40, 'k'));
  Presenter p(signer, {});
  catalog::VideoRecord v = Processed();
  std::string text;
  p.AppendJson(text, v);
  boost::json::object tree = p.Json(v);
  boost::json::object parsed = boost::json::parse(text).as_object();
  // Field by field: the text writes whole doubles as integers, and the signatures' expiry may
  // tick between the two calls, so URLs are only checked for presence.
  ASSERT_EQ(parsed.size(), tree.size());
  for (const auto& [key, value] : tree) {
    SCOPED_TRACE(std::string(key));
    ASSERT_TRUE(parsed.contains(key));
    const boost::json::value& other = parsed.at(key);
    if (std::string_view(key).ends_with("_url")) {
      EXPECT_EQ(value.is_string(), other.is_string());
    } else if (value.is_number()) {
      EXPECT_EQ(value.to_number<double>(), other.to_number<double>());
    } else {
      EXPECT_EQ(value, other);
    }
  }
  EXPECT_TRUE(boost::json::parse(text).as_object().at("hls_url").is_string());
}

// Query value `name` of a signed URL.
std::string Param(const std::string& url, std::string_view name) {
  const size_t at = url.find(std::string(name) + "=");
  if (at == std::string::npos) return {};
  const size_t from = at + name.size() + 1;
  const size_t to = url.find('&', from);
  return url.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

// A settable clock for the presenter's signing steps.
struct TestClock {
  std::chrono::system_clock::time_point t = std::chrono::system_clock::now();
  std::function<std::chrono::system_clock::time_point()> Fn() {
    return [this] { return t; };
  }
};

// Lifetimes of 800 s (public) and 80 s (others): steps of 100 s and 10 s, by `clock`.
PresenterOptions StepOptions(TestClock& clock) {
  return {.url_ttl = std::chrono::seconds(800),
          .private_url_ttl = std::chrono::seconds(80),
          .direct_store = nullptr,
          .now = clock.Fn()};
}

// URLs expire at a whole step (an eighth of their lifetime) after now + ttl, never before it:
// the same text for everyone within a step.
TEST(Presenter, UrlsExpireAtAStepAfterTheirLifetime) {
  http::UrlSigner signer(std::string(40, 'k'));
  TestClock clock;
  Presenter p(signer, StepOptions(clock));
  catalog::VideoRecord v = Processed();
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock.t.time_since_epoch()).count();
  const int64_t expires = std::stoll(Param(p.Urls(v).video_url, "expires"));
  EXPECT_GE(expires, now + 800);
  EXPECT_LT(expires, now + 800 + 100 + 1);
  EXPECT_EQ(expires % 100, 0);
  v.visibility = "private";
  const int64_t private_expires = std::stoll(Param(p.Urls(v).video_url, "expires"));
  EXPECT_GE(private_expires, now + 80);
  EXPECT_LT(private_expires, now + 80 + 10 + 1);
  EXPECT_EQ(private_expires % 10, 0);
}

// StepsUntil is the first second at which either step differs from now's: up to the second
// before it both are the same, at it one has turned.
TEST(Presenter, StepsUntilIsWhenTheFirstStepTurns) {
  http::UrlSigner signer(std::string(40, 'k'));
  TestClock clock;
  clock.t = std::chrono::system_clock::time_point(std::chrono::seconds(1'000'003));
  Presenter p(signer, StepOptions(clock));
  const int64_t pub = p.ExpiresFor("public"), other = p.ExpiresFor("private");
  const int64_t until = p.StepsUntil();
  EXPECT_GT(until, 1'000'003);
  EXPECT_LE(until, 1'000'003 + 10);  // the private step is 10 s
  clock.t = std::chrono::system_clock::time_point(std::chrono::seconds(until - 1)) +
            std::chrono::milliseconds(999);
  EXPECT_EQ(p.ExpiresFor("public"), pub);
  EXPECT_EQ(p.ExpiresFor("private"), other);
  EXPECT_EQ(p.StepsUntil(), until);
  clock.t = std::chrono::system_clock::time_point(std::chrono::seconds(until));
  EXPECT_TRUE(p.ExpiresFor("public") != pub || p.ExpiresFor("private") != other);
  EXPECT_GT(p.StepsUntil(), until);
}

std::string Rendered(const Presenter& p, const catalog::VideoRecord& v) {
  std::string out;
  p.AppendJson(out, v);
  return out;
}

// A video read from the catalog is rendered once per row version and signing step; a new row
// version (any write) or a new step renders it again.
TEST(Presenter, RenderedJsonIsReusedUntilTheRowOrTheStepChanges) {
  http::UrlSigner signer(std::string(40, 'k'));
  TestClock clock;
  Presenter p(signer,
              {.url_ttl = std::chrono::seconds(800), .direct_store = nullptr, .now = clock.Fn()});
  catalog::VideoRecord v = Processed();
  v.row_version = 41;
  v.title = "First";
  const std::string first = Rendered(p, v);
  EXPECT_EQ(p.CachedVideos(), 1u);
  // The same row: the kept text, even were the record to say otherwise.
  catalog::VideoRecord same = v;
  same.title = "Not read again";
  EXPECT_EQ(Rendered(p, same), first);
  // The row changed: rendered afresh.
  v.row_version = 42;
  v.title = "Second";
  const std::string second = Rendered(p, v);
  EXPECT_NE(second.find("\"title\":\"Second\""), std::string::npos) << second;
  // The next step: new expiries, rendered afresh.
  const std::string before = Param(Rendered(p, v), "expires");
  clock.t += std::chrono::seconds(100);
  const std::string later = Rendered(p, v);
  EXPECT_NE(Param(later, "expires"), before);
  EXPECT_EQ(std::stoll(Param(later, "expires")), std::stoll(before) + 100);
  // Records not read from a catalog (row_version 0) are never kept.
  catalog::VideoRecord loose = Processed();
  loose.video_id = "loose";
  loose.title = "one";
  EXPECT_NE(Rendered(p, loose).find("\"one\""), std::string::npos);
  loose.title = "two";
  EXPECT_NE(Rendered(p, loose).find("\"two\""), std::string::npos);
  EXPECT_EQ(p.CachedVideos(), 1u);
}

// Revocation still holds for kept renderings: a visibility change bumps media_generation (and,
// being a write, the row version), so the next listing signs for the new generation and the URLs
// handed out before no longer verify.
TEST(Presenter, KeptUrlsDieWithTheirGeneration) {
  http::UrlSigner signer(std::string(40, 'k'));
  Presenter p(signer, {.url_ttl = std::chrono::seconds(800), .direct_store = nullptr});
  catalog::VideoRecord v = Processed();
  v.row_version = 7;
  v.media_generation = 1;
  const std::string before = Rendered(p, v);
  const std::string url = Param(before, "\"video_url\":\"/media/" + v.mp4_key + "?expires");
  const std::string expires = url.substr(0, url.find('&'));
  const std::string signature = Param(before, "signature").substr(0, 64);
  ASSERT_TRUE(signer.Verify(v.mp4_key, expires, signature, 1));
  v.media_generation = 2;
  v.row_version = 8;
  const std::string after = Rendered(p, v);
  EXPECT_NE(after, before);
  EXPECT_FALSE(signer.Verify(v.mp4_key, expires, signature, 2));
  const std::string new_signature = Param(after, "signature").substr(0, 64);
  EXPECT_TRUE(signer.Verify(v.mp4_key, expires, new_signature, 2));
}

// A listing's entity tag changes exactly when its text could: a row's version, a signing step,
// the order, the rest of the document, the key; and there is none when a row has no version.
TEST(Presenter, ListTagFollowsWhatTheListingsTextDependsOn) {
  http::UrlSigner signer(std::string(40, 'k'));
  TestClock clock;
  Presenter p(signer, StepOptions(clock));
  catalog::VideoRecord a = Processed(), b = Processed();
  a.row_version = 1;
  a.visibility = "public";
  b.video_id = "1c7f3c52-1e0a-4f43-9d5c-6b1f7d0f2a22";
  b.row_version = 5;
  b.visibility = "private";
  const std::vector<catalog::VideoRecord> page{a, b};
  const std::string tag = p.ListTag(page, "2\n");
  ASSERT_EQ(tag.size(), 34u);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag, p.ListTag(page, "2\n"));
  EXPECT_NE(tag, p.ListTag(page, "3\n"));
  EXPECT_NE(tag, p.ListTag({b, a}, "2\n"));
  EXPECT_NE(tag, p.ListTag({a}, "2\n"));
  catalog::VideoRecord changed = b;
  changed.row_version = 6;
  EXPECT_NE(tag, p.ListTag({a, changed}, "2\n"));
  // Within a step of the shorter lifetime (10 s) the same; the next step changes it.
  clock.t =
      clock.t - clock.t.time_since_epoch() % std::chrono::seconds(10) + std::chrono::seconds(1);
  const std::string at_step = p.ListTag(page, "2\n");
  clock.t += std::chrono::seconds(9);
  EXPECT_EQ(at_step, p.ListTag(page, "2\n"));
  clock.t += std::chrono::seconds(1);
  EXPECT_NE(at_step, p.ListTag(page, "2\n"));
  // Another key, other URLs: another tag.
  http::UrlSigner other(std::string(40, 'o'));
  Presenter q(other, StepOptions(clock));
  EXPECT_NE(p.ListTag(page, "2\n"), q.ListTag(page, "2\n"));
  // A row not read from the catalog, or presigned URLs: no tag.
  catalog::VideoRecord unversioned = a;
  unversioned.row_version = 0;
  EXPECT_EQ(p.ListTag({unversioned}, "1\n"), "");
  auto mem = storage::NewMemStore();
  Presigning presigning(*mem);
  Presenter direct(signer, {.direct_store = &presigning});
  EXPECT_EQ(direct.ListTag(page, "2\n"), "");
}

}  // namespace
}  // namespace kinora::videos
