"""Measuring media with ffprobe and ffmpeg, from files or from http:// URLs of a running server
(so outputs are judged the way a player sees them: through the signed URLs it serves).

- measure(): streams, format and every packet's timing, without decoding.
- decode_errors(): decodes every stream end to end; what ffmpeg complains about.
- image(): an image's stream facts and its pixels as 8-bit luma (for letterbox bars).
"""
from __future__ import annotations

import json
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 180.0


def _run(cmd: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=TIMEOUT,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


@dataclass
class Measured:
    """ffprobe's view of one input: its streams, its format and the packets of each stream."""
    source: str
    streams: list[dict]
    format: dict
    packets: dict[int, list[dict]]  # stream index -> packets in file order

    def stream(self, kind: str) -> dict | None:
        """The first stream of a kind ("video", "audio"), or None."""
        return next((s for s in self.streams if s["codec_type"] == kind), None)

    def kinds(self) -> list[str]:
        return [s["codec_type"] for s in self.streams]

    def _packets(self, kind: str) -> list[dict]:
        stream = self.stream(kind)
        assert stream is not None, f"{self.source}: no {kind} stream"
        return self.packets.get(stream["index"], [])

    def duration(self, kind: str = "video") -> float:
        """The presentation span of a stream's packets: from the earliest start to the latest
        end (a packet without a duration lasts as long as the typical packet spacing)."""
        pkts = [p for p in self._packets(kind) if p.get("pts_time") not in (None, "N/A")]
        assert pkts, f"{self.source}: no timed {kind} packets"
        starts = sorted(float(p["pts_time"]) for p in pkts)
        gaps = [b - a for a, b in zip(starts, starts[1:]) if b > a]
        typical = statistics.median(gaps) if gaps else 0.0

        def end(p: dict) -> float:
            d = p.get("duration_time")
            return float(p["pts_time"]) + (float(d) if d not in (None, "N/A") else typical)
        return max(end(p) for p in pkts) - starts[0]

    def packet_count(self, kind: str = "video") -> int:
        return len(self._packets(kind))

    def starts_with_keyframe(self) -> bool:
        """The first video packet (in decode order) is a key frame."""
        pkts = self._packets("video")
        return bool(pkts) and "K" in pkts[0].get("flags", "")

    def keyframe_times(self) -> list[float]:
        """Presentation times of the video key frames, in order."""
        return sorted(float(p["pts_time"]) for p in self._packets("video")
                      if "K" in p.get("flags", "") and p.get("pts_time") not in (None, "N/A"))


def measure(source: str | Path) -> Measured:
    """Streams, format and packet timings of a file or URL (demuxed only, nothing decoded)."""
    src = str(source)
    out = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                "-show_streams", "-show_entries",
                "packet=stream_index,pts_time,duration_time,flags", src])
    assert out.returncode == 0, f"ffprobe {src} failed: {out.stderr.decode(errors='replace')}"
    doc = json.loads(out.stdout)
    packets: dict[int, list[dict]] = {}
    for p in doc.get("packets", []):
        packets.setdefault(p["stream_index"], []).append(p)
    return Measured(src, doc.get("streams", []), doc.get("format", {}), packets)


def decode_errors(source: str | Path) -> str:
    """Decodes every stream of a file or URL (for an HLS master: every variant) to the end;
    returns ffmpeg's error output plus its exit status when it failed ("" when clean)."""
    src = str(source)
    out = _run(["ffmpeg", "-nostdin", "-v", "error", "-i", src, "-map", "0", "-f", "null", "-"])
    text = out.stderr.decode(errors="replace").strip()
    if out.returncode != 0:
        text += f"\n(ffmpeg exited with {out.returncode})"
    return text.strip()


def image(data: bytes) -> tuple[dict, tuple[int, int, bytes]]:
    """An image's ffprobe stream and its picture as (width, height, 8-bit luma rows)."""
    probe = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-"],
                 stdin=data)
    assert probe.returncode == 0, probe.stderr.decode(errors="replace")
    stream = json.loads(probe.stdout)["streams"][0]
    out = _run(["ffmpeg", "-nostdin", "-v", "error", "-i", "-", "-frames:v", "1",
                "-f", "rawvideo", "-pix_fmt", "gray", "-"], stdin=data)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr.decode(errors="replace")
    w, h = stream["width"], stream["height"]
    assert len(out.stdout) == w * h, (len(out.stdout), w, h)
    return stream, (w, h, out.stdout)


def mean_luma(pixels: tuple[int, int, bytes], x0: int, x1: int, y0: int, y1: int) -> float:
    """Mean 8-bit luma of the rectangle [x0, x1) x [y0, y1)."""
    w, _, data = pixels
    total = sum(sum(data[y * w + x0:y * w + x1]) for y in range(y0, y1))
    return total / max(1, (x1 - x0) * (y1 - y0))


def fraction(text: str) -> float:
    """'30000/1001' -> 29.97 (0 for '0/0' or unknown)."""
    num, _, den = str(text).partition("/")
    try:
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0
