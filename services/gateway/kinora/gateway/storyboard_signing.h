// Signed storyboards: a WebVTT thumbnails track names its sprite sheets relative to itself
// ("sprite_000.jpg#xywh=0,0,160,90", docs/content-analysis.md), and a player resolves them
// against the track's URL, which drops the query string carrying the signature. So the gateway
// rewrites every cue payload URI of a track it serves into a signed /media/ URL with the same
// expiry and media generation as the track's own URL, keeping the media fragment (#xywh=…).
// Thread safety: pure function (the signer is immutable).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kinora/http/signed_url.h"

namespace kinora::gateway {

// vtt_key: the object key of the track ("processed/{id}/storyboard/storyboard.vtt"). Only cue
// payload lines (after a "-->" timing line, up to the blank line) are rewritten; the header,
// NOTE, STYLE and REGION blocks and cue identifiers are copied. Absolute URLs and URIs that would
// leave the store's root are left alone (ResolveRelativeKey). Line ends become "\n".
std::string SignStoryboard(std::string_view text, std::string_view vtt_key,
                           const http::UrlSigner& signer, int64_t expires_unix,
                           int64_t generation = 0);

}  // namespace kinora::gateway
