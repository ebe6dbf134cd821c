"""Processing (KINORA_WORKERS > 0): every upload becomes web-ready media, judged through the
URLs the server hands out, the way a player would use them.

A server with two workers gets a library of clips up front (every accepted container, HEVC,
VP9, a rotated phone clip, odd sizes, 10-bit, 4:4:4, anamorphic, silent, variable frame rate)
and damaged files. Every good clip must end PROCESSED with HLS renditions, a progressive MP4,
a thumbnail and a poster that decode, have the right size, orientation, codecs and duration,
and exactly one set of objects in the store; every damaged file must be refused at upload
(422) or end FAILED with a reason, never stuck. A second server is killed -9 in the middle of
a job: after a restart the job finishes once, with no duplicate, partial or temp files; a
job delivered twice does no harm.
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest

from harness import api, av, hls, processing, schema
from harness.media import MediaFixtures, display_rotation, mp4_boxes
from harness.processing import http_url

SPEC_PATH = Path(__file__).resolve().parents[2] / "api" / "openapi.json"
CODECS_RE = re.compile(r"^avc1\.6400([0-9a-f]{2})(,mp4a\.40\.2)?$")
PROBE_FIELDS = ("container", "duration_seconds", "bitrate", "video_codec", "width", "height",
                "rotation", "sample_aspect_ratio", "fps", "variable_frame_rate", "pixel_format",
                "bit_depth", "video_bitrate", "audio_codec", "sample_rate", "channels",
                "audio_bitrate")
RENDITION_FIELDS = {"name": str, "width": int, "height": int, "bandwidth": int, "codecs": str,
                    "copy": bool, "segments": int, "duration_seconds": (int, float)}
GOP_SECONDS = 2.0


@dataclass(frozen=True)
class Clip:
    """A good source and what processing must make of it."""
    make: Callable[[MediaFixtures], Path]
    display: tuple[int, int]        # display size: rotation applied, square pixels
    rungs: tuple[str, ...]          # HLS rendition names, tallest first
    audio: bool = True
    rotated: bool = False
    sar: str = "1:1"
    bit_depth: int = 8
    vfr: bool = False
    copied: tuple[str, ...] = ()    # rungs that must be copies of the source's video stream


def clip(name: str, display, rungs, **kw) -> Clip:
    return Clip(lambda m: m.clip(name), display, rungs, **kw)


SMALL = ((320, 240), ("240p",))
WIDE = ((640, 360), ("360p", "240p"))

GOOD = {
    "mp4": clip("mp4", *SMALL),              # H.264 + AAC
    "webm": clip("webm", *SMALL),            # VP9 + Opus
    "mkv_hevc": clip("mkv_hevc", *SMALL),    # HEVC + AAC in Matroska
    "mov": clip("mov", *SMALL),
    "avi": clip("avi", *SMALL),              # MPEG-4 part 2 + MP3 44.1 kHz
    "flv": clip("flv", *SMALL),              # Sorenson Spark + MP3
    "wmv": clip("wmv", *SMALL),              # WMV2 + WMA2
    "m4v": clip("m4v", *SMALL),
    "hd_mp4": clip("hd_mp4", *WIDE),
    "rotated": Clip(lambda m: m.rotated(), (360, 640), ("360p", "240p"), rotated=True),
    "odd_size": clip("odd_size", (321, 241), ("240p",)),  # VP9 4:2:0 at 321x241
    "ten_bit": clip("ten_bit", *SMALL, bit_depth=10),
    "yuv444": clip("yuv444", *SMALL),
    "anamorphic": clip("anamorphic", *WIDE, sar="4:3"),   # 480x360 coded
    "no_audio": clip("no_audio", *WIDE, audio=False),
    "vfr": clip("vfr", *SMALL, vfr=True),
    "copyable": clip("copyable", *WIDE, copied=("360p",)),  # 6 s: two segments per rung
}

BAD: dict[str, Callable[[MediaFixtures], Path]] = {
    "truncated": lambda m: m.truncated_faststart(),   # index intact, second half missing
    "corrupt": lambda m: m.corrupt_mp4(),             # 30%-90% of the bytes random
    "zero_frames": lambda m: m.zero_frame_video(),    # a video stream without frames
    "audio_only": lambda m: m.clip("audio_only"),
}


class Library:
    """The module's uploads, all sent up front so processing overlaps the checks, and what
    became of each (waited for once, then cached)."""

    def __init__(self, server, media: MediaFixtures):
        self.server, self.client = server, server.client
        self.sources = {name: c.make(media) for name, c in GOOD.items()}
        self.ids = {name: api.upload_ok(self.client, path, filename=f"{name}{path.suffix}",
                                        title=name)["video_id"]
                    for name, path in self.sources.items()}
        self.bad = {name: api.upload(self.client, make(media), filename=f"{name}.mp4",
                                     title=name) for name, make in BAD.items()}
        self._settled: dict[str, tuple[dict, list] | AssertionError] = {}
        self._measured: dict[str, av.Measured] = {}

    def settled(self, video_id: str) -> tuple[dict, list]:
        """The video's document once PROCESSED or FAILED, and the (status, progress) seen on
        the way. A video that got stuck fails every later test at once."""
        if video_id not in self._settled:
            try:
                self._settled[video_id] = processing.wait_settled(self.client, video_id)
            except AssertionError as e:
                self._settled[video_id] = e
        result = self._settled[video_id]
        if isinstance(result, AssertionError):
            raise result
        return result

    def processed(self, name: str) -> dict:
        """The video's current document (fresh signed URLs), which must be PROCESSED."""
        video, _ = self.settled(self.ids[name])
        assert video["status"] == "PROCESSED", \
            f"{name} ended {video['status']}: {video.get('error')!r}"
        return api.get_video(self.client, self.ids[name])

    def source(self, name: str) -> av.Measured:
        if name not in self._measured:
            self._measured[name] = av.measure(self.sources[name])
        return self._measured[name]

    def accepted_bad(self) -> dict[str, str]:
        return {name: resp.json()["video_id"] for name, resp in self.bad.items()
                if resp.status == 201}

    def settle_all(self) -> None:
        for video_id in [*self.ids.values(), *self.accepted_bad().values()]:
            self.settled(video_id)


@pytest.fixture(scope="module")
def srv(module_server_factory):
    return module_server_factory.start(env={"KINORA_WORKERS": "2"})


@pytest.fixture(scope="module")
def library(srv, media) -> Library:
    return Library(srv, media)


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


# -- expectations --------------------------------------------------------------------------

def assert_close(got: float, want: float, what: str) -> None:
    """Durations agree within 0.1 s or 2 %, whichever is larger."""
    tol = max(0.1, 0.02 * want)
    assert abs(got - want) <= tol, f"{what}: {got:.3f} s, source {want:.3f} s (± {tol:.2f})"


def rung_size(display: tuple[int, int], name: str) -> tuple[int, int]:
    """A rung's size: its number is the short side, the long side keeps the display aspect."""
    short = int(name.rstrip("p"))
    w, h = display
    if w >= h:
        return 2 * round(w * short / h / 2), short
    return short, 2 * round(h * short / w / 2)


def assert_rung_size(got: tuple[int, int], display: tuple[int, int], name: str) -> None:
    want = rung_size(display, name)
    assert got[0] % 2 == 0 and got[1] % 2 == 0, f"{name}: odd size {got}"
    assert got[0] <= display[0] and got[1] <= display[1], f"{name}: {got} exceeds {display}"
    assert min(got) == min(want) and abs(max(got) - max(want)) <= 2, \
        f"{name}: {got}, expected about {want} for a {display} display"


def media_path(url: str) -> str:
    """The path of a signed media URL (checks that it is signed)."""
    return urlsplit(api.signed(url)).path


def assert_web_video(m: av.Measured, size: tuple[int, int], what: str) -> dict:
    """H.264 8-bit 4:2:0 at `size`, square pixels, no rotation left for the player to do."""
    v = m.stream("video")
    assert v is not None, f"{what}: no video stream ({m.kinds()})"
    assert v["codec_name"] == "h264", f"{what}: {v['codec_name']}"
    assert v["pix_fmt"] == "yuv420p", f"{what}: {v['pix_fmt']}"
    assert (v["width"], v["height"]) == size, f"{what}: {v['width']}x{v['height']} != {size}"
    assert v.get("sample_aspect_ratio", "1:1") in ("1:1", "0:1", "N/A"), \
        f"{what}: sample aspect {v.get('sample_aspect_ratio')}"
    assert display_rotation(v) == 0, f"{what}: still carries rotation {display_rotation(v)}"
    return v


def assert_web_audio(m: av.Measured, src: av.Measured, has_audio: bool, what: str) -> None:
    """AAC-LC 48 kHz stereo as long as the source's audio, or no audio track at all."""
    a = m.stream("audio")
    if not has_audio:
        assert a is None, f"{what}: an audio track ({a and a['codec_name']}) from a silent source"
        return
    assert a is not None, f"{what}: no audio track"
    assert (a["codec_name"], a.get("profile"), int(a["sample_rate"]), a["channels"]) == \
        ("aac", "LC", 48000, 2), f"{what}: {a['codec_name']} {a.get('profile')} " \
                                 f"{a['sample_rate']} Hz {a['channels']} ch"
    assert_close(m.duration("audio"), src.duration("audio"), f"{what} audio duration")


def assert_keyframes_every_gop(m: av.Measured, what: str) -> None:
    keys = m.keyframe_times()
    assert keys, f"{what}: no key frames"
    fps = av.fraction(m.stream("video")["avg_frame_rate"]) or 30
    gaps = [b - a for a, b in zip(keys, keys[1:])]
    assert all(g <= GOP_SECONDS + 1.5 / fps for g in gaps), f"{what}: key frames at {keys}"
    duration = m.duration("video")
    assert len(keys) >= int(duration / GOP_SECONDS - 1e-6), f"{what}: key frames at {keys}"


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- good clips ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(GOOD))
def test_video_document(library, spec, name):
    """PROCESSED with display size, duration, signed output URLs, timing fields; the
    metadata object mirrors it; the document matches api/openapi.json."""
    video, history = library.settled(library.ids[name])
    processing.assert_sane_history(history)
    video = library.processed(name)
    vid, c, src = video["video_id"], GOOD[name], library.source(name)
    assert video["error"] in (None, ""), video["error"]
    assert_close(video["duration_seconds"], float(src.format["duration"]), "duration_seconds")
    assert isinstance(video["processing_seconds"], (int, float)), video["processing_seconds"]
    assert 0 <= video["processing_seconds"] < processing.SETTLE_TIMEOUT
    assert parse_time(video["processed_timestamp"]) >= parse_time(video["uploaded_at"])
    assert video["runtime"] == int(video["duration_seconds"])  # the seed's whole seconds
    assert {f: media_path(video[f]) for f in ("hls_url", "video_url", "thumbnail_url",
                                             "poster_url", "original_url")} == {
        "hls_url": f"/media/processed/{vid}/hls/master.m3u8",
        "video_url": f"/media/processed/{vid}/video.mp4",
        "thumbnail_url": f"/media/thumbnails/{vid}.jpg",
        "poster_url": f"/media/processed/{vid}/poster.jpg",
        "original_url": f"/media/videos/{vid}{library.sources[name].suffix}",
    }
    problems = schema.errors(spec, {"$ref": "#/components/schemas/Video"}, video)
    assert not problems, "\n".join(problems)

    meta = json.loads((library.server.objects_dir / "metadata" / f"{vid}.json").read_text())
    for field in ("status", "renditions", "width", "height", "duration_seconds", "probe"):
        assert meta.get(field) == video[field], f"metadata {field}: {meta.get(field)!r}"
    assert (video["width"], video["height"]) == c.display, \
        f"width/height {video['width']}x{video['height']}, the source displays at " \
        f"{c.display[0]}x{c.display[1]}"


@pytest.mark.parametrize("name", list(GOOD))
def test_renditions(library, name):
    """The ladder: rungs no taller than the display's short side, tallest first, sized to the
    display aspect, each with its HLS facts; only a rung equal to an H.264 4:2:0 source may
    be a copy."""
    video, c, src = library.processed(name), GOOD[name], library.source(name)
    renditions = video["renditions"]
    assert [r["name"] for r in renditions] == list(c.rungs)
    for r in renditions:
        for field, kind in RENDITION_FIELDS.items():
            assert isinstance(r.get(field), kind) and not (
                kind is int and isinstance(r[field], bool)), f"{r['name']}.{field}: {r}"
        assert_rung_size((r["width"], r["height"]), c.display, r["name"])
        assert r["bandwidth"] > 0 and r["segments"] >= 1, r
        m = CODECS_RE.match(r["codecs"])
        assert m and bool(m.group(2)) == c.audio, f"{r['name']}: CODECS {r['codecs']!r}"
        assert_close(r["duration_seconds"], src.duration("video"), f"{r['name']} duration")
        assert r["copy"] is (r["name"] in c.copied), f"{r['name']}: copy {r['copy']}"
        if r["copy"]:
            v = src.stream("video")
            assert (v["codec_name"], v["pix_fmt"]) == ("h264", "yuv420p"), r
            assert (r["width"], r["height"]) == c.display and not (c.rotated or c.vfr), r
            assert c.sar == "1:1", r


@pytest.mark.parametrize("name", list(GOOD))
def test_probe(library, name):
    """The probe object describes the source as ffprobe sees it."""
    c, src = GOOD[name], library.source(name)
    p = library.processed(name)["probe"]
    assert isinstance(p, dict) and not set(PROBE_FIELDS) - set(p), p
    v, a = src.stream("video"), src.stream("audio")
    assert isinstance(p["container"], str) and p["container"], p
    assert_close(p["duration_seconds"], float(src.format["duration"]), "probe duration")
    assert (p["video_codec"], p["width"], p["height"]) == (v["codec_name"], v["width"],
                                                          v["height"]), p
    assert p["rotation"] in ((90, 270) if c.rotated else (0,)), p
    assert p["sample_aspect_ratio"] == c.sar, p
    assert p["variable_frame_rate"] is c.vfr, p
    if c.vfr:
        assert 0 < p["fps"] <= 30.01, p
    else:
        assert abs(p["fps"] - av.fraction(v["avg_frame_rate"])) < 0.5, p
    assert (p["pixel_format"], p["bit_depth"]) == (v["pix_fmt"], c.bit_depth), p
    for field in ("bitrate", "video_bitrate", "audio_bitrate", "sample_rate", "channels",
                  "bit_depth", "width", "height", "rotation"):
        assert isinstance(p[field], int) and not isinstance(p[field], bool), (field, p)
    assert p["bitrate"] > 0 and p["video_bitrate"] >= 0 and p["audio_bitrate"] >= 0, p
    if c.audio:
        assert (p["audio_codec"], p["sample_rate"], p["channels"]) == (
            a["codec_name"], int(a["sample_rate"]), a["channels"]), p
    else:
        assert (p["audio_codec"] or "", p["sample_rate"], p["channels"]) == ("", 0, 0), p


@pytest.mark.parametrize("name", list(GOOD))
def test_hls_through_the_gateway(library, name, tmp_path):
    """The master lists every rendition with BANDWIDTH, RESOLUTION and CODECS; every URI in
    every served playlist is a signed /media URL that answers; each variant is H.264 4:2:0
    at its rung size with AAC iff the source has audio, as long as the source, with a key
    frame every 2 s (re-encoded rungs); each segment starts with a key frame, decodes with
    the init segment alone, lasts its EXTINF and stays within BANDWIDTH."""
    video, c, src = library.processed(name), GOOD[name], library.source(name)
    client, vid = library.client, video["video_id"]
    text = hls.fetch_playlist(client, video["hls_url"])
    for uri in hls.uris(text):
        media_path(uri)
    variants = hls.parse_master(text)
    renditions = video["renditions"]
    assert len(variants) == len(renditions), text
    for v, r in zip(variants, renditions):
        what = f"{name} {r['name']}"
        assert {"BANDWIDTH", "RESOLUTION", "CODECS"} <= set(v.attrs), f"{what}: {v.attrs}"
        assert (v.bandwidth, v.resolution, v.codecs) == (
            r["bandwidth"], (r["width"], r["height"]), r["codecs"]), f"{what}: {v.attrs} {r}"
        assert media_path(v.uri) == f"/media/processed/{vid}/hls/{r['name']}/index.m3u8"

        media_text = hls.fetch_playlist(client, v.uri)
        for uri in hls.uris(media_text):
            media_path(uri)
        pl = hls.parse_media(media_text)
        base = f"/media/processed/{vid}/hls/{r['name']}"
        assert pl.endlist, f"{what}: no #EXT-X-ENDLIST"
        assert pl.map_uri and media_path(pl.map_uri) == f"{base}/init.mp4", pl.map_uri
        assert [media_path(u) for _, u in pl.segments] == [
            f"{base}/seg_{i:05d}.m4s" for i in range(1, r["segments"] + 1)], media_text
        assert all(round(d) <= pl.target_duration for d, _ in pl.segments), media_text
        assert_close(pl.duration, src.duration("video"), f"{what} EXTINF total")
        init = hls.fetch(client, pl.map_uri).body
        assert init[4:8] == b"ftyp", f"{what}: init segment starts with {init[4:8]!r}"
        for i, (d, uri) in enumerate(pl.segments, 1):
            seg = hls.fetch(client, uri).body
            assert seg[4:8] in (b"styp", b"moof"), f"{what} #{i}: starts with {seg[4:8]!r}"
            assert len(seg) * 8 / d <= v.bandwidth * 1.1, \
                f"{what} #{i}: {len(seg) * 8 / d:.0f} bit/s, over BANDWIDTH {v.bandwidth}"
            part = tmp_path / f"{r['name']}-{i}.mp4"
            part.write_bytes(init + seg)
            alone = av.measure(part)
            assert alone.starts_with_keyframe(), f"{what} #{i}: does not start with a key frame"
            assert_close(alone.duration("video"), d, f"{what} #{i} against its EXTINF")

        m = av.measure(http_url(library.server, v.uri))
        stream = assert_web_video(m, v.resolution, what)
        assert_close(m.duration("video"), src.duration("video"), f"{what} video duration")
        assert_web_audio(m, src, c.audio, what)
        if not r["copy"]:
            assert stream.get("profile") == "High", f"{what}: profile {stream.get('profile')}"
            assert_keyframes_every_gop(m, what)
        assert int(CODECS_RE.match(v.codecs).group(1), 16) >= stream["level"], \
            f"{what}: CODECS {v.codecs} below the stream's level {stream['level']}"


@pytest.mark.parametrize("name", list(GOOD))
def test_hls_decodes_end_to_end(library, name):
    """ffmpeg, given only the served master URL, follows every variant, init and segment URI
    and decodes all of them without an error."""
    video = library.processed(name)
    errors = av.decode_errors(http_url(library.server, video["hls_url"]))
    assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize("name", list(GOOD))
def test_progressive_mp4(library, name):
    """video.mp4: faststart (moov before mdat), the 720p rung's size (else the tallest),
    H.264 4:2:0 + AAC iff audio, as long as the source, decodes cleanly."""
    video, c, src = library.processed(name), GOOD[name], library.source(name)
    resp = hls.fetch(library.client, video["video_url"])
    assert resp.content_type == "video/mp4", resp
    kinds = [b[0] for b in mp4_boxes(resp.body)]
    assert b"moov" in kinds and b"mdat" in kinds, kinds
    assert kinds.index(b"moov") < kinds.index(b"mdat"), f"not faststart: {kinds}"
    renditions = video["renditions"]
    rung = next((r for r in renditions if r["name"] == "720p"), renditions[0])
    url = http_url(library.server, video["video_url"])
    m = av.measure(url)
    assert_web_video(m, (rung["width"], rung["height"]), f"{name} mp4")
    assert_close(m.duration("video"), src.duration("video"), f"{name} mp4 video duration")
    assert_web_audio(m, src, c.audio, f"{name} mp4")
    errors = av.decode_errors(url)
    assert not errors, f"{name} mp4: {errors}"


@pytest.mark.parametrize("name", list(GOOD))
def test_thumbnail_and_poster(library, name):
    """The thumbnail is a 320x180 JPEG, letterboxed (black bars where the picture is
    narrower than 16:9); the poster is a JPEG at the display aspect ratio, at most 1280
    wide. Both are served as stored."""
    video, c = library.processed(name), GOOD[name]
    vid, objects = video["video_id"], library.server.objects_dir
    thumb = hls.fetch(library.client, video["thumbnail_url"])
    assert thumb.content_type == "image/jpeg", thumb
    assert thumb.body == (objects / "thumbnails" / f"{vid}.jpg").read_bytes()
    stream, pixels = av.image(thumb.body)
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("mjpeg", 320, 180)
    picture_w = 180 * c.display[0] / c.display[1]
    bar = int((320 - picture_w) / 2)
    if bar >= 8:
        left = av.mean_luma(pixels, 0, bar - 3, 0, 180)
        right = av.mean_luma(pixels, 320 - bar + 3, 320, 0, 180)
        middle = av.mean_luma(pixels, 160 - 20, 160 + 20, 40, 140)
        assert left < 32 and right < 32, f"{name}: bars not black (luma {left:.0f}, {right:.0f})"
        assert middle > 40, f"{name}: the picture is dark (luma {middle:.0f})"

    poster = hls.fetch(library.client, video["poster_url"])
    assert poster.content_type == "image/jpeg", poster
    assert poster.body == (objects / "processed" / vid / "poster.jpg").read_bytes()
    stream, _ = av.image(poster.body)
    w, h = stream["width"], stream["height"]
    assert stream["codec_name"] == "mjpeg" and w <= 1280, stream
    want = c.display[0] / c.display[1]
    assert abs(w / h - want) <= max(0.02 * want, 2.5 / h), \
        f"{name}: poster {w}x{h}, display aspect {c.display[0]}:{c.display[1]}"


@pytest.mark.parametrize("name", list(GOOD))
def test_stored_outputs_are_one_set(library, name):
    """The store holds exactly the outputs the renditions name (thumbnail, master, each
    variant's index, init and segments, video.mp4, poster.jpg, analysis.json and the storyboard),
    none empty; stored playlists
    use relative URIs (the gateway signs them when serving)."""
    video = library.processed(name)
    vid, objects = video["video_id"], library.server.objects_dir
    sprites = processing.analysis_sprites(objects, vid)
    assert sprites, "the storyboard lists no sprite sheet"
    want = processing.expected_keys(vid, video["renditions"], sprites)
    got = processing.output_keys(objects, vid)
    assert got == want, {"missing": sorted(want - got), "unexpected": sorted(got - want)}
    assert all((objects / k).stat().st_size > 0 for k in want), "an empty output"
    for key in (k for k in want if k.endswith(".m3u8")):
        text = (objects / key).read_text()
        assert "signature=" not in text and "/media/" not in text, f"{key}:\n{text}"


# -- damaged files -------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BAD))
def test_damaged_file_is_refused_or_fails(library, name):
    """Refused at upload with a 422 problem, or accepted and then FAILED with a readable
    reason (no internal paths) within the timeout; never stuck, never PROCESSED. Audio-only
    files are always refused at upload."""
    resp = library.bad[name]
    if name == "audio_only" or resp.status != 201:
        doc = api.assert_problem(resp, 422)
        assert doc["detail"], doc
        return
    video, history = library.settled(resp.json()["video_id"])
    processing.assert_sane_history(history)
    assert video["status"] == "FAILED", f"{name}: {video['status']}"
    error = video["error"]
    assert isinstance(error, str) and error.strip(), f"{name}: error {error!r}"
    assert str(library.server.data_dir) not in error, f"{name}: error leaks a path: {error}"
    assert video["hls_url"] is None, f"{name}: a FAILED video advertises HLS"


def test_failed_videos_leave_no_partial_outputs(library):
    """A FAILED video has no processed/{id}/ objects and no thumbnail."""
    library.settle_all()
    leftovers = {name: sorted(processing.output_keys(library.server.objects_dir, vid))
                 for name, vid in library.accepted_bad().items()}
    assert not any(leftovers.values()), leftovers


def test_listing_filters_by_processing_status(library):
    library.settle_all()
    processed = {v["video_id"] for v in api.walk_cursor(library.client, status="PROCESSED",
                                                        limit=100)}
    failed = {v["video_id"] for v in api.walk_cursor(library.client, status="FAILED",
                                                     limit=100)}
    assert processed == set(library.ids.values())
    assert failed == set(library.accepted_bad().values())
    assert api.total_videos(library.client) == len(GOOD) + len(library.accepted_bad())


def test_no_temp_files_once_everything_settled(library):
    """Nothing temporary in the object store, and no job's scratch files elsewhere in the
    data directory."""
    library.settle_all()
    leftovers = processing.temp_files(library.server.objects_dir)
    assert not leftovers, f"temp files in the object store: {leftovers}"
    for vid in [*library.ids.values(), *library.accepted_bad().values()]:
        traces = processing.traces_outside_store(library.server, vid)
        assert not traces, f"scratch files of {vid} left behind: {traces}"


# -- a crash in the middle of a job ---------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every live process below pid (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, pending = set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in out:
                out.add(child)
                pending.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def assert_progress_rises(progress: list[float], what: str) -> None:
    """Progress stays within 0..1 and rises; a job restarted after a crash may start over
    once, from the value its killed run left behind."""
    assert all(isinstance(p, (int, float)) and 0 <= p <= 1 for p in progress), progress
    drops = [i for i in range(1, len(progress)) if progress[i] < progress[i - 1]]
    assert len(drops) <= 1, f"{what}: progress went backwards: {progress}"
    if drops:
        assert len(set(progress[:drops[0]])) == 1, f"{what}: progress went backwards: {progress}"
    rising = progress[drops[0]:] if drops else progress
    assert len(set(rising)) >= 2, f"{what}: progress did not rise: {progress}"


def test_kill_9_mid_job_finishes_once(server_factory, media):
    """kill -9 while a long clip is PROCESSING: no processing child outlives the server; after
    a restart the job comes back (lease 3 s), ends PROCESSED with exactly one set of outputs
    that decode, progress rising on the way, no temp files; a further restart does not
    process it again."""
    lease = 3
    env = {"KINORA_WORKERS": "1", "KINORA_JOB_LEASE_SECONDS": str(lease)}
    server = server_factory.start(env=env)
    vid = api.upload_ok(server.client, media.clip("long"), filename="long.mp4")["video_id"]

    first_run: list[float] = []

    def mid_job() -> bool:
        v = api.get_video(server.client, vid)
        assert v["status"] in ("UPLOADED", "PROCESSING"), \
            f"{v['status']} before it could be interrupted: make the clip longer"
        if v["status"] == "PROCESSING":
            first_run.append(v["progress"])
        return v["status"] == "PROCESSING" and v["progress"] >= 0.1
    try:
        api.wait_until(mid_job, timeout=120, interval=0.1, message="PROCESSING, progress >= 0.1")
    except AssertionError:
        if not first_run:  # never PROCESSING; else progress is coarse: interrupt it anyway
            raise
    assert first_run == sorted(first_run), f"progress went backwards: {first_run}"
    children = descendants(server.proc.pid)
    server.kill()
    try:
        api.wait_until(lambda: not [p for p in children if alive(p)], timeout=5,
                       message="processing children gone after kill -9")
    except AssertionError:
        raise AssertionError(f"processes of the killed server still run: "
                             f"{[p for p in children if alive(p)]}") from None

    server.start()
    video, history = processing.wait_settled(server.client, vid)
    assert video["status"] == "PROCESSED", (video["status"], video.get("error"))
    assert_progress_rises([p for s, p in history if s == "PROCESSING"], "after the restart")
    assert [r["name"] for r in video["renditions"]] == ["720p", "480p", "360p", "240p"]
    for r in video["renditions"]:
        assert_close(r["duration_seconds"], 20.0, f"{r['name']} duration")
    video = api.get_video(server.client, vid)
    processing.assert_one_output_set(server, video)
    processing.assert_outputs_decode(server, video)
    assert not processing.traces_outside_store(server, vid)
    finished = [r for r in server.log_records()
                if r.get("video_id") == vid and r.get("message") == "processing finished"]
    assert len(finished) == 1, f"the job finished {len(finished)} times: {finished}"

    outputs = {k: (server.objects_dir / k).stat().st_mtime_ns
               for k in processing.output_keys(server.objects_dir, vid)}
    server.restart()
    time.sleep(2 * lease + 1)  # a job redelivered after the restart would have started by now
    again = api.get_video(server.client, vid)
    assert (again["status"], again["processed_timestamp"]) == ("PROCESSED",
                                                              video["processed_timestamp"])
    assert {k: (server.objects_dir / k).stat().st_mtime_ns
            for k in processing.output_keys(server.objects_dir, vid)} == outputs, \
        "outputs rewritten after a restart: the finished job ran again"


def test_duplicate_delivery_is_harmless(server_factory, media):
    """The queue delivers at least once: the same job delivered again after the video was
    processed leaves it PROCESSED with the same renditions and exactly one set of outputs
    that decode."""
    server = server_factory.start()  # no workers yet: keep the job's message
    vid = api.upload_ok(server.client, media.clip("copyable"), filename="twice.mp4")["video_id"]
    [message] = processing.live_messages(server)
    server.stop()
    server.env["KINORA_WORKERS"] = "1"
    server.start()
    first, _ = processing.wait_settled(server.client, vid)
    assert first["status"] == "PROCESSED", (first["status"], first.get("error"))

    server.stop()
    processing.resend(server, message)
    server.start()
    api.wait_until(lambda: not processing.live_messages(server), timeout=120, interval=0.2,
                   message="the repeated job handled")
    video = api.get_video(server.client, vid)
    assert video["status"] == "PROCESSED", (video["status"], video.get("error"))
    assert video["renditions"] == first["renditions"]
    processing.assert_one_output_set(server, video)
    processing.assert_outputs_decode(server, video)
    assert not processing.traces_outside_store(server, vid)


def test_standalone_processor_role(server_factory, media, kinora_bin):
    """`kinora processor` alone consumes the queue a `serve` with no workers fills (the split
    deployment's shape on one machine): the upload ends PROCESSED, and SIGTERM stops it."""
    import signal
    import subprocess

    from harness.server import base_env

    server = server_factory.start()  # KINORA_WORKERS=0: only the standalone role processes
    log = open(server.data_dir.parent / "processor.log", "wb")
    proc = subprocess.Popen([kinora_bin, "processor", "--data-dir", str(server.data_dir),
                             "--workers", "1", "--listen", "127.0.0.1:0"], env=base_env(),
                            stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log)
    try:
        vid = api.upload_ok(server.client, media.clip("mp4"), filename="split.mp4")["video_id"]
        video, _ = processing.wait_settled(server.client, vid)
        assert video["status"] == "PROCESSED", (video["status"], video.get("error"))
        processing.assert_one_output_set(server, video)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        log.close()
