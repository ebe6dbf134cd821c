#include "kinora/http/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace kinora::http {

TEST(Problem, CarriesTheStandardMembersAndExtensions) {
  Response r = Problem(Status::service_unavailable, "not ready: queue unavailable",
                       boost::json::object{{"checks", boost::json::object{{"queue", "down"}}}});
  EXPECT_EQ(r.status, Status::service_unavailable);
  EXPECT_EQ(r.headers[bhttp::field::content_type], "application/problem+json");
  auto o = boost::json::parse(r.body).as_object();
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
      {Cancelled("m"), Status::bad_request},
      {Internal("m"), Status::internal_server_error},
  };
  for (const auto& row : kTable) {
    SCOPED_TRACE(ToString(row.error.code));
    EXPECT_EQ(StatusFor(row.error.code), row.status);
    Response r = ProblemFrom(row.error);
    EXPECT_EQ(r.status, row.status);
  }
}

}  // namespace kinora::http
