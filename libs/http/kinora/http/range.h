// HTTP Range requests (RFC 9110 §14): parsing a single "bytes=" range against a known size.
// Multiple ranges are answered with the whole entity (allowed by the RFC), not multipart.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kinora::http {

struct RangeResult {
  enum Kind { kNone, kSatisfiable, kUnsatisfiable } kind = kNone;
  uint64_t first = 0;  // inclusive, valid when kSatisfiable
  uint64_t last = 0;   // inclusive
};

// kNone: no header, a syntax we ignore (serve 200), or several ranges.
RangeResult ParseRange(std::string_view header, uint64_t size);

// "bytes 0-99/1234"
std::string ContentRange(uint64_t first, uint64_t last, uint64_t size);

}  // namespace kinora::http
