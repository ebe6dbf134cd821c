#include "kinora/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace kinora::http {

TEST(Router, MatchesLiteralsParamsAndRest) {
  Router r;
  r.Add(Verb::get, "/api/analytics/video/{id}", [](Request&) { return Response{}; });
  r.Add(Verb::post, "/api/analytics/view/{id}", [](Request&) { return Response{}; });
  r.Add(Verb::get, "/media/*", [](Request&) { return Response{}; });
  auto m = r.Find(Verb::get, "/api/analytics/video/abc");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["id"], "abc");
  m = r.Find(Verb::head, "/media/videos/x.mp4");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params["*"], "videos/x.mp4");
  EXPECT_FALSE(r.Find(Verb::get, "/api/analytics/video").route);
  EXPECT_FALSE(r.Find(Verb::get, "/api/analytics/video/a/b").route);
  EXPECT_FALSE(r.Find(Verb::get, "/media").route);
}

TEST(Router, WrongMethodListsAllow) {
  Router r;
  r.Add(Verb::get, "/x/{id}", [](Request&) { return Response{}; });
  r.Add(Verb::delete_, "/x/{id}", [](Request&) { return Response{}; });
  auto m = r.Find(Verb::post, "/x/1");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "GET, HEAD, DELETE");
  EXPECT_TRUE(r.Find(Verb::post, "/nothing").allow.empty());
}

TEST(Router, ARouteHoldsExactlyOneKindOfHandler) {
  Router r;
  r.Add(Verb::get, "/plain", [](Request&) { return Response{}; });
  r.AddStreaming(
      Verb::post, "/stream",
      [](Request&, BodyReader&) -> boost::asio::awaitable<Response> { co_return Response{}; },
      RouteOptions{.body_limit = 1 << 20});
  const Route* plain = r.Find(Verb::get, "/plain").route;
  const Route* stream = r.Find(Verb::post, "/stream").route;
  ASSERT_TRUE(plain && stream);
  EXPECT_FALSE(plain->streaming());
  EXPECT_TRUE(std::holds_alternative<Handler>(plain->handler));
  EXPECT_EQ(plain->options.body_limit, 64u * 1024);
  EXPECT_TRUE(stream->streaming());
  EXPECT_TRUE(std::holds_alternative<StreamHandler>(stream->handler));
  EXPECT_EQ(stream->options.body_limit, 1u << 20);
}

TEST(Router, RefusesAnEmptyHandler) {
  Router r;
  EXPECT_THROW(r.Add(Verb::get, "/x", Handler{}), std::invalid_argument);
  EXPECT_THROW(r.AddStreaming(Verb::post, "/x", StreamHandler{}, {}), std::invalid_argument);
  EXPECT_THROW(r.SetFallback(Handler{}), std::invalid_argument);
  EXPECT_TRUE(r.routes().empty());
}

TEST(Router, FallbackServesUnmatchedGetAndHeadOnly) {
  Router r;
  r.Add(Verb::post, "/api/upload", [](Request&) { return Response{}; });
  EXPECT_FALSE(r.Find(Verb::get, "/library").route);  // no fallback yet: 404
  r.SetFallback([](Request&) { return Response{}; });
  for (Verb v : {Verb::get, Verb::head}) {
    const Route* f = r.Find(v, "/library").route;
    ASSERT_TRUE(f);
    EXPECT_EQ(f->pattern, "(static)");
    EXPECT_FALSE(f->streaming());
  }
  EXPECT_FALSE(r.Find(Verb::post, "/library").route);
  auto m = r.Find(Verb::get, "/api/upload");  // the path exists: 405, not the fallback
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allow, "POST");
}

}  // namespace kinora::http
