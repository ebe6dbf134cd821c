#include "kinora/core/utf8.h"

namespace kinora {
namespace {

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

}  // namespace

Utf8Step NextUtf8(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {1, true};
  // The accepted range of the second byte and the sequence's length, by lead byte (RFC 3629
  // table 3-7): the narrow ranges shut out overlong forms, surrogates and > U+10FFFF.
  size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (InRange(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3, lo = 0xA0;
  } else if (lead == 0xED) {
    length = 3, hi = 0x9F;
  } else if (InRange(lead, 0xE1, 0xEF)) {
    length = 3;
  } else if (lead == 0xF0) {
    length = 4, lo = 0x90;
  } else if (lead == 0xF4) {
    length = 4, hi = 0x8F;
  } else if (InRange(lead, 0xF1, 0xF3)) {
    length = 4;
  } else {
    return {1, false};  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  size_t k = 1;
  for (; k < length; ++k) {
    if (i + k >= s.size()) return {k, false};  // truncated
    const bool ok = k == 1 ? InRange(byte(i + k), lo, hi) : InRange(byte(i + k), 0x80, 0xBF);
    if (!ok) return {k, false};
  }
  return {length, true};
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const Utf8Step step = NextUtf8(s, i);
    if (!step.valid) return false;
    i += step.length;
  }
  return true;
}

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t run = 0;  // start of the pending run of valid bytes
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const Utf8Step step = NextUtf8(s, i);
    if (!step.valid) {
      out.append(s.data() + run, i - run);
      out += kReplacementCharacter;
      run = i + step.length;
    }
    i += step.length;
  }
  out.append(s.data() + run, s.size() - run);
  return out;
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back up over continuation bytes to the start of the character that would be cut.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

Result<void> CheckUtf8Field(std::string_view field, std::string_view value) {
  if (IsValidUtf8(value)) return {};
  return InvalidArgument("'" + std::string(field) + "' is not valid UTF-8 text");
}

}  // namespace kinora
