#include "kinora/core/error.h"

#include <gtest/gtest.h>

#include <set>

namespace kinora {

TEST(Error, NamedConstructorsCarryTheirCodeAndMessage) {
  const struct {
    Error error;
    ErrorCode code;
  } kTable[] = {
      {InvalidArgument("m"), ErrorCode::kInvalidArgument},
      {NotFound("m"), ErrorCode::kNotFound},
      {AlreadyExists("m"), ErrorCode::kAlreadyExists},
      {TooLarge("m"), ErrorCode::kTooLarge},
      {UnsupportedMediaType("m"), ErrorCode::kUnsupportedMediaType},
      {Unsupported("m"), ErrorCode::kUnsupported},
      {Unavailable("m"), ErrorCode::kUnavailable},
      {DeadlineExceeded("m"), ErrorCode::kDeadlineExceeded},
      {BadUpstream("m"), ErrorCode::kBadUpstream},
      {PermissionDenied("m"), ErrorCode::kPermissionDenied},
      {ResourceExhausted("m"), ErrorCode::kResourceExhausted},
      {Cancelled("m"), ErrorCode::kCancelled},
      {InsufficientStorage("m"), ErrorCode::kInsufficientStorage},
      {Internal("m"), ErrorCode::kInternal},
  };
  std::set<std::string_view> names;
  for (const auto& row : kTable) {
    EXPECT_EQ(row.error, MakeError(row.code, "m"));
    names.insert(ToString(row.code));
  }
  EXPECT_EQ(names.size(), std::size(kTable));  // every code has its own name
}

TEST(Error, AnnotateKeepsTheCode) {
  Error e = Annotate(NotFound("no such key"), "get videos/x.mp4");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "get videos/x.mp4: no such key");
}

}  // namespace kinora
