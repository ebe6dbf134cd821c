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

// Each code has one HTTP status (kinora/http/problem.h, StatusFor) and one constructor below.
enum class ErrorCode {
  kInvalidArgument,       // the caller passed something malformed (bad key, bad id, bad query)
  kNotFound,              // the named thing does not exist
  kAlreadyExists,         // a create collided with an existing thing
  kTooLarge,              // a size limit was exceeded
  kUnsupportedMediaType,  // the input's declared type is not one we take (not multipart, say)
  kUnsupported,           // well-formed but not something we can process (e.g. not a video)
  kUnavailable,           // a dependency is down or timed out; retrying may help
  kDeadlineExceeded,      // an upstream we relay to did not answer in time (a gateway timeout)
  kBadUpstream,           // an upstream we relay to sent something broken or dropped the exchange
  kPermissionDenied,   // signature invalid or expired, a right or scope missing, or the OS refused
  kUnauthenticated,    // credentials are needed and none (or no valid ones) came
  kResourceExhausted,  // the caller used up a budget (a rate limit); retrying later may help
  kCancelled,          // the operation was aborted (client went away, shutdown)
  kInsufficientStorage,  // the disk (or the store behind it) is full or below its reserve
  kInternal,             // anything else; a bug or an unexpected backend failure
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

Error MakeError(ErrorCode code, std::string message);

// Named constructors, one per code: `return NotFound("no video " + id);`
Error InvalidArgument(std::string message);
Error NotFound(std::string message);
Error AlreadyExists(std::string message);
Error TooLarge(std::string message);
Error UnsupportedMediaType(std::string message);
Error Unsupported(std::string message);
Error Unavailable(std::string message);
Error DeadlineExceeded(std::string message);
Error BadUpstream(std::string message);
Error PermissionDenied(std::string message);
Error Unauthenticated(std::string message);
Error ResourceExhausted(std::string message);
Error Cancelled(std::string message);
Error InsufficientStorage(std::string message);
Error Internal(std::string message);

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
