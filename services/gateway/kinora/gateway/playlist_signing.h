// Signed HLS: a player resolves the URIs inside a playlist against the playlist's URL, which
// drops the query string that carries the signature. So the gateway rewrites every URI of a
// playlist it serves (variant playlists, #EXT-X-MAP and other URI="…" attributes, segments)
// into a signed /media/ URL with the same expiry (and media generation) as the playlist's own URL.
// Thread safety: pure function (the signer is immutable).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kinora/http/signed_url.h"

namespace kinora::gateway {

// The object key a relative URI inside the object `base_key` names ("../" allowed within the
// store), or nothing for absolute URLs ("https://…", "/…"), URIs with a query or fragment, and
// URIs that would leave the store's root.
std::optional<std::string> ResolveRelativeKey(std::string_view base_key, std::string_view uri);

// playlist_key: the object key of the playlist ("processed/{id}/hls/master.m3u8"); relative
// URIs resolve against its folder ("../" allowed within the store). Absolute URLs ("https://…",
// "/…") are left alone, as are URIs that would leave the store's root.
// `direct` (optional) may give a URL straight to the object store for a key that is not a
// playlist (segments, init sections): when it returns one, that is used instead of /media/,
// so segments come from S3 itself while playlists still pass through the gateway.
std::string SignPlaylist(std::string_view text, std::string_view playlist_key,
                         const http::UrlSigner& signer, int64_t expires_unix,
                         const std::function<std::string(const std::string& key)>& direct = {},
                         int64_t generation = 0);

}  // namespace kinora::gateway
