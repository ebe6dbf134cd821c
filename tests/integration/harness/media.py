"""Test media, generated with the ffmpeg program into a cache directory.

Every fixture is made on first use and named after a digest of its recipe, so a cache kept
between runs is reused and a changed recipe regenerates. Besides one short clip per accepted
format, there are clips that stress processing (rotation, odd sizes, 10-bit, 4:4:4,
anamorphic, no audio, variable frame rate, a copyable H.264 clip, a long 720p clip) and
damaged files (truncated, corrupted payload, a video stream without frames).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import subprocess
import threading
from pathlib import Path

RECIPE_VERSION = "1"

VIDEO_2S = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"]
VIDEO_2S_HD = ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2"]
TONE_2S = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2"]
H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "64k"]
MP3 = ["-c:a", "libmp3lame", "-b:a", "64k", "-ar", "44100"]
HEVC = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
        "-pix_fmt", "yuv420p"]
VP9 = ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"]
OPUS = ["-c:a", "libopus", "-b:a", "48k"]


def video_src(size: str = "320x240", rate: int = 25, seconds: float = 2) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


def tone_src(seconds: float = 2) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]


def h264(pix_fmt: str = "yuv420p") -> list[str]:
    return ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt]


# name -> (file extension, ffmpeg arguments between the program name and the output file)
CLIPS: dict[str, tuple[str, list[str]]] = {
    "mp4": ("mp4", VIDEO_2S + TONE_2S + H264 + AAC + ["-f", "mp4"]),
    "webm": ("webm", VIDEO_2S + TONE_2S + ["-c:v", "libvpx-vp9", "-deadline", "realtime",
                                           "-cpu-used", "8", "-b:v", "300k",
                                           "-c:a", "libopus", "-b:a", "48k", "-f", "webm"]),
    "mkv": ("mkv", VIDEO_2S + TONE_2S + H264 + AAC + ["-f", "matroska"]),
    "mov": ("mov", VIDEO_2S + TONE_2S + H264 + AAC + ["-f", "mov"]),
    "avi": ("avi", VIDEO_2S + TONE_2S + ["-c:v", "mpeg4", "-q:v", "5"] + MP3 + ["-f", "avi"]),
    "flv": ("flv", VIDEO_2S + TONE_2S + ["-c:v", "flv", "-q:v", "5"] + MP3 + ["-f", "flv"]),
    "wmv": ("wmv", VIDEO_2S + TONE_2S + ["-c:v", "wmv2", "-q:v", "5",
                                         "-c:a", "wmav2", "-b:a", "64k", "-f", "asf"]),
    "m4v": ("m4v", VIDEO_2S + TONE_2S + H264 + AAC + ["-f", "mp4"]),
    "hd_mp4": ("mp4", VIDEO_2S_HD + TONE_2S + H264 + AAC + ["-f", "mp4"]),
    "audio_only": ("mp4", TONE_2S + AAC + ["-f", "mp4"]),  # an m4a, named .mp4
    # -- processing: codecs, sizes, pixel formats and timing a real library holds -----------
    "mkv_hevc": ("mkv", VIDEO_2S + TONE_2S + HEVC + AAC + ["-f", "matroska"]),
    # 321x241: testsrc2 only makes even sizes, so crop (in 4:4:4: crop aligns to chroma);
    # VP9 stores odd sizes in 4:2:0, H.264 cannot
    "odd_size": ("webm", video_src("322x242") + TONE_2S
                 + ["-vf", "format=yuv444p,crop=321:241:0:0", "-pix_fmt", "yuv420p"]
                 + VP9 + OPUS + ["-f", "webm"]),
    "ten_bit": ("mp4", VIDEO_2S + TONE_2S + h264("yuv420p10le") + AAC + ["-f", "mp4"]),
    "yuv444": ("mov", VIDEO_2S + TONE_2S + h264("yuv444p") + AAC + ["-f", "mov"]),
    # 480x360 coded, sample aspect 4:3: displays as 640x360
    "anamorphic": ("mp4", video_src("480x360") + TONE_2S + ["-vf", "setsar=4/3"] + h264()
                   + AAC + ["-f", "mp4"]),
    "no_audio": ("mp4", VIDEO_2S_HD + h264() + ["-f", "mp4"]),
    # 30 fps, but only every third frame between 1 s and 2 s: 70 frames in 3 s, irregular
    "vfr": ("mp4", video_src(rate=30, seconds=3) + tone_src(3)
            + ["-vf", r"select='not(between(t\,1\,2)*mod(n\,3))'", "-fps_mode", "vfr"]
            + h264() + AAC + ["-f", "mp4"]),
    # H.264 4:2:0 at a modest bitrate with a key frame every 2 s: its own size can be copied
    "copyable": ("mp4", video_src("640x360", seconds=6) + tone_src(6)
                 + ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "300k", "-maxrate", "400k",
                    "-bufsize", "800k", "-g", "50", "-pix_fmt", "yuv420p"] + AAC + ["-f", "mp4"]),
    # 20 s of 720p at a high bitrate (not copyable): processing takes a while
    "long": ("mp4", video_src("1280x720", seconds=20) + tone_src(20) + h264() + AAC
             + ["-f", "mp4"]),
    # the index (moov) first, then the media: damaged copies stay probeable at upload
    "faststart": ("mp4", video_src("640x360", seconds=4) + tone_src(4) + h264() + AAC
                  + ["-movflags", "+faststart", "-f", "mp4"]),
}

# Extra checks that a generated clip is what its recipe promises (ffprobe's view -> ok).
CLIP_CHECKS = {
    "mkv_hevc": lambda p: _video(p)["codec_name"] == "hevc",
    "odd_size": lambda p: (_video(p)["width"], _video(p)["height"]) == (321, 241),
    "ten_bit": lambda p: _video(p)["pix_fmt"] == "yuv420p10le",
    "yuv444": lambda p: _video(p)["pix_fmt"] == "yuv444p",
    "anamorphic": lambda p: _video(p).get("sample_aspect_ratio") == "4:3",
    "no_audio": lambda p: [s["codec_type"] for s in p["streams"]] == ["video"],
    "vfr": lambda p: _video(p)["r_frame_rate"] != _video(p)["avg_frame_rate"],
}

ACCEPTED_EXTENSIONS = ["mp4", "mov", "avi", "webm", "mkv", "flv", "wmv", "m4v"]

CONTENT_TYPES = {
    "mp4": "video/mp4", "mov": "video/quicktime", "avi": "video/x-msvideo",
    "webm": "video/webm", "mkv": "video/x-matroska", "flv": "video/x-flv",
    "wmv": "video/x-ms-wmv", "m4v": "video/x-m4v",
}

BIG_SIZE = 20 * 1024 * 1024


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps([RECIPE_VERSION, *parts]).encode()).hexdigest()[:12]


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def probe(path: str | os.PathLike) -> dict:
    """ffprobe's view of a file: {"format": {...}, "streams": [...]}."""
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                          "-show_streams", str(path)], capture_output=True, check=True)
    return json.loads(out.stdout)


def codec_types(path: str | os.PathLike) -> list[str]:
    return [s["codec_type"] for s in probe(path)["streams"]]


def _video(probed: dict) -> dict:
    return next(s for s in probed["streams"] if s["codec_type"] == "video")


def display_rotation(stream: dict) -> int:
    """The display-matrix rotation of an ffprobe stream, 0..359 (0 when there is none)."""
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return int(side["rotation"]) % 360
    return int(stream.get("tags", {}).get("rotate", 0)) % 360


def mp4_boxes(data: bytes, start: int = 0,
              end: int | None = None) -> list[tuple[bytes, int, int]]:
    """The ISO BMFF boxes between start and end: (type, offset, size), stopping at the first
    box that does not fit (a truncated file)."""
    end = len(data) if end is None else end
    out, pos = [], start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if size == 1:
            if pos + 16 > end:
                break
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
        elif size == 0:
            size = end - pos
        if size < 8:
            break
        out.append((kind, pos, size))
        pos += size
    return out


def _children(data: bytes, box: tuple[bytes, int, int], kind: bytes) -> list:
    _, pos, size = box
    return [b for b in mp4_boxes(data, pos + 8, pos + size) if b[0] == kind]


ROTATE_90 = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)


def set_video_matrix(data: bytes, matrix: bytes = ROTATE_90) -> bytes:
    """An MP4 with the video track header's display matrix replaced (default: rotate 90°
    clockwise, as phones record portrait video). ffmpeg 5.1 has no option that writes it."""
    out = bytearray(data)
    done = 0
    for moov in (b for b in mp4_boxes(data) if b[0] == b"moov"):
        for trak in _children(data, moov, b"trak"):
            mdia = _children(data, trak, b"mdia")[0]
            hdlr = _children(data, mdia, b"hdlr")[0]
            if data[hdlr[1] + 16:hdlr[1] + 20] != b"vide":  # size, type, version+flags, 0
                continue
            _, tkhd, _ = _children(data, trak, b"tkhd")[0]
            version = data[tkhd + 8]
            # version+flags, times and track id, reserved, duration, reserved, layer..volume
            at = tkhd + 8 + 4 + (32 if version == 1 else 20) + 8 + 8
            out[at:at + 36] = matrix
            done += 1
    assert done == 1, f"expected one video track, patched {done}"
    return bytes(out)


def _write_atomically(target: Path, write) -> Path:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


class MediaFixtures:
    def __init__(self, cache_dir: Path):
        self.dir = Path(cache_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def _cached(self, name: str, suffix: str, recipe, make) -> Path:
        target = self.dir / f"{name}-{_digest(name, recipe)}.{suffix}"
        with self._lock:
            if not target.exists():
                _write_atomically(target, make)
        return target

    def clip(self, name: str) -> Path:
        """A clip from CLIPS (mostly 2 s); names are mostly extensions: clip("webm")."""
        ext, args = CLIPS[name]
        args = [*args, "-metadata", f"title=kinora test {name}"]  # distinct bytes per clip

        def make(tmp: Path) -> None:
            subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args, str(tmp)],
                           check=True)
            kinds = codec_types(tmp)
            assert ("video" in kinds) == (name != "audio_only"), f"{name}: streams {kinds}"
            if name in CLIP_CHECKS:
                assert CLIP_CHECKS[name](probe(tmp)), f"{name}: not as intended: {probe(tmp)}"
        return self._cached(name, ext, args, make)

    # -- processing fixtures ----------------------------------------------------------------

    def rotated(self) -> Path:
        """A phone-style portrait clip: 640x360 coded, display matrix 90° (shows 360x640)."""
        base = self.clip("hd_mp4")

        def make(tmp: Path) -> None:
            tmp.write_bytes(set_video_matrix(base.read_bytes()))
            video = _video(probe(tmp))
            assert (video["width"], video["height"]) == (640, 360), video
            assert display_rotation(video) in (90, 270), video
        return self._cached("rotated", "mp4", [sha256_file(base)], make)

    def truncated_faststart(self) -> Path:
        """The first half of an MP4 whose index (moov) comes first: it probes as a 4 s video,
        but half of its media data is missing."""
        base = self.clip("faststart")

        def make(tmp: Path) -> None:
            data = base.read_bytes()
            kinds = [b[0] for b in mp4_boxes(data)]
            assert kinds.index(b"moov") < kinds.index(b"mdat"), kinds
            tmp.write_bytes(data[: len(data) // 2])
            assert "video" in codec_types(tmp)
        return self._cached("truncated-faststart", "mp4", [sha256_file(base)], make)

    def corrupt_mp4(self, seed: int = 3) -> Path:
        """A faststart MP4 whose bytes from 30% to 90% are seeded random: the index is intact,
        most of the compressed video is garbage."""
        base = self.clip("faststart")

        def make(tmp: Path) -> None:
            data = bytearray(base.read_bytes())
            lo, hi = len(data) * 3 // 10, len(data) * 9 // 10
            moov = next(b for b in mp4_boxes(data) if b[0] == b"moov")
            assert moov[1] + moov[2] < lo, "the index must stay intact"
            data[lo:hi] = random.Random(seed).randbytes(hi - lo)
            tmp.write_bytes(data)
            assert "video" in codec_types(tmp)
            decode = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(tmp),
                                     "-f", "null", "-"], capture_output=True)
            assert decode.returncode != 0 or decode.stderr.strip(), "corruption went unnoticed"
        return self._cached(f"corrupt{seed}", "mp4", [sha256_file(base), seed], make)

    def zero_frame_video(self) -> Path:
        """An MP4 (fragmented, so the empty track is kept) with an H.264 video stream of zero
        frames next to 2 s of audio."""
        args = [*VIDEO_2S, *TONE_2S, "-vf", "trim=start=10", *h264(), *AAC,
                "-movflags", "frag_keyframe+empty_moov", "-f", "mp4"]

        def make(tmp: Path) -> None:
            subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args, str(tmp)],
                           check=True)
            assert sorted(codec_types(tmp)) == ["audio", "video"], codec_types(tmp)
            packets = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v",
                                      "-show_entries", "packet=pts", "-of", "csv", str(tmp)],
                                     capture_output=True, check=True, text=True).stdout
            assert not packets.strip(), "the video stream has frames"
        return self._cached("zero-frame-video", "mp4", args, make)

    def big(self, seed: int = 0, size: int = BIG_SIZE) -> Path:
        """A real MP4 padded to `size` bytes with a top-level 'free' box of seeded random bytes
        (valid ISO BMFF: players and probes skip it). Different seeds give different files."""
        base = self.clip("hd_mp4")

        def make(tmp: Path) -> None:
            data = base.read_bytes()
            pad = size - len(data)
            assert pad > 8, "base clip larger than the requested size"
            rng = random.Random(seed)
            with open(tmp, "wb") as f:
                f.write(data)
                f.write(struct.pack(">I4s", pad, b"free"))
                left = pad - 8
                while left:
                    n = min(left, 1 << 20)
                    f.write(rng.randbytes(n))
                    left -= n
            assert "video" in codec_types(tmp)
        return self._cached(f"big{seed}", "mp4", [sha256_file(base), seed, size], make)

    def truncated_mp4(self) -> Path:
        """The first half of an MP4 whose index (moov) is at the end: unplayable."""
        base = self.clip("hd_mp4")

        def make(tmp: Path) -> None:
            data = base.read_bytes()
            assert data.rfind(b"moov") > len(data) // 2, "expected moov at the end"
            tmp.write_bytes(data[: len(data) // 2])
        return self._cached("truncated", "mp4", [sha256_file(base)], make)

    def text_as_mp4(self) -> Path:
        text = "This is a plain text file, not a video.\n" * 200
        return self._cached("text", "mp4", text, lambda tmp: tmp.write_text(text))

    def random_as_mp4(self, size: int = 200_000) -> Path:
        return self._cached("random", "mp4", size,
                            lambda tmp: tmp.write_bytes(random.Random(7).randbytes(size)))
