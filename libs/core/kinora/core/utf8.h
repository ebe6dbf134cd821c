// UTF-8 at Kinora's edges: strict validation of the text clients send (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF, no truncated sequences) and a repair that
// replaces each invalid sequence with U+FFFD, for names we keep rather than refuse and as the
// JSON writer's last line of defence.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kinora/core/error.h"

namespace kinora {

// The bytes at s[i] (REQUIRES: i < s.size()): a valid character of `length` bytes, or an
// invalid sequence of `length` bytes (the maximal subpart of a valid one, at least 1) that one
// U+FFFD replaces, as the WHATWG and Unicode decoders count them.
struct Utf8Step {
  size_t length = 1;
  bool valid = false;
};
Utf8Step NextUtf8(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

// s with every invalid sequence replaced by U+FFFD (EF BF BD); valid text is returned as is.
std::string ToValidUtf8(std::string_view s);

// The longest prefix of s of at most max_bytes that does not split a character.
// REQUIRES: s is valid UTF-8.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

// A text field from a client: InvalidArgument naming the field when it is not valid UTF-8.
Result<void> CheckUtf8Field(std::string_view field, std::string_view value);

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

}  // namespace kinora
