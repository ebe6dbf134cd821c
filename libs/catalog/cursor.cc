#include "cursor.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "sort_keys.h"

namespace kinora::catalog {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kVersion = "k1";

Error Malformed() { return MakeError(ErrorCode::kInvalidArgument, "malformed cursor"); }

template <class T>
bool ParseWhole(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = byte(i) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (rest == 2) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  static const std::array<int8_t, 256> kIndex = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (size_t k = 0; k < kAlphabet.size(); ++k) {
      t[static_cast<unsigned char>(kAlphabet[k])] = static_cast<int8_t>(k);
    }
    return t;
  }();
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    int8_t v = kIndex[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // Leftover bits must be zero, so every token has exactly one spelling.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string EncodeCursor(const CursorPosition& p) {
  std::string text(kVersion);
  text += '|';
  text += ToString(p.sort);
  text += p.descending ? "|d|" : "|a|";
  char buf[64];
  auto [end, ec] =
      std::visit([&](auto v) { return std::to_chars(buf, buf + sizeof buf, v); }, p.value);
  (void)ec;  // 64 bytes always hold an int64 or a shortest round-trip double
  text.append(buf, end);
  text += '|';
  text += p.video_id;
  return Base64UrlEncode(text);
}

Result<CursorPosition> DecodeCursor(std::string_view token) {
  if (token.empty() || token.size() > 1024) return Malformed();
  auto text = Base64UrlDecode(token);
  if (!text) return Malformed();
  // k1|<sort>|<a|d>|<value>|<video_id>; the id is the remainder (it may contain '|').
  std::vector<std::string_view> parts;
  std::string_view rest = *text;
  for (int k = 0; k < 4; ++k) {
    auto bar = rest.find('|');
    if (bar == std::string_view::npos) return Malformed();
    parts.push_back(rest.substr(0, bar));
    rest.remove_prefix(bar + 1);
  }
  if (parts[0] != kVersion || rest.empty()) return Malformed();
  CursorPosition p;
  auto sort = ParseSortKey(parts[1]);
  if (!sort || ToString(*sort) != parts[1]) return Malformed();
  p.sort = *sort;
  if (parts[2] == "d") {
    p.descending = true;
  } else if (parts[2] == "a") {
    p.descending = false;
  } else {
    return Malformed();
  }
  if (internal::SortIsReal(p.sort)) {
    double d = 0;
    if (!ParseWhole(parts[3], d) || !std::isfinite(d)) return Malformed();
    p.value = d;
  } else {
    int64_t n = 0;
    if (!ParseWhole(parts[3], n)) return Malformed();
    p.value = n;
  }
  p.video_id = std::string(rest);
  return p;
}

}  // namespace kinora::catalog
