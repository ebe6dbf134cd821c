#include "kinora/http/problem.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cctype>
#include <string>

#include "kinora/core/json_text.h"
#include "kinora/core/public_text.h"

namespace kinora::http {

Status StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return Status::bad_request;
    case ErrorCode::kNotFound:
      return Status::not_found;
    case ErrorCode::kAlreadyExists:
      return Status::conflict;
    case ErrorCode::kTooLarge:
      return Status::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return Status::unsupported_media_type;
    case ErrorCode::kUnsupported:
      return Status::unprocessable_entity;
    case ErrorCode::kUnavailable:
      return Status::service_unavailable;
    case ErrorCode::kDeadlineExceeded:
      return Status::gateway_timeout;
    case ErrorCode::kBadUpstream:
      return Status::bad_gateway;
    case ErrorCode::kPermissionDenied:
      return Status::forbidden;
    case ErrorCode::kUnauthenticated:
      return Status::unauthorized;
    case ErrorCode::kResourceExhausted:
      return Status::too_many_requests;
    case ErrorCode::kCancelled:
      return Status::bad_request;
    case ErrorCode::kInsufficientStorage:
      return Status::insufficient_storage;
    case ErrorCode::kInternal:
      return Status::internal_server_error;
  }
  return Status::internal_server_error;
}

Response ProblemFrom(const Error& e, const boost::json::object& extensions) {
  return Problem(StatusFor(e.code), e.message, extensions);
}

Response TooManyRequests(int retry_after_seconds, std::string detail) {
  Response r = ProblemFrom(ResourceExhausted(std::move(detail)));
  r.Set(bhttp::field::retry_after, std::to_string(std::max(1, retry_after_seconds)));
  return r;
}

Response Problem(Status status, std::string_view detail, const boost::json::object& extensions) {
  std::string title(ReasonPhrase(status));
  std::string slug;
  for (char c : title) {
    slug.push_back(std::isalnum(static_cast<unsigned char>(c))
                       ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                       : '-');
  }
  boost::json::object o;
  o["type"] = "https://kinora.dev/problems/" + slug;
  o["title"] = title;
  o["status"] = static_cast<int>(status);
  o["detail"] = WithoutServerPaths(detail);  // every problem passes here: no server paths out
  for (const auto& kv : extensions) o[kv.key()] = kv.value();
  Response r;
  r.status = status;
  r.problem = std::move(o);
  r.Set(bhttp::field::content_type, "application/problem+json");
  return r;
}

void RenderProblem(Response& r, std::string_view correlation_id) {
  if (!r.problem) return;
  (*r.problem)["correlation_id"] = correlation_id;
  r.body = ToJsonText(*r.problem);
  r.problem.reset();
}

Response Json(Status status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = ToJsonText(v);
  r.Set(bhttp::field::content_type, "application/json");
  return r;
}

Response Json(const boost::json::value& v) { return Json(Status::ok, v); }

}  // namespace kinora::http
