// Expected failures as values: every fallible operation in Kinora returns Result<T>.
// Error carries a portable code (mapped once per backend from errno/SQLite/libav/HTTP)
// and a human-readable message. Bugs and impossible states throw instead.
// Thread safety: plain values, safe to copy between threads.
#pragma once

#include <boost/system/result.hpp>
#include <source_location>
#include <string>
#include <string_view>

namespace kinora {

enum class ErrorCode {
  kInvalidArgument,   // the caller passed something malformed (bad key, bad id, bad query)
  kNotFound,          // the named thing does not exist
  kAlreadyExists,     // a create collided with an existing thing
  kTooLarge,          // a size limit was exceeded
  kUnsupported,       // well-formed but not something we accept (e.g. not a video)
  kUnavailable,       // a dependency is down or timed out; retrying may help
  kPermissionDenied,  // signature invalid or expired, or the OS refused
  kCancelled,         // the operation was aborted (client went away, shutdown)
  kInternal,          // anything else; a bug or an unexpected backend failure
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

Error MakeError(ErrorCode code, std::string message);

// Prefixes the message with context ("put videos/x.mp4: ...") keeping the code.
Error Annotate(Error e, std::string_view context);

// Used by boost::system::result<T, Error>::value() when a Result holds an error.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace kinora

// Early return on error: KINORA_TRY(auto x, Expr());  or  KINORA_TRY_VOID(Expr());
#define KINORA_CONCAT_INNER(a, b) a##b
#define KINORA_CONCAT(a, b) KINORA_CONCAT_INNER(a, b)
#define KINORA_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                     \
  if (!tmp) return tmp.error();          \
  decl = std::move(*tmp)
#define KINORA_TRY(decl, expr) KINORA_TRY_IMPL(KINORA_CONCAT(kinora_try_, __LINE__), decl, expr)
#define KINORA_TRY_VOID(expr)                       \
  do {                                              \
    auto kinora_try_v = (expr);                     \
    if (!kinora_try_v) return kinora_try_v.error(); \
  } while (0)
