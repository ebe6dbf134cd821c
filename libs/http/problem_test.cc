#include "kinora/http/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace kinora::http {

TEST(Problem, CarriesTheStandardMembersAndExtensions) {
  Response r = Problem(Status::service_unavailable, "not ready: queue unavailable",
                       boost::json::object{{"checks", boost::json::object{{"queue", "down"}}}});
  EXPECT_EQ(r.status, Status::service_unavailable);
  EXPECT_EQ(r.headers[bhttp::field::content_type], "application/problem+json");
  ASSERT_TRUE(r.problem);
  auto o = *r.problem;
  EXPECT_EQ(o["status"].as_int64(), 503);
  EXPECT_EQ(o["title"].as_string(), "Service Unavailable");
  EXPECT_EQ(o["detail"].as_string(), "not ready: queue unavailable");
  EXPECT_EQ(o["checks"].as_object()["queue"].as_string(), "down");
}

TEST(Problem, StatusForMapsEveryErrorCode) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalidArgument), Status::bad_request);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), Status::not_found);
  EXPECT_EQ(StatusFor(ErrorCode::kTooLarge), Status::payload_too_large);
  EXPECT_EQ(StatusFor(ErrorCode::kUnsupported), Status::unprocessable_entity);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), Status::service_unavailable);
  EXPECT_EQ(StatusFor(ErrorCode::kPermissionDenied), Status::forbidden);
}

// The whole table, through the named constructors services use: ProblemFrom(NotFound(...)).
TEST(Problem, EveryNamedErrorBecomesItsStatus) {
  const struct {
    Error error;
    Status status;
  } kTable[] = {
      {InvalidArgument("m"), Status::bad_request},
      {NotFound("m"), Status::not_found},
      {AlreadyExists("m"), Status::conflict},
      {TooLarge("m"), Status::payload_too_large},
      {UnsupportedMediaType("m"), Status::unsupported_media_type},
      {Unsupported("m"), Status::unprocessable_entity},
      {Unavailable("m"), Status::service_unavailable},
      {DeadlineExceeded("m"), Status::gateway_timeout},
      {BadUpstream("m"), Status::bad_gateway},
      {PermissionDenied("m"), Status::forbidden},
      {ResourceExhausted("m"), Status::too_many_requests},
      {Cancelled("m"), Status::bad_request},
      {InsufficientStorage("m"), Status::insufficient_storage},
      {Internal("m"), Status::internal_server_error},
  };
  for (const auto& row : kTable) {
    SCOPED_TRACE(ToString(row.error.code));
    EXPECT_EQ(StatusFor(row.error.code), row.status);
    Response r = ProblemFrom(row.error);
    EXPECT_EQ(r.status, row.status);
    ASSERT_TRUE(r.problem);
    EXPECT_EQ((*r.problem)["status"].as_int64(), static_cast<int>(row.status));
    EXPECT_EQ((*r.problem)["detail"].as_string(), "m");
  }
}

TEST(Problem, TooManyRequestsSaysWhenToComeBack) {
  Response r = TooManyRequests(7, "too many sign-in attempts");
  EXPECT_EQ(r.status, Status::too_many_requests);
  EXPECT_EQ(r.headers[bhttp::field::retry_after], "7");
  EXPECT_EQ(r.headers[bhttp::field::content_type], "application/problem+json");
  ASSERT_TRUE(r.problem);
  EXPECT_EQ((*r.problem)["status"].as_int64(), 429);
  EXPECT_EQ((*r.problem)["title"].as_string(), "Too Many Requests");
  EXPECT_EQ((*r.problem)["type"].as_string(), "https://kinora.dev/problems/too-many-requests");
  EXPECT_EQ((*r.problem)["detail"].as_string(), "too many sign-in attempts");
  // Never "Retry-After: 0", which would invite an immediate retry.
  EXPECT_EQ(TooManyRequests(0, "x").headers[bhttp::field::retry_after], "1");
  EXPECT_EQ(TooManyRequests(-3, "x").headers[bhttp::field::retry_after], "1");
}

TEST(Problem, ProblemFromKeepsExtensions) {
  Response r = ProblemFrom(Unavailable("not ready"), boost::json::object{{"checks", "x"}});
  EXPECT_EQ(r.status, Status::service_unavailable);
  EXPECT_EQ((*r.problem)["checks"].as_string(), "x");
}

TEST(Problem, StaysStructuredUntilRenderedWithOneCorrelationId) {
  Response r = ProblemFrom(NotFound("no such video"),
                           boost::json::object{{"correlation_id", "stale"}, {"id", "v1"}});
  EXPECT_TRUE(r.body.empty());
  RenderProblem(r, "cid-42");
  EXPECT_FALSE(r.problem);
  auto o = boost::json::parse(r.body).as_object();
  EXPECT_EQ(o["correlation_id"].as_string(), "cid-42");
  EXPECT_EQ(o["detail"].as_string(), "no such video");
  EXPECT_EQ(o["id"].as_string(), "v1");
  const std::string key = "\"correlation_id\"";
  const size_t first = r.body.find(key);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(r.body.find(key, first + 1), std::string::npos) << r.body;

  const std::string once = r.body;
  RenderProblem(r, "cid-other");  // already text: left alone
  EXPECT_EQ(r.body, once);
}

TEST(Problem, RenderLeavesATextProblemAlone) {
  // A proxied upstream's problem arrives as text and already carries its correlation_id.
  Response r;
  r.status = Status::payload_too_large;
  r.Set(bhttp::field::content_type, "application/problem+json");
  r.body = R"({"status":413,"detail":"too big","correlation_id":"c1"})";
  const std::string upstream = r.body;
  RenderProblem(r, "c1");
  EXPECT_EQ(r.body, upstream);
}

TEST(Problem, NeverCarriesServerPaths) {
  Response r = ProblemFrom(
      InsufficientStorage("write /srv/kinora/data/objects/.tmp/x-1.part: No space left on device"));
  EXPECT_EQ(r.status, Status::insufficient_storage);
  ASSERT_TRUE(r.problem);
  EXPECT_EQ((*r.problem)["detail"].as_string(), "write x-1.part: No space left on device");
}

}  // namespace kinora::http
