"""The command line: help, validation of settings, data directory layout, clean shutdown."""
from __future__ import annotations

import http.client
import json
import signal
import subprocess
import time

import pytest

from harness import api, auth, multipart
from harness.server import base_env, free_port

TIMEOUT = 15
DRAIN_LIMIT = 30


def run(kinora_bin, *args, env=None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([kinora_bin, *args], env=base_env(env), capture_output=True,
                              text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"kinora {' '.join(args)} still running after {TIMEOUT}s "
                    f"(expected it to exit); stderr: {e.stderr!r}")


def serve_args(tmp_path, listen=None):
    return ["serve", "--listen", listen or f"127.0.0.1:{free_port()}",
            "--data-dir", str(tmp_path / "data")]


def test_help(kinora_bin):
    result = run(kinora_bin, "--help")
    assert result.returncode == 0, result
    assert "serve" in result.stdout


def test_serve_help_lists_its_options(kinora_bin):
    result = run(kinora_bin, "serve", "--help")
    assert result.returncode == 0, result
    for option in ("--listen", "--data-dir", "--web-dir"):
        assert option in result.stdout, option


def test_unknown_command_fails(kinora_bin):
    result = run(kinora_bin, "no-such-command")
    assert result.returncode != 0
    assert result.stderr.strip()


@pytest.mark.parametrize("listen", ["bogus", "127.0.0.1:99999", "127.0.0.1:", ":abc"])
def test_bad_listen_address_is_refused(kinora_bin, tmp_path, listen):
    result = run(kinora_bin, *serve_args(tmp_path, listen))
    assert result.returncode != 0
    assert listen in result.stderr or "listen" in result.stderr.lower(), result.stderr


def test_invalid_settings_are_all_listed_at_once(kinora_bin, tmp_path):
    result = run(kinora_bin, *serve_args(tmp_path),
                 env={"KINORA_MAX_UPLOAD_BYTES": "abc", "KINORA_WORKERS": "-1"})
    assert result.returncode == 2, result
    for name in ("KINORA_MAX_UPLOAD_BYTES", "KINORA_WORKERS"):
        assert name in result.stderr, f"{name} not named in: {result.stderr}"


@pytest.mark.parametrize("name,value", [("KINORA_MAX_UPLOAD_BYTES", "-5"),
                                        ("KINORA_URL_TTL_SECONDS", "soon"),
                                        ("KINORA_LOG_LEVEL", "loud"),
                                        ("KINORA_SIGNUP", "sometimes"),
                                        ("KINORA_DEFAULT_VISIBILITY", "secret"),
                                        ("KINORA_RATE_LIMIT", "maybe"),
                                        ("KINORA_RATE_LOGIN", "0"),
                                        ("KINORA_INTERNAL_LISTEN", "nowhere"),
                                        ("KINORA_SESSION_MAX_DAYS", "0"),
                                        ("KINORA_PUBLIC_URL", "ftp://example.org")])
def test_each_invalid_setting_is_named(kinora_bin, tmp_path, name, value):
    result = run(kinora_bin, *serve_args(tmp_path), env={name: value})
    assert result.returncode == 2, result
    assert name in result.stderr, result.stderr


def test_serve_creates_the_data_dir_layout(server):
    assert server.objects_dir.is_dir()
    assert server.catalog_db.is_file()
    assert server.queue_db.is_file()


def test_sigterm_exits_cleanly(server):
    assert server.client.get("/health").status == 200
    start = time.monotonic()
    assert server.stop(signal.SIGTERM, timeout=5) == 0
    assert time.monotonic() - start < 5


def test_sigterm_with_an_idle_keep_alive_connection(server):
    with server.client.connection() as conn:
        assert conn.request("GET", "/health").status == 200
        assert server.stop(signal.SIGTERM, timeout=5) == 0, server.log_tail()


def stalled_upload(server, path, send_bytes: int) -> http.client.HTTPConnection:
    """Starts an upload of `path`, sends only its first `send_bytes` body bytes and stalls."""
    body = multipart.MultipartBody([multipart.path_file("file", path, "cut.mp4")])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("POST", api.UPLOAD)
    for name, value in {**body.headers(), **auth.admin_headers(server)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    sent = 0
    for chunk in body:
        conn.send(chunk[: send_bytes - sent])
        sent += min(len(chunk), send_bytes - sent)
        if sent >= send_bytes:
            break
    return conn


def test_sigterm_during_an_upload_leaves_nothing_partial(server, media):
    """A stalled upload may hold shutdown for a bounded drain period (under Kubernetes'
    default 30 s grace period), never forever, and is never half-stored."""
    conn = stalled_upload(server, media.big(0), send_bytes=2 * 1024 * 1024)
    try:
        time.sleep(0.3)
        assert server.stop(signal.SIGTERM, timeout=DRAIN_LIMIT) == 0, server.log_tail()
    finally:
        conn.close()
    server.start()
    assert api.total_videos(server.client) == 0
    assert api.files_under(server.objects_dir) == {}, "partial upload left in the store"


def test_reindex_rebuilds_a_lost_catalog_from_the_metadata_documents(server_factory, media,
                                                                       kinora_bin):
    server = server_factory.start()
    videos = [api.upload_ok(server.client, media.clip(ext), filename=f"keep.{ext}",
                            title=f"Keep {ext}") for ext in ("mp4", "webm")]
    server.stop()
    for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
        (server.data_dir / name).unlink(missing_ok=True)

    result = run(kinora_bin, "reindex", "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result
    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["failed"]) == (2, 0), summary
    again = run(kinora_bin, "reindex", "--data-dir", str(server.data_dir))
    assert json.loads(again.stdout)["kept"] == 2, again

    server.start()
    for before in videos:
        after = api.get_video(server.client, before["video_id"])
        for field in ("title", "status", "size", "file_extension", "original_filename",
                      "timestamp", "duration_seconds", "width", "height"):
            assert after[field] == before[field], (field, before[field], after[field])
