#include "kinora/core/error.h"

#include <stdexcept>

namespace kinora {

std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case ErrorCode::kBadUpstream:
      return "bad_upstream";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInsufficientStorage:
      return "insufficient_storage";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

Error MakeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

Error InvalidArgument(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}
Error NotFound(std::string message) { return MakeError(ErrorCode::kNotFound, std::move(message)); }
Error AlreadyExists(std::string message) {
  return MakeError(ErrorCode::kAlreadyExists, std::move(message));
}
Error TooLarge(std::string message) { return MakeError(ErrorCode::kTooLarge, std::move(message)); }
Error UnsupportedMediaType(std::string message) {
  return MakeError(ErrorCode::kUnsupportedMediaType, std::move(message));
}
Error Unsupported(std::string message) {
  return MakeError(ErrorCode::kUnsupported, std::move(message));
}
Error Unavailable(std::string message) {
  return MakeError(ErrorCode::kUnavailable, std::move(message));
}
Error DeadlineExceeded(std::string message) {
  return MakeError(ErrorCode::kDeadlineExceeded, std::move(message));
}
Error BadUpstream(std::string message) {
  return MakeError(ErrorCode::kBadUpstream, std::move(message));
}
Error PermissionDenied(std::string message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}
Error Unauthenticated(std::string message) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(message));
}
Error ResourceExhausted(std::string message) {
  return MakeError(ErrorCode::kResourceExhausted, std::move(message));
}
Error Cancelled(std::string message) {
  return MakeError(ErrorCode::kCancelled, std::move(message));
}
Error InsufficientStorage(std::string message) {
  return MakeError(ErrorCode::kInsufficientStorage, std::move(message));
}
Error Internal(std::string message) { return MakeError(ErrorCode::kInternal, std::move(message)); }

Error Annotate(Error e, std::string_view context) {
  e.message = std::string(context) + ": " + e.message;
  return e;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(std::string(ToString(e.code)) + ": " + e.message);
}

}  // namespace kinora
