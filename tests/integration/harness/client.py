"""A small HTTP/1.1 client on top of http.client for black-box tests.

Bodies may be bytes or any iterable of byte chunks, so a multi-gigabyte upload streams from
disk without ever being built in memory. Streamed bodies go out with a Content-Length taken
from the caller's headers, or with chunked transfer encoding. While sending, the client
watches for an early answer (a server refusing an oversized body may answer before reading
it all) and stops sending when one arrives.
"""
from __future__ import annotations

import http.client
import json
import select
import socket
from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

DEFAULT_TIMEOUT = 120.0
_BODYLESS_METHODS = {"GET", "HEAD", "OPTIONS"}
_RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower-case ("application/json")."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def correlation_id(self) -> str | None:
        return self.headers.get("X-Correlation-ID")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise AssertionError(f"response body is not JSON: {self!r}") from e

    def __repr__(self) -> str:
        preview = self.body[:300]
        return f"<Response {self.status} {self.content_type or '-'} {len(self.body)}B {preview!r}>"


def merge_headers(base: Mapping[str, str] | None,
                  extra: Mapping[str, str] | None) -> dict[str, str]:
    """base updated with extra, header names compared case-insensitively (extra wins); a
    value of None in extra removes the header."""
    out = dict(base or {})
    for name, value in (extra or {}).items():
        for old in [k for k in out if k.lower() == name.lower()]:
            del out[old]
        if value is not None:
            out[name] = value
    return out


def path_with_query(path: str, params: Mapping[str, object] | None = None) -> str:
    if not params:
        return path
    sep = "&" if "?" in path else "?"
    return path + sep + urlencode({k: v for k, v in params.items() if v is not None})


def relative_url(url: str) -> str:
    """'/media/x?y' stays as it is; 'http://host/media/x?y' becomes '/media/x?y'."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Connection:
    """One keep-alive connection to the server (reopened when the server closes it).
    `headers` go with every request (a request's own headers win): credentials, see auth.py."""

    def __init__(self, host: str, port: int, timeout: float = DEFAULT_TIMEOUT,
                 headers: Mapping[str, str] | None = None):
        self.host, self.port, self.timeout = host, port, timeout
        self.default_headers = dict(headers or {})
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, body: bytes | Iterable[bytes] | None = None,
                headers: Mapping[str, str] | None = None, *, chunked: bool = False,
                params: Mapping[str, object] | None = None, json_body=None) -> Response:
        headers = merge_headers(self.default_headers, headers)
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        target = path_with_query(path, params)
        reused = self._conn is not None
        try:
            return self._exchange(method, target, body, headers, chunked)
        except _RETRYABLE:
            # A keep-alive connection the server closed while idle: retry once on a fresh one,
            # but only for requests that are safe to repeat.
            self.close()
            if not reused or method not in _BODYLESS_METHODS:
                raise
            return self._exchange(method, target, body, headers, chunked)

    # -- internals --------------------------------------------------------------------------

    def _exchange(self, method, target, body, headers, chunked) -> Response:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        conn = self._conn
        lower = {k.lower() for k in headers}
        if isinstance(body, (bytes, bytearray)) and chunked:
            body = [bytes(body)]
        if isinstance(body, (bytes, bytearray)):
            if "content-length" not in lower:
                headers["Content-Length"] = str(len(body))
            chunks: Iterable[bytes] = [bytes(body)] if body else []
        elif body is None:
            if method not in _BODYLESS_METHODS and "content-length" not in lower and not chunked:
                headers["Content-Length"] = "0"
            chunks = []
        else:
            chunks = body
            if chunked:
                headers["Transfer-Encoding"] = "chunked"
            elif "content-length" not in lower:
                raise ValueError("a streamed body needs Content-Length or chunked=True")

        conn.putrequest(method, target, skip_accept_encoding=True, skip_host="host" in lower)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        complete, send_error = self._send_body(conn, chunks, chunked)
        try:
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            if send_error is not None:
                raise send_error
            raise
        if resp.will_close or not complete:
            self.close()  # the server may still be draining an unfinished body: start afresh
        return Response(resp.status, resp.reason, resp.headers, data)

    @staticmethod
    def _answered_early(conn: http.client.HTTPConnection) -> bool:
        readable, _, _ = select.select([conn.sock], [], [], 0)
        return bool(readable)

    def _send_body(self, conn, chunks: Iterable[bytes],
                   chunked: bool) -> tuple[bool, OSError | None]:
        """Sends the body. Returns (sent completely, socket error that stopped it or None)."""
        try:
            for chunk in chunks:
                if not chunk:
                    continue
                if self._answered_early(conn):
                    return False, None
                if chunked:
                    conn.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                else:
                    conn.send(chunk)
            if chunked:
                conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, socket.timeout) as e:
            return False, e
        return True, None


class Client:
    """Convenience wrapper: each call uses a fresh connection (closed afterwards). `headers`
    go with every request (a request's own headers win): a Client with credentials is what
    auth.Caller hands out; a plain Client is anonymous."""

    def __init__(self, host: str, port: int, timeout: float = DEFAULT_TIMEOUT,
                 headers: Mapping[str, str] | None = None):
        self.host, self.port, self.timeout = host, port, timeout
        self.default_headers = dict(headers or {})

    def connection(self) -> Connection:
        return Connection(self.host, self.port, self.timeout, self.default_headers)

    def with_headers(self, headers: Mapping[str, str] | None) -> "Client":
        """The same server with other default headers (None or {}: anonymous)."""
        return Client(self.host, self.port, self.timeout, headers)

    def patch(self, path: str, body=None, **kw) -> Response:
        return self.request("PATCH", path, body, **kw)

    def request(self, method: str, path: str, body=None, headers=None, **kw) -> Response:
        with self.connection() as conn:
            return conn.request(method, path, body, headers, **kw)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def head(self, path: str, **kw) -> Response:
        return self.request("HEAD", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)

    def delete(self, path: str, **kw) -> Response:
        return self.request("DELETE", path, **kw)


def raw_request(host: str, port: int, data: bytes, method: str = "GET",
                timeout: float = 30.0) -> Response:
    """Sends hand-made request bytes (for framing tests) and parses the answer."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(data)
        resp = http.client.HTTPResponse(sock, method=method)
        resp.begin()
        body = resp.read()
        return Response(resp.status, resp.reason, resp.headers, body)
