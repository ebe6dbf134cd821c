// List cursors: the opaque, URL-safe token that resumes a keyset scan after the last row of a
// page. It carries the sort it belongs to, the last row's sort value and its video_id.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "kinora/catalog/catalog.h"

namespace kinora::catalog {

struct CursorPosition {
  SortKey sort = SortKey::kTimestamp;
  bool descending = true;
  std::variant<int64_t, double> value;  // double for REAL sort expressions
  std::string video_id;
};

std::string EncodeCursor(const CursorPosition& p);
// kInvalidArgument for anything EncodeCursor did not produce.
Result<CursorPosition> DecodeCursor(std::string_view token);

// Base64url without padding (RFC 4648 §5); Decode returns nullopt on a bad character or length.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace kinora::catalog
