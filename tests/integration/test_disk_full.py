"""Disk full: the data directory on a small tmpfs (64 MiB, mounted by the test; the suite runs
as root on CI, and the tests are skipped where mounting is not permitted).

Below the reserve (KINORA_MIN_FREE_BYTES) uploads are refused cleanly (507, nothing partial
left), no job is taken (so none burns its attempts), /ready says why and /metrics shows the
free space; once space is freed everything resumes without a restart. A disk that fills up in
the middle of an upload gives the same 507 and leaves nothing behind. No answer names a server
path.
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from harness import api, multipart, processing

MIB = 1 << 20
TMPFS_BYTES = 64 * MIB
RESERVE = 16 * MIB


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MiB tmpfs at tmp_path/disk, unmounted at teardown."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs",
                             str(mnt)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here (needs root or CAP_SYS_ADMIN): "
                    f"{result.stderr.strip()}")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(mnt: Path, leave: int) -> Path:
    """Writes a filler file so that about `leave` bytes stay free."""
    filler = mnt / "filler"
    size = max(0, free_bytes(mnt) - leave)
    with open(filler, "wb") as f:
        block = b"\0" * MIB
        while size > 0:
            n = min(size, len(block))
            f.write(block[:n])
            size -= n
    return filler


def assert_no_server_path(server, text: str) -> None:
    assert str(server.data_dir) not in text and "/disk/" not in text, text


def receive_counts(server) -> list[int]:
    db = sqlite3.connect(f"file:{server.queue_db}?mode=ro", uri=True, timeout=5)
    try:
        return [n for (n,) in db.execute("SELECT receive_count FROM messages WHERE dead = 0")]
    finally:
        db.close()


def metric(server, name: str) -> float:
    text = api.metrics(server).body.decode()
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    assert m, f"{name} not in /metrics"
    return float(m.group(1))


def test_low_disk_refuses_uploads_pauses_jobs_and_resumes_when_space_is_freed(
        small_disk, server_factory, media):
    env = {"KINORA_MIN_FREE_BYTES": str(RESERVE)}
    server = server_factory.start(env=env, data_dir=small_disk / "data")
    pending = api.upload_ok(server.client, media.clip("mp4"), title="waits for space")
    ready = server.client.get("/ready")
    assert ready.status == 200 and ready.json()["checks"]["disk"] == "ok", ready
    server.stop()

    filler = fill(small_disk, leave=RESERVE // 2)
    server.env["KINORA_WORKERS"] = "1"
    server.start()

    # /ready says why, without a path; /metrics shows the space and the reserve.
    ready = server.client.get("/ready")
    assert ready.status == 503, ready
    doc = ready.json()
    assert "low disk space" in doc["checks"]["disk"], doc
    assert "KINORA_MIN_FREE_BYTES" in doc["checks"]["disk"], doc
    assert_no_server_path(server, ready.body.decode())
    assert metric(server, "kinora_disk_free_bytes") < RESERVE
    assert metric(server, "kinora_disk_reserve_bytes") == RESERVE
    check = subprocess.run(["promtool", "check", "metrics"], input=api.metrics(server).body,
                           capture_output=True, timeout=30)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()

    # Uploads: 507 with a problem saying why, nothing stored.
    before, total = api.files_under(server.objects_dir), api.total_videos(server.client)
    refused = api.upload(server.client, media.clip("webm"))
    problem = api.assert_problem(refused, 507)
    assert "disk" in problem["detail"], problem
    assert_no_server_path(server, refused.body.decode())
    api.assert_nothing_left_behind(server, before, total)

    # Jobs: not taken while the disk is low, so no attempt is used up.
    time.sleep(3)
    video = api.get_video(server.client, pending["video_id"])
    assert (video["status"], video["error"]) == ("UPLOADED", None), video
    assert receive_counts(server) == [0], "a job was taken while the disk was low"

    # Space freed: ready again, the waiting job runs and uploads are taken, no restart.
    filler.unlink()
    api.wait_until(lambda: server.client.get("/ready").status == 200, timeout=10,
                   message="/ready after space was freed")
    video, _ = processing.wait_settled(server.client, pending["video_id"], timeout=120)
    assert video["status"] == "PROCESSED", video
    later = api.upload_ok(server.client, media.clip("webm"), title="after")
    video, _ = processing.wait_settled(server.client, later["video_id"], timeout=120)
    assert video["status"] == "PROCESSED", video
    assert server.running


def test_a_disk_that_fills_during_an_upload_gives_507_and_leaves_nothing(
        small_disk, server_factory):
    # No reserve: the disk really runs out while the body streams in.
    server = server_factory.start(env={"KINORA_MIN_FREE_BYTES": "0"},
                                  data_dir=small_disk / "data")
    fill(small_disk, leave=2 * MIB)
    before, total = api.files_under(server.objects_dir), api.total_videos(server.client)
    body = multipart.MultipartBody([multipart.generated_file("file", 8 * MIB, "big.mp4",
                                                             content_type="video/mp4")])
    resp = api.send_multipart(server.client, body)
    problem = api.assert_problem(resp, 507)
    assert_no_server_path(server, resp.body.decode())
    assert problem["detail"], problem
    api.assert_nothing_left_behind(server, before, total)
    assert processing.temp_files(server.objects_dir) == []
