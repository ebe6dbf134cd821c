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
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

Error MakeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

Error Annotate(Error e, std::string_view context) {
  e.message = std::string(context) + ": " + e.message;
  return e;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw std::runtime_error(std::string(ToString(e.code)) + ": " + e.message);
}

}  // namespace kinora
