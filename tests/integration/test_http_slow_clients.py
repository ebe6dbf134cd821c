"""Slow clients at the edge: an upload that trickles in steadily (slower than one read buffer
per idle timeout) is taken to the end, while a client that stops sending is cut after the
idle timeout (KINORA_IDLE_TIMEOUT_SECONDS: no byte arrived for that long)."""
from __future__ import annotations

import http.client
import os
import socket
import time

import pytest

from harness import api, auth
from harness.client import Response
from harness.server import HOST

IDLE = 2   # seconds, short so the test is quick


@pytest.fixture(scope="module")
def srv(module_server_factory):
    return module_server_factory.start(env={"KINORA_IDLE_TIMEOUT_SECONDS": str(IDLE)})


def upload_request(srv, clip: bytes, boundary: str = "SlowXyZ") -> tuple[bytes, bytes]:
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"slow.mkv\"\r\nContent-Type: video/x-matroska\r\n\r\n").encode()
    body += clip + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               "Content-Length": str(len(body)), **auth.admin_headers(srv.client)}
    head = f"POST {api.UPLOAD} HTTP/1.1\r\nHost: {HOST}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode(), body


def read_response(sock: socket.socket) -> Response:
    r = http.client.HTTPResponse(sock, method="POST")
    r.begin()
    return Response(r.status, r.reason, r.headers, r.read())


def trickle_upload(srv, clip: bytes, *, tail: int, rate: int, step: float = 0.25) -> Response:
    """Sends all but the last `tail` bytes at once, then the rest at `rate` bytes/s."""
    head, body = upload_request(srv, clip)
    with socket.create_connection((HOST, srv.port), timeout=60) as sock:
        sock.sendall(head + body[:-tail])
        rest = body[-tail:]
        per_step = max(1, int(rate * step))
        while rest:
            time.sleep(step)
            sock.sendall(rest[:per_step])
            rest = rest[per_step:]
        return read_response(sock)


def test_a_slow_steady_upload_is_taken_to_the_end(srv, media):
    clip = media.clip("mkv").read_bytes()
    before = api.total_videos(srv.client)
    started = time.monotonic()
    # 2 KB/s for 3 × the idle timeout: far less than a read buffer per idle timeout.
    resp = trickle_upload(srv, clip, tail=2048 * 3 * IDLE, rate=2048)
    assert time.monotonic() - started > 2.5 * IDLE
    assert resp.status == 201, resp
    assert api.total_videos(srv.client) == before + 1


def test_an_upload_that_stops_sending_is_cut_after_the_idle_timeout(srv, media):
    clip = media.clip("mkv").read_bytes()
    before = api.total_videos(srv.client)
    objects_before = api.files_under(srv.objects_dir)
    head, body = upload_request(srv, clip)
    with socket.create_connection((HOST, srv.port), timeout=30) as sock:
        sock.sendall(head + body[: len(body) // 2])
        started = time.monotonic()
        try:
            while sock.recv(65536):   # whatever comes (nothing, or an answer) until the close
                pass
        except ConnectionResetError:
            pass
        waited = time.monotonic() - started
    assert IDLE - 0.5 <= waited <= IDLE + 5, waited
    api.wait_until(lambda: api.files_under(srv.objects_dir) == objects_before, timeout=5)
    assert api.total_videos(srv.client) == before


def test_a_silent_connection_is_closed_after_the_idle_timeout(srv):
    with socket.create_connection((HOST, srv.port), timeout=30) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""
        assert IDLE - 0.5 <= time.monotonic() - started <= IDLE + 5


@pytest.mark.skipif(not os.environ.get("KINORA_SLOW_DEFAULT_IDLE"),
                    reason="manual: 40 s at the default idle timeout (KINORA_SLOW_DEFAULT_IDLE=1)")
def test_a_slow_upload_outlasts_the_default_idle_timeout(server_factory, media):
    srv = server_factory.start()
    resp = trickle_upload(srv, media.clip("mkv").read_bytes(), tail=2048 * 40, rate=2048)
    assert resp.status == 201, resp
