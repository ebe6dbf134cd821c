"""Test media, generated with the ffmpeg program into a cache directory.

Every fixture is made on first use and named after a digest of its recipe, so a cache kept
between runs is reused and a changed recipe regenerates.
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
        """A 2 s clip (see CLIPS); names are mostly extensions: clip("webm")."""
        ext, args = CLIPS[name]
        args = [*args, "-metadata", f"title=kinora test {name}"]  # distinct bytes per clip

        def make(tmp: Path) -> None:
            subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *args, str(tmp)],
                           check=True)
            kinds = codec_types(tmp)
            assert ("video" in kinds) == (name != "audio_only"), f"{name}: streams {kinds}"
        return self._cached(name, ext, args, make)

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
