"""HTTP framing at the edge, with hand-made requests on raw sockets: a malformed chunked body
gets a 400 problem (not silence, on routes that read the body whole or stream it), a Transfer-Encoding other than `chunked` is refused 501,
multipart part headers over 16 KiB are refused even when they arrive in one read."""
from __future__ import annotations

import json
import socket

import pytest

from harness import api, auth
from harness.client import raw_request
from harness.server import HOST

LOGIN_JSON = json.dumps({"username": "nobody", "password": "wrong"}).encode()


@pytest.fixture(scope="module")
def srv(module_server_factory):
    return module_server_factory.start()


def request_bytes(method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode() + b"\r\n" + body


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def upload_headers(srv, boundary: str = "XyZ") -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={boundary}",
            **auth.admin_headers(srv.client)}


BAD_CHUNKS = {
    "not hex size": b"zz\r\nhello\r\n0\r\n\r\n",
    "size without CRLF after data": b"5\r\nhelloXX0\r\n\r\n",
    "negative size": b"-5\r\nhello\r\n0\r\n\r\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CHUNKS))
@pytest.mark.parametrize("path", [auth.LOGOUT, auth.LOGIN])   # whole body / streamed
def test_a_malformed_chunked_body_is_400(srv, name, path):
    data = request_bytes("POST", path,
                         {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                         chunk(LOGIN_JSON[:10]) + BAD_CHUNKS[name])
    resp = raw_request(HOST, srv.port, data, method="POST", timeout=10)
    doc = api.assert_problem(resp, 400)
    assert "malformed request body" in doc["detail"], doc


@pytest.mark.parametrize("name", sorted(BAD_CHUNKS))
def test_a_malformed_chunked_body_on_the_upload_route_is_400(srv, name):
    data = request_bytes("POST", api.UPLOAD, {**upload_headers(srv),
                                              "Transfer-Encoding": "chunked"},
                         chunk(b"--XyZ\r\n") + BAD_CHUNKS[name])
    resp = raw_request(HOST, srv.port, data, method="POST", timeout=10)
    doc = api.assert_problem(resp, 400)
    assert "malformed request body" in doc["detail"], doc
    assert api.total_videos(srv.client) == 0


@pytest.mark.parametrize("coding", ["gzip, chunked", "deflate,chunked", "chunked, chunked",
                                    "identity, chunked"])
def test_a_transfer_coding_other_than_chunked_is_501(srv, coding):
    body = chunk(LOGIN_JSON) + b"0\r\n\r\n"
    for path, headers in ((auth.LOGIN, {"Content-Type": "application/json"}),
                          (auth.LOGOUT, {"Content-Type": "application/json"}),
                          (api.UPLOAD, upload_headers(srv))):
        data = request_bytes("POST", path, {**headers, "Transfer-Encoding": coding}, body)
        resp = raw_request(HOST, srv.port, data, method="POST", timeout=10)
        api.assert_problem(resp, 501)
    assert api.total_videos(srv.client) == 0


def test_two_transfer_encoding_lines_are_501(srv):
    data = (f"POST {auth.LOGIN} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    resp = raw_request(HOST, srv.port, data + chunk(LOGIN_JSON) + b"0\r\n\r\n", method="POST",
                       timeout=10)
    api.assert_problem(resp, 400, 501)


def test_plain_chunked_still_works(srv):
    data = request_bytes("POST", auth.LOGIN,
                         {"Content-Type": "application/json", "Transfer-Encoding": "Chunked"},
                         chunk(LOGIN_JSON[:7]) + chunk(LOGIN_JSON[7:]) + b"0\r\n\r\n")
    resp = raw_request(HOST, srv.port, data, method="POST", timeout=10)
    api.assert_problem(resp, 401)   # a well-formed body: the credentials are what is wrong


def test_part_headers_over_the_limit_in_one_read_are_refused(srv, media):
    clip = media.clip("mkv").read_bytes()
    body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mkv\"\r\n"
            b"X-Pad: " + b"a" * (20 * 1024) + b"\r\nContent-Type: video/x-matroska\r\n\r\n"
            + clip + b"\r\n--XyZ--\r\n")
    data = request_bytes("POST", api.UPLOAD,
                         {**upload_headers(srv), "Content-Length": str(len(body))}, body)
    with socket.create_connection((HOST, srv.port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        sock.sendall(data)   # headers and body in one write: the parser sees them at once
        resp = raw_response(sock)
    doc = api.assert_problem(resp, 400)
    assert "part headers exceed" in doc["detail"], doc
    assert api.total_videos(srv.client) == 0


def raw_response(sock):
    import http.client

    from harness.client import Response
    r = http.client.HTTPResponse(sock, method="POST")
    r.begin()
    return Response(r.status, r.reason, r.headers, r.read())
