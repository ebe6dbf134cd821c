"""Hostile media against the real binary: every file is made here, at test time, and each one
ends refused (422 with the reason) or processed/FAILED with a reason, in bounded memory and
time, while the server's own memory and /health stay unaffected.

- the pixel bomb (2.3 MB of PNG-in-Matroska decoding to a 2 GB 16000x16000 frame), four at once;
- a 0x0 frame, an ffconcat list naming local files (not a video container);
- timestamp-gap bombs (a few seconds of content with an hours-long jump) and a 10-hour black
  video: refused over KINORA_MAX_DURATION_SECONDS, or processed to the content actually there;
- 100 audio streams and 10,000 fps timestamps: processed correctly.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from harness import api, processing
from harness import hostile


def rss_kib(server) -> int:
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def refused(server, path: Path, filename: str, *needles: str) -> dict:
    resp = api.upload(server.client, path, filename=filename)
    doc = api.assert_problem(resp, 422)
    for needle in needles:
        assert needle in doc["detail"], doc
    for private in ("/tmp", "/proc", str(server.data_dir)):  # no server paths
        assert private not in doc["detail"], doc
    return doc


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def bomb(hostile_dir) -> Path:
    path = hostile_dir / "bomb.mkv"
    path.write_bytes(hostile.png_in_mkv(16000, 16000))
    assert path.stat().st_size < 3 << 20  # small on disk: 2 GB only once decoded
    return path


def test_pixel_bombs_are_refused_without_touching_the_server(module_server, bomb):
    server = module_server
    before = rss_kib(server)
    answers: list = []
    latencies: list[float] = []
    done = threading.Event()

    def upload():
        answers.append(api.upload(server.client, bomb, filename="bomb.mkv"))

    def watch_health():
        while not done.is_set():
            t = time.monotonic()
            assert server.client.get("/health").status == 200
            latencies.append(time.monotonic() - t)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch_health)
    watcher.start()
    uploads = [threading.Thread(target=upload) for _ in range(4)]
    for t in uploads:
        t.start()
    peak = before
    while any(t.is_alive() for t in uploads):
        peak = max(peak, rss_kib(server))
        time.sleep(0.05)
    for t in uploads:
        t.join()
    done.set()
    watcher.join()

    assert len(answers) == 4
    for resp in answers:
        doc = api.assert_problem(resp, 422)
        assert "16000x16000" in doc["detail"] and "KINORA_MAX_PIXELS" in doc["detail"], doc
    # The server never decoded a frame: its memory barely moved (the bomb is 2 GB decoded).
    assert peak - before < 150 * 1024, f"server RSS grew from {before} KiB to {peak} KiB"
    assert max(latencies) < 2.0, f"/health took up to {max(latencies):.2f} s"
    assert api.total_videos(server.client) == 0


def test_zero_size_frames_are_refused(module_server, hostile_dir):
    path = hostile_dir / "zero.mkv"
    path.write_bytes(hostile.png_in_mkv(0, 0, hostile.zero_png(0, 0)))
    refused(module_server, path, "zero.mkv", "not a video")


def test_an_ffconcat_list_is_not_a_video(module_server, hostile_dir):
    path = hostile_dir / "list.mp4"
    path.write_text(hostile.FFCONCAT)
    refused(module_server, path, "list.mp4", "concat list")
    assert "passwd" not in module_server.log_text()  # nothing was opened


def test_hours_long_claims_are_refused_at_upload(module_server, hostile_dir):
    ten_hours = hostile.long_black(hostile_dir / "black10h.mkv", 36000)
    assert ten_hours.stat().st_size < 200_000
    refused(module_server, ten_hours, "black10h.mkv", "10 h", "KINORA_MAX_DURATION_SECONDS")
    bomb10h = hostile.gap_bomb(hostile_dir / "gap10h.mkv", 36000)
    assert bomb10h.stat().st_size < 200_000
    refused(module_server, bomb10h, "gap10h.mkv", "KINORA_MAX_DURATION_SECONDS")


@pytest.fixture(scope="module")
def processing_server(module_server_factory):
    return module_server_factory.start(env={"KINORA_WORKERS": "1"})


def test_a_gap_bomb_becomes_the_content_it_holds(processing_server, hostile_dir):
    server = processing_server
    path = hostile.gap_bomb(hostile_dir / "gap2h30.mkv", 9000)  # "9,004 s" by its timestamps
    video = api.upload_ok(server.client, path, filename="gap.mkv")
    started = time.monotonic()
    video, history = processing.wait_settled(server.client, video["video_id"], timeout=90)
    took = time.monotonic() - started
    assert video["status"] == "PROCESSED", video
    assert video["duration_seconds"] < 10, video  # seconds of content, not hours
    assert took < 60, f"processing took {took:.0f} s"
    mp4 = server.objects_dir / "processed" / video["video_id"] / "video.mp4"
    assert mp4.stat().st_size < 5 << 20, mp4.stat().st_size
    processing.assert_outputs_decode(server, video)


def test_the_duration_limit_is_a_setting(module_server_factory, hostile_dir):
    server = module_server_factory.start(env={"KINORA_MAX_DURATION_SECONDS": "3"})
    path = hostile.gap_bomb(hostile_dir / "four.mkv", 0)  # 4 s of content, no jump
    refused(server, path, "four.mkv", "4 s", "3 s", "KINORA_MAX_DURATION_SECONDS")


@pytest.mark.parametrize("make,name", [(hostile.many_audio_streams, "many-audio.mkv"),
                                       (hostile.high_rate, "10000fps.mp4")])
def test_odd_but_real_files_are_processed(processing_server, hostile_dir, make, name):
    server = processing_server
    path = make(hostile_dir / name)
    video = api.upload_ok(server.client, path, filename=name)
    video, _ = processing.wait_settled(server.client, video["video_id"], timeout=90)
    assert video["status"] == "PROCESSED", video
    assert 0.5 < video["duration_seconds"] < 3, video
    assert video["fps"] <= 60, video
