"""Hostile media, made at test time: files that are small on disk but try to make a decoder
allocate gigabytes, run for hours, or read other files.

The pixel bomb is written byte by byte (no ffmpeg run could make it without itself decoding a
2 GB frame): a Matroska file holding one PNG frame of 16000x16000 16-bit RGBA whose pixels are
all zero, about 2.3 MB compressed. The others come from the ffmpeg program.
"""
from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path


def _ebml_id(i: int) -> bytes:
    return i.to_bytes((i.bit_length() + 7) // 8, "big")


def _el(i: int, payload: bytes) -> bytes:
    return _ebml_id(i) + (len(payload) | (1 << 56)).to_bytes(8, "big") + payload


def _uint(i: int, v: int) -> bytes:
    return _el(i, v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big"))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def zero_png(width: int, height: int) -> bytes:
    """A PNG of width x height 16-bit RGBA, every byte zero: tiny compressed, huge decoded."""
    row = b"\0" * (width * 8 + 1)
    c = zlib.compressobj(9)
    # Each row compressed with a full flush is byte-aligned and, after the first, identical:
    # repeat it instead of compressing gigabytes.
    first = c.compress(row) + c.flush(zlib.Z_FULL_FLUSH)
    rest = c.compress(row) + c.flush(zlib.Z_FULL_FLUSH)
    n = len(row) * height
    adler = ((n % 65521) << 16) | 1  # adler32 of n zero bytes
    body = (first + rest * (height - 1)) if height > 0 else first
    idat = body + b"\x03\x00" + struct.pack(">I", adler)  # an empty final block, then adler
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))


def png_in_mkv(width: int, height: int, png: bytes | None = None) -> bytes:
    """Matroska with one video track (PNG through VFW's MPNG) declaring width x height and one
    frame."""
    frame = png if png is not None else zero_png(width, height)
    header = _el(0x1A45DFA3, _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4)
                 + _uint(0x42F3, 8) + _el(0x4282, b"matroska") + _uint(0x4287, 4)
                 + _uint(0x4285, 2))
    info = _el(0x1549A966, _uint(0x2AD7B1, 1000000) + _el(0x4489, struct.pack(">d", 40.0))
               + _el(0x4D80, b"kinora-test") + _el(0x5741, b"kinora-test"))
    bih = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 64, b"MPNG", 0, 0, 0, 0, 0)
    track = _el(0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1)
                + _el(0x86, b"V_MS/VFW/FOURCC") + _el(0x63A2, bih)
                + _el(0xE0, _uint(0xB0, width) + _uint(0xBA, height)))
    block = b"\x81" + struct.pack(">h", 0) + b"\x80" + frame  # track 1, time 0, key frame
    cluster = _el(0x1F43B675, _uint(0xE7, 0) + _el(0xA3, block))
    return header + _el(0x18538067, info + _el(0x1654AE6B, track) + cluster)


def ffmpeg(out: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args,
                    str(out)], check=True, timeout=120)
    return out


def gap_bomb(out: Path, jump_seconds: int) -> Path:
    """4 s of black 1080p with a tone, whose second half is moved jump_seconds later (video and
    audio): small on disk, hours long by its timestamps."""
    ms = jump_seconds * 1000  # Matroska ticks in milliseconds
    return ffmpeg(out, "-f", "lavfi", "-i", "color=c=black:s=1920x1080:r=25:d=4",
                  "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4",
                  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25",
                  "-c:a", "aac", "-b:a", "32k",
                  "-bsf:v", f"setts=ts=TS+if(gte(N\\,50)\\,{ms}\\,0)",
                  "-bsf:a", f"setts=ts=TS+if(gte(TS\\,2000)\\,{ms}\\,0)", "-f", "matroska")


def long_black(out: Path, seconds: int) -> Path:
    """A black video lasting `seconds` at one frame a minute: a few KB."""
    return ffmpeg(out, "-f", "lavfi", "-i", f"color=c=black:s=320x240:r=1/60:d={seconds}",
                  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                  "-f", "matroska")


def many_audio_streams(out: Path, streams: int = 100) -> Path:
    maps = []
    for _ in range(streams):
        maps += ["-map", "1:a"]
    return ffmpeg(out, "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2",
                  "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=2",
                  "-map", "0:v", *maps, "-c:v", "libx264", "-preset", "ultrafast",
                  "-pix_fmt", "yuv420p", "-c:a", "pcm_s16le", "-f", "matroska")


def high_rate(out: Path, fps: int = 10000, seconds: float = 1.0) -> Path:
    """Timestamps 0.1 ms apart: 10,000 tiny frames a second."""
    return ffmpeg(out, "-f", "lavfi", "-i", f"testsrc2=s=64x64:r={fps}:d={seconds}",
                  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                  "-video_track_timescale", str(fps), "-f", "mp4")


FFCONCAT = "ffconcat version 1.0\nfile '/etc/passwd'\nfile '/proc/self/environ'\n"
