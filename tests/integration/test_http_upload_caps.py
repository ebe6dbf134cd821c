"""Uploads streaming at once are capped per client address and in total
(KINORA_MAX_UPLOADS_PER_CLIENT, KINORA_MAX_UPLOADS): over the caps an upload is refused with
429 (that client) or 503 (the server) and Retry-After, answered before its body is read; a
slot is free again when its upload ends. Also measures the server's memory per upload."""
from __future__ import annotations

import http.client
import os
import socket
import time

import pytest

from harness import api, auth
from harness.client import Response
from harness.server import HOST

BOUNDARY = "CapXyZ"


def upload_socket(srv, clip: bytes, *, client_ip: str | None = None, send: int | None = None,
                  headers_only: bool = False) -> tuple[socket.socket, bytes]:
    """Starts an upload of `clip`; sends the headers and `send` bytes of the body (all if None).
    Returns the socket and the body bytes not sent yet."""
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"cap.mkv\"\r\nContent-Type: video/x-matroska\r\n\r\n").encode()
    body += clip + f"\r\n--{BOUNDARY}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
               "Content-Length": str(len(body)), **auth.admin_headers(srv.client)}
    if client_ip:
        headers["X-Forwarded-For"] = client_ip
    head = f"POST {api.UPLOAD} HTTP/1.1\r\nHost: {HOST}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sock = socket.create_connection((HOST, srv.port), timeout=30)
    n = 0 if headers_only else (len(body) if send is None else send)
    sock.sendall(head.encode() + body[:n])
    return sock, body[n:]


def read_response(sock: socket.socket) -> Response:
    r = http.client.HTTPResponse(sock, method="POST")
    r.begin()
    return Response(r.status, r.reason, r.headers, r.read())


def refused_before_the_body(srv, clip, status, client_ip=None) -> dict:
    sock, _ = upload_socket(srv, clip, client_ip=client_ip, headers_only=True)
    with sock:
        sock.settimeout(5)   # answered without a byte of the body
        resp = read_response(sock)
    doc = api.assert_problem(resp, status)
    assert int(resp.header("Retry-After")) >= 1, resp.headers
    return doc


@pytest.fixture
def srv(server_factory):
    return server_factory.start(env={"KINORA_MAX_UPLOADS_PER_CLIENT": "2",
                                     "KINORA_MAX_UPLOADS": "3",
                                     "KINORA_TRUSTED_PROXIES": "127.0.0.1/32"})


def test_uploads_are_capped_per_client_and_in_total(srv, media):
    clip = media.clip("mkv").read_bytes()
    auth.admin_headers(srv.client)   # sign in before the slots fill
    held = [upload_socket(srv, clip, send=1000) for _ in range(2)]   # client 127.0.0.1: 2
    time.sleep(0.3)
    doc = refused_before_the_body(srv, clip, 429)
    assert "uploads at once" in doc["detail"], doc
    # Another client (through a trusted proxy) still gets the last slot of the server…
    held.append(upload_socket(srv, clip, client_ip="10.0.0.7", send=1000))
    time.sleep(0.3)
    # …and then the server is full for everyone.
    refused_before_the_body(srv, clip, 503, client_ip="10.0.0.8")
    # Other requests are not uploads: they go on.
    assert srv.client.get(api.VIDEOS).status == 200
    # The held uploads finish normally and give their slots back.
    for sock, rest in held:
        with sock:
            sock.sendall(rest)
            assert read_response(sock).status == 201
    assert api.total_videos(srv.client) == 3
    for _ in range(2):
        api.upload_ok(srv.client, media.clip("mkv"))


def test_a_refused_or_failed_upload_gives_its_slot_back(srv, media):
    clip = media.clip("mkv").read_bytes()
    auth.admin_headers(srv.client)
    for _ in range(5):   # each one cut short: the slot must come back every time
        sock, _ = upload_socket(srv, clip, send=1000)
        sock.close()
    api.wait_until(lambda: api.upload(srv.client, media.clip("mkv")).status == 201, timeout=10)
    for _ in range(3):
        resp = api.upload(srv.client, media.clip("mkv"), filename="bad.txt")
        api.assert_problem(resp, 400, 415, 422)
    api.upload_ok(srv.client, media.clip("mkv"))
    api.upload_ok(srv.client, media.clip("mkv"))


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not os.environ.get("KINORA_MEASURE_UPLOAD_MEMORY"),
                    reason="measurement: KINORA_MEASURE_UPLOAD_MEMORY=1 (prints RSS per upload)")
def test_memory_per_upload(server_factory, media):
    n, sent = 32, 8 << 20
    srv = server_factory.start(env={"KINORA_MAX_UPLOADS_PER_CLIENT": str(n),
                                    "KINORA_MAX_UPLOADS": str(n)})
    blob = os.urandom(sent + (1 << 20))
    auth.admin_headers(srv.client)
    api.upload_ok(srv.client, media.clip("mkv"))   # warm the allocator's pools
    before = rss_kib(srv.proc.pid)
    held = [upload_socket(srv, blob, send=sent) for _ in range(n)]
    time.sleep(3)
    during = rss_kib(srv.proc.pid)
    for sock, _ in held:
        sock.close()
    print(f"\n{n} uploads holding {sent >> 20} MiB each: RSS {before} KiB -> {during} KiB, "
          f"{(during - before) / n / 1024:.2f} MiB per upload")
