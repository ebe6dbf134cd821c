"""Processing helpers: waiting for a video to settle, what a processed video must leave in the
object store, and following its outputs through the server (HLS, MP4, thumbnail, poster).

A processed video {id} owns exactly: thumbnails/{id}.jpg and, under processed/{id}/,
hls/master.m3u8, for each rendition hls/{name}/index.m3u8, hls/{name}/init.mp4 and
hls/{name}/seg_00001.m4s ... (one per segment), video.mp4 and poster.jpg.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from pathlib import Path

from . import api, av, hls
from .client import Client, relative_url

SETTLED = ("PROCESSED", "FAILED")
STATUS_ORDER = ("UPLOADED", "PROCESSING", "PROCESSED", "FAILED")
SETTLE_TIMEOUT = 240.0  # generous: uploads queue up behind each other on two cores
TEMP_NAME_RE = re.compile(r"(^\.|\.tmp$|\.part$|\.partial$|~$|\.temp$)")


def wait_settled(client: Client, video_id: str, timeout: float = SETTLE_TIMEOUT,
                 interval: float = 0.2) -> tuple[dict, list[tuple[str, float]]]:
    """Polls the video until PROCESSED or FAILED; returns its last document and every
    (status, progress) seen on the way. Fails with the last document on timeout."""
    history: list[tuple[str, float]] = []
    deadline = time.monotonic() + timeout
    while True:
        video = api.get_video(client, video_id)
        history.append((video["status"], video.get("progress")))
        if video["status"] in SETTLED:
            return video, history
        if time.monotonic() >= deadline:
            raise AssertionError(f"video {video_id} still {video['status']} after {timeout}s "
                                 f"(progress {video.get('progress')}): stuck")
        time.sleep(interval)


def assert_sane_history(history: list[tuple[str, float]]) -> None:
    """Statuses only move forward (UPLOADED -> PROCESSING -> PROCESSED/FAILED) and progress
    stays within 0..1 and never goes back while PROCESSING."""
    ranks = [STATUS_ORDER.index(s) for s, _ in history]
    assert ranks == sorted(ranks), f"status went backwards: {[s for s, _ in history]}"
    progress = [p for s, p in history if s == "PROCESSING"]
    assert all(isinstance(p, (int, float)) and 0 <= p <= 1 for p in progress), progress
    assert progress == sorted(progress), f"progress went backwards: {progress}"


# -- the object store ----------------------------------------------------------------------

def expected_keys(video_id: str, renditions: list[dict], sprites: list[str] | None = None) -> set[str]:
    """Every object key processing must leave for a video, and nothing else: with the content
    analysis (docs/content-analysis.md), analysis.json, the storyboard VTT and the sprite sheets
    it lists (`sprites`, relative to processed/{id}/; analysis_sprites() reads them)."""
    base = f"processed/{video_id}"
    keys = {f"thumbnails/{video_id}.jpg", f"{base}/hls/master.m3u8", f"{base}/video.mp4",
            f"{base}/poster.jpg", f"{base}/analysis.json", f"{base}/storyboard/storyboard.vtt"}
    keys |= {f"{base}/{s}" for s in (sprites or [])}
    for r in renditions:
        keys |= {f"{base}/hls/{r['name']}/index.m3u8", f"{base}/hls/{r['name']}/init.mp4"}
        keys |= {f"{base}/hls/{r['name']}/seg_{i:05d}.m4s" for i in range(1, r["segments"] + 1)}
    return keys


def analysis_sprites(objects_dir: Path, video_id: str) -> list[str]:
    """The storyboard sprite sheets the published analysis.json lists (none if it is missing)."""
    path = objects_dir / "processed" / video_id / "analysis.json"
    if not path.is_file():
        return []
    board = json.loads(path.read_text()).get("storyboard") or {}
    return list(board.get("sprites", []))


def output_keys(objects_dir: Path, video_id: str) -> set[str]:
    """The keys processing produced for a video: everything under processed/{id}/ plus the
    thumbnail if present."""
    found = {f"processed/{video_id}/{rel}"
             for rel in api.files_under(objects_dir / "processed" / video_id)}
    if (objects_dir / "thumbnails" / f"{video_id}.jpg").is_file():
        found.add(f"thumbnails/{video_id}.jpg")
    return found


def temp_files(objects_dir: Path) -> list[str]:
    """Files that look temporary anywhere in the store: anything in the store's .tmp directory
    and any dot-file or *.tmp / *.part / ~ name."""
    out = []
    for dirpath, _, names in os.walk(objects_dir):
        rel_dir = Path(dirpath).relative_to(objects_dir)
        for name in names:
            rel = str(rel_dir / name)
            if rel.startswith(".tmp/") or TEMP_NAME_RE.search(name):
                out.append(rel)
    return sorted(out)


def assert_one_output_set(server, video: dict) -> None:
    """The store holds exactly one complete set of outputs for a processed video and no
    temp files."""
    vid = video["video_id"]
    want = expected_keys(vid, video["renditions"], analysis_sprites(server.objects_dir, vid))
    got = output_keys(server.objects_dir, vid)
    assert got == want, {"missing": sorted(want - got), "unexpected": sorted(got - want)}
    empty = sorted(k for k in want if (server.objects_dir / k).stat().st_size == 0)
    assert not empty, f"empty outputs: {empty}"
    leftovers = temp_files(server.objects_dir)
    assert not leftovers, f"temp files left in the object store: {leftovers}"


def traces_outside_store(server, video_id: str) -> list[str]:
    """Files in the data directory, outside the object store, whose path names the video
    (scratch space a job should have removed)."""
    return sorted(rel for rel in api.files_under(server.data_dir)
                  if video_id in rel and not rel.startswith("objects/"))


# -- the job queue (queue.db, the SQLite queue's one table) ---------------------------------

def live_messages(server) -> list[str]:
    """Bodies of the messages still to be handled (not dead-lettered)."""
    db = sqlite3.connect(f"file:{server.queue_db}?mode=ro", uri=True, timeout=5)
    try:
        return [body for (body,) in db.execute("SELECT body FROM messages WHERE dead = 0")]
    finally:
        db.close()


def resend(server, body: str) -> None:
    """Queues a copy of a message, as an at-least-once queue may deliver one twice. Only
    while the server is stopped."""
    assert not server.running, "resend() writes queue.db: stop the server first"
    now_ms = int(time.time() * 1000)
    db = sqlite3.connect(server.queue_db, timeout=5)
    try:
        with db:
            db.execute("INSERT INTO messages (id, body, sent_at, visible_at) VALUES (?, ?, ?, ?)",
                       (str(uuid.uuid4()), body, now_ms, now_ms))
    finally:
        db.close()


# -- following the outputs through the server ------------------------------------------------

def http_url(server, url: str) -> str:
    """A URL from the API or a playlist as an absolute http:// URL for ffmpeg."""
    return f"http://{server.client.host}:{server.port}{relative_url(url)}"


def master(server, video: dict) -> list[hls.Variant]:
    return hls.parse_master(hls.fetch_playlist(server.client, video["hls_url"]))


def assert_outputs_decode(server, video: dict) -> None:
    """Every HLS variant (through the master playlist, as a player follows it) and the MP4
    decode to the end without an error; the thumbnail and poster are JPEGs that decode."""
    errors = av.decode_errors(http_url(server, video["hls_url"]))
    assert not errors, f"HLS did not decode cleanly: {errors}"
    errors = av.decode_errors(http_url(server, video["video_url"]))
    assert not errors, f"video.mp4 did not decode cleanly: {errors}"
    for field in ("thumbnail_url", "poster_url"):
        resp = hls.fetch(server.client, video[field])
        assert resp.content_type == "image/jpeg", (field, resp)
        assert resp.body[:3] == b"\xff\xd8\xff", f"{field} is not a JPEG"
