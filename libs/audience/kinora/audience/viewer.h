// Who is watching, as far as the privacy rules allow (docs/analytics.md "Privacy"): the viewer
// key (HMAC-SHA256 of the address and User-Agent under a random daily salt, cut to 16 bytes),
// the hourly dedupe key, the DNT/GPC test, and the hook that turns a User-Agent and address into
// breakdown dimensions (helper libraries implement the real one; the default knows only bots).
// Thread safety: pure functions; a DimensionResolver must be callable from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kinora::audience {

// Dimensions of one request. `bot`: a known bot (uap-core's Spider family), an empty
// User-Agent or a headless browser.
struct Dimensions {
  std::string device, browser, os, country;
  bool bot = false;
};
using DimensionResolver =
    std::function<Dimensions(std::string_view user_agent, std::string_view client_ip)>;

// No dimensions; bot when LooksLikeABot(user_agent).
DimensionResolver DefaultDimensionResolver();
// An empty User-Agent, or one with a headless browser's or a crawler's token.
bool LooksLikeABot(std::string_view user_agent);

// A new random salt: 32 bytes (libsodium randombytes), as 64 lowercase hex characters.
std::string NewSalt();

// HMAC-SHA256(salt, ip ‖ 0x00 ‖ user_agent), the first 16 bytes, as 32 hex characters.
// `salt_hex` is a NewSalt() value.
std::string ViewerKey(std::string_view salt_hex, std::string_view client_ip,
                      std::string_view user_agent);

// The key that lets one view per viewer per video per hour count: HMAC-SHA256(salt, "dedupe" ‖
// ip ‖ 0x00 ‖ user_agent ‖ 0x00 ‖ video_id ‖ 0x00 ‖ hour_start), 16 bytes as 32 hex characters.
std::string DedupeKey(std::string_view salt_hex, std::string_view client_ip,
                      std::string_view user_agent, std::string_view video_id, int64_t hour_start);

// DNT: 1 or Sec-GPC: 1 (header values as sent; surrounding spaces ignored).
bool OptedOut(std::string_view dnt_header, std::string_view gpc_header);

}  // namespace kinora::audience
