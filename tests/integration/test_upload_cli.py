"""`kinora upload` (docs/uploads.md, "Clients") against `kinora serve`: a whole resumable upload
whose stored original is byte-identical; one killed (SIGKILL) once its upload exists, then run
again with the same command, which continues the same upload from the server's offset; and a
refusal that shows the server's reason and exits 1."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time

from harness import api, auth, tus
from harness.media import sha256_file

MiB = 1024 * 1024
ENV = {"KINORA_MAX_UPLOAD_BYTES": str(256 * MiB)}


def upload_cmd(kinora_bin, server, token, path, *extra):
    return [kinora_bin, "upload", str(path), "--server", f"http://127.0.0.1:{server.port}",
            "--token", token, "--json", *extra]


def run_env(state_home):
    return {**os.environ, "XDG_STATE_HOME": str(state_home)}


def stored_original(server, video) -> str:
    return sha256_file(tus.store_of(server).object_path(video["s3_key"]))


def test_upload_then_resume_after_a_kill(server_factory, kinora_bin, media, tmp_path):
    server = server_factory.start(env=ENV)
    user = auth.create_token(auth.new_user(server, "cli"), ["videos:read", "videos:write"])
    src = media.big(seed=61, size=64 * MiB)
    state_home = tmp_path / "state"
    state_file = state_home / "kinora" / "uploads.json"

    first = subprocess.Popen(upload_cmd(kinora_bin, server, user.secret, src, "--chunk-size",
                                        str(MiB)),
                             env=run_env(state_home), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    def kept_entry() -> bool:
        try:
            return bool(json.loads(state_file.read_text())["uploads"])
        except (OSError, ValueError, KeyError):
            return False
    while not kept_entry():
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline, "the upload URL was never kept"
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.wait()
    kept = json.loads(state_file.read_text())
    assert kept["uploads"], kept

    second = subprocess.run(upload_cmd(kinora_bin, server, user.secret, src),
                            env=run_env(state_home), capture_output=True, timeout=120)
    assert second.returncode == 0, second
    summary = json.loads(second.stdout.decode().strip().splitlines()[-1])
    assert summary["status"] == "uploaded", summary
    assert summary["upload_url"] in json.dumps(kept), (summary, kept)   # the same upload
    size = src.stat().st_size
    assert summary["bytes_sent"] == size - summary["resumed_at"], summary
    video = api.get_video(user.client, summary["video_id"])
    assert video["owner_id"] == user.user_id, video
    assert stored_original(server, video) == sha256_file(src)
    assert json.loads(state_file.read_text())["uploads"] == [], "the state entry stays"


def test_a_refusal_shows_the_servers_reason(server_factory, kinora_bin, tmp_path):
    server = server_factory.start(env=ENV)
    user = auth.create_token(auth.new_user(server, "cli2"), ["videos:read", "videos:write"])
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(os.urandom(300_000))
    run = subprocess.run(upload_cmd(kinora_bin, server, user.secret, noise),
                         env=run_env(tmp_path / "state"), capture_output=True, timeout=60)
    assert run.returncode == 1, run
    assert b"not a video" in run.stderr, run.stderr
