#include "kinora/http/router.h"

#include <gtest/gtest.h>

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

}  // namespace kinora::http
