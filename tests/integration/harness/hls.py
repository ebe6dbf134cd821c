"""HLS playlists (RFC 8216) as the gateway serves them: parsing master and media playlists, and
following their URIs through the server the way a player does.

The gateway rewrites every URI in a playlist it serves into a signed /media URL, so each
variant, init segment and media segment is fetched with the URL the playlist names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .client import Client, Response, relative_url

PLAYLIST_TYPES = ("application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl")
_ATTR_RE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')


def attributes(text: str) -> dict[str, str]:
    """'BANDWIDTH=1,CODECS="a,b"' -> {"BANDWIDTH": "1", "CODECS": "a,b"} (quotes removed)."""
    return {k: v[1:-1] if v.startswith('"') else v for k, v in _ATTR_RE.findall(text)}


@dataclass
class Variant:
    attrs: dict[str, str]
    uri: str

    @property
    def bandwidth(self) -> int:
        return int(self.attrs["BANDWIDTH"])

    @property
    def resolution(self) -> tuple[int, int]:
        w, _, h = self.attrs["RESOLUTION"].partition("x")
        return int(w), int(h)

    @property
    def codecs(self) -> str:
        return self.attrs["CODECS"]


@dataclass
class MediaPlaylist:
    target_duration: int
    map_uri: str | None
    segments: list[tuple[float, str]] = field(default_factory=list)  # (EXTINF, URI)
    endlist: bool = False
    tags: list[str] = field(default_factory=list)  # every tag line, in order

    @property
    def duration(self) -> float:
        return sum(d for d, _ in self.segments)


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines and lines[0] == "#EXTM3U", f"not a playlist: {text[:200]!r}"
    return lines


def parse_master(text: str) -> list[Variant]:
    """Every #EXT-X-STREAM-INF with the URI on the line after it, in playlist order."""
    lines, variants = _lines(text), []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            assert i + 1 < len(lines) and not lines[i + 1].startswith("#"), \
                f"#EXT-X-STREAM-INF without a URI line: {line}"
            variants.append(Variant(attributes(line.split(":", 1)[1]), lines[i + 1]))
    return variants


def parse_media(text: str) -> MediaPlaylist:
    lines = _lines(text)
    pl = MediaPlaylist(target_duration=-1, map_uri=None)
    pending: float | None = None
    for line in lines[1:]:
        if line.startswith("#"):
            pl.tags.append(line)
            if line.startswith("#EXT-X-TARGETDURATION:"):
                pl.target_duration = int(line.split(":", 1)[1])
            elif line.startswith("#EXT-X-MAP:"):
                pl.map_uri = attributes(line.split(":", 1)[1])["URI"]
            elif line.startswith("#EXTINF:"):
                pending = float(line.split(":", 1)[1].split(",")[0])
            elif line == "#EXT-X-ENDLIST":
                pl.endlist = True
        else:
            assert pending is not None, f"segment URI without #EXTINF: {line}"
            pl.segments.append((pending, line))
            pending = None
    return pl


def fetch(client: Client, url: str) -> Response:
    """GET a URL named by the API or a served playlist (absolute or path-only); expects 200."""
    resp = client.get(relative_url(url))
    assert resp.status == 200, f"GET {url}: {resp!r}"
    return resp


def fetch_playlist(client: Client, url: str) -> str:
    resp = fetch(client, url)
    assert resp.content_type in PLAYLIST_TYPES, f"{url}: Content-Type {resp.content_type}"
    return resp.body.decode()


def uris(text: str) -> list[str]:
    """Every URI a playlist names: URI lines and URI="..." attributes."""
    out = []
    for line in _lines(text):
        if not line.startswith("#"):
            out.append(line)
        else:
            out += re.findall(r'URI="([^"]*)"', line)
    return out
