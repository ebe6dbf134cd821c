"""tus 1.0 at /api/uploads/ (docs/uploads.md): a small protocol client, the reference client
(tus-js-client through tests/integration/tus/upload.mjs), and what an upload leaves in the
stores of `kinora serve` (files, SQLite) and of split mode (s3rver's directory, PostgreSQL).

    t = tus.Tus(caller)                      # an auth.Caller (or a Client with credentials)
    url = t.create_ok(len(data), tus.meta(filename="a.mp4"))
    t.patch(url, 0, data[:n]); t.head(url)   # Responses; headers as sent, Tus-Resumable added
    video_id = t.upload(path, chunk=1 << 20) # whole upload, checked on the way
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .client import Response, relative_url

TUS = "/api/uploads/"
CONFIG = "/api/uploads/config"
VERSION = "1.0.0"
OFFSET_TYPE = "application/offset+octet-stream"
VIDEO_ID = "Kinora-Video-Id"
UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")
LOCATION_RE = re.compile(r"^/api/uploads/([0-9a-f]{32})$")
LOCAL_TEMP_DIR = Path(".tmp") / "uploads"    # under the store's root (objects/)
REFERENCE_CLIENT = Path(__file__).resolve().parents[1] / "tus" / "upload.mjs"
PEERS_DIR = Path(__file__).resolve().parents[2] / "peers"


def b64(value: str | bytes) -> str:
    raw = value.encode() if isinstance(value, str) else value
    return base64.b64encode(raw).decode()


def meta(**fields: str | bytes | None) -> str:
    """An Upload-Metadata header: key base64(value) pairs; a value of None sends the key alone
    (tus allows keys without a value)."""
    parts = []
    for key, value in fields.items():
        parts.append(key if value is None else f"{key} {b64(value)}")
    return ",".join(parts)


def upload_id_of(url: str) -> str:
    m = LOCATION_RE.match(relative_url(url))
    assert m, f"not an upload URL: {url!r}"
    return m.group(1)


def sha1_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha1(data).digest()).decode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tus_headers(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """Tus-Resumable plus extra (None removes a header, as in client.merge_headers)."""
    out = {"Tus-Resumable": VERSION}
    for k, v in (extra or {}).items():
        for old in [o for o in out if o.lower() == k.lower()]:
            del out[old]
        if v is not None:
            out[k] = v
    return out


def offset_of(resp: Response) -> int:
    value = resp.header("Upload-Offset")
    assert value is not None and value.isdigit(), f"no Upload-Offset: {resp!r} {dict(resp.headers)}"
    return int(value)


class Tus:
    """Requests of one caller to one server's tus endpoint (a fresh connection each)."""

    def __init__(self, who):
        # an auth.Caller or anything with .request(method, path, body, headers, **kw)
        self.who = who

    def request(self, method: str, path: str, body=None, headers=None, **kw) -> Response:
        return self.who.request(method, relative_url(path), body, headers, **kw)

    def options(self, path: str = TUS, headers=None) -> Response:
        return self.request("OPTIONS", path, headers=headers)

    def create(self, length: int | None, metadata: str | None = None, body: bytes | None = None,
               headers: Mapping[str, str | None] | None = None,
               checksum: str | None = None) -> Response:
        h = {}
        if length is not None:
            h["Upload-Length"] = str(length)
        if metadata is not None:
            h["Upload-Metadata"] = metadata
        if body is not None:
            h["Content-Type"] = OFFSET_TYPE
        if checksum is not None:
            h["Upload-Checksum"] = checksum
        return self.request("POST", TUS, body, tus_headers({**h, **(headers or {})}))

    def create_ok(self, length: int, metadata: str | None = None, body: bytes | None = None,
                  **kw) -> str:
        """POST; checks 201 + Location + Upload-Offset; returns the upload's path."""
        resp = self.create(length, metadata, body, **kw)
        assert resp.status == 201, f"creation: {resp!r}"
        location = resp.header("Location")
        assert location and LOCATION_RE.match(relative_url(location)), \
            f"Location {location!r} is not /api/uploads/{{32 hex}}"
        assert offset_of(resp) == (len(body) if body else 0), dict(resp.headers)
        return relative_url(location)

    def head(self, url: str, headers=None) -> Response:
        return self.request("HEAD", url, headers=tus_headers(headers))

    def get(self, url: str, headers=None) -> Response:
        return self.request("GET", url, headers=headers)

    def patch(self, url: str, offset: int | str | None, data, headers=None,
              checksum: str | None = None, **kw) -> Response:
        h = {"Content-Type": OFFSET_TYPE}
        if offset is not None:
            h["Upload-Offset"] = str(offset)
        if checksum is not None:
            h["Upload-Checksum"] = checksum
        return self.request("PATCH", url, data, tus_headers({**h, **(headers or {})}), **kw)

    def delete(self, url: str, headers=None) -> Response:
        return self.request("DELETE", url, headers=tus_headers(headers))

    def offset(self, url: str) -> int:
        resp = self.head(url)
        assert resp.status == 200, f"HEAD {url}: {resp!r}"
        return offset_of(resp)

    def upload(self, source: Path | bytes, chunk: int = 1 << 20, filename: str | None = None,
               **fields: str) -> tuple[str, str, Response]:
        """A whole upload in PATCHes of `chunk` bytes, each answer checked; returns (upload
        path, video id, the final answer)."""
        data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
        name = filename or (Path(source).name if not isinstance(source, (bytes, bytearray))
                            else "upload.mp4")
        url = self.create_ok(len(data), meta(filename=name, **fields))
        offset, resp = 0, None
        while offset < len(data):
            piece = data[offset:offset + chunk]
            resp = self.patch(url, offset, piece)
            assert resp.status == 204, f"PATCH at {offset}: {resp!r}"
            assert offset_of(resp) == offset + len(piece), dict(resp.headers)
            offset += len(piece)
        video_id = resp.header(VIDEO_ID)
        assert video_id, f"the final PATCH carries no {VIDEO_ID}: {dict(resp.headers)}"
        return url, video_id, resp


# -- the reference client (tus-js-client) --------------------------------------------------

def node_available() -> str | None:
    return shutil.which("node")


def tus_js_installed() -> bool:
    return (PEERS_DIR / "node_modules" / "tus-js-client" / "package.json").is_file()


@dataclass
class ClientRun:
    """One run of tests/integration/tus/upload.mjs: its JSON events and exit code."""
    returncode: int | None
    events: list[dict]
    stderr: str

    def last(self, kind: str) -> dict | None:
        found = [e for e in self.events if e.get("event") == kind]
        return found[-1] if found else None

    @property
    def url(self) -> str | None:
        for e in reversed(self.events):
            if e.get("url"):
                return e["url"]
        return None

    @property
    def sent(self) -> int:
        """The most the client reported sending: tus-js-client's progress, or with --rate the
        bytes released to its requests (progress is throttled to 100 ms and may lag)."""
        values = [e.get(k) for e in self.events for k in ("sent", "released")]
        return max([v for v in values if isinstance(v, int)] or [0])

    def __repr__(self) -> str:
        return (f"<ClientRun exit {self.returncode}, {len(self.events)} events, last "
                f"{self.events[-3:] if self.events else None}, stderr {self.stderr[-600:]!r}>")


class ReferenceClient:
    """Starts upload.mjs (tus-js-client) in the background; events arrive as it prints them."""

    def __init__(self, endpoint: str, file: Path, token: str | None = None, *,
                 chunk_size: int | None = None, stop_after: int | None = None,
                 resume_url: str | None = None, filename: str | None = None,
                 title: str | None = None, visibility: str | None = None,
                 retry_delays: str | None = "none", buffer: bool = False,
                 rate: int | None = None):
        args = ["node", str(REFERENCE_CLIENT), "--file", str(file)]
        opts = {"--endpoint": endpoint, "--token": token, "--chunk-size": chunk_size,
                "--stop-after": stop_after, "--resume-url": resume_url,
                "--filename": filename, "--title": title, "--visibility": visibility,
                "--retry-delays": retry_delays, "--rate": rate}
        for name, value in opts.items():
            if value is not None:
                args += [name, str(value)]
        if buffer:
            args.append("--buffer")
        self.args = args
        self.events: list[dict] = []
        self.stderr = ""
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "NO_PROXY": "127.0.0.1,localhost",
                                          "no_proxy": "127.0.0.1,localhost"})
        self._out = threading.Thread(target=self._read_stdout, daemon=True)
        self._err = threading.Thread(target=self._read_stderr, daemon=True)
        self._out.start()
        self._err.start()

    def _read_stdout(self) -> None:
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "noise", "line": line}
            with self._cond:
                self.events.append(event)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _read_stderr(self) -> None:
        self.stderr = self.proc.stderr.read()

    def wait_for(self, predicate, timeout: float) -> dict | None:
        """Waits until an event satisfies predicate (returns it) or the process ended (None)."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: any(predicate(e) for e in self.events) or self.proc.poll() is not None,
                timeout)
            for e in self.events:
                if predicate(e):
                    return e
            assert ok, f"no matching event within {timeout}s: {self.result(wait=False)!r}"
            return None

    def result(self, timeout: float = 300, wait: bool = True) -> ClientRun:
        if wait:
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"reference client still running after {timeout}s: "
                                     f"{self.result(wait=False)!r}")
            self._out.join(5)
            self._err.join(5)
        with self._cond:
            return ClientRun(self.proc.poll(), list(self.events), self.stderr)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def run_reference_client(endpoint: str, file: Path, token: str | None = None,
                         timeout: float = 300, **kw) -> ClientRun:
    return ReferenceClient(endpoint, file, token, **kw).result(timeout)


# -- what the stores hold ------------------------------------------------------------------

@dataclass
class UploadRow:
    upload_id: str
    video_id: str
    offset: int
    length: int
    complete: bool
    owner_id: str = ""
    extra: dict = field(default_factory=dict)


class EmbeddedStore:
    """`kinora serve`: objects under data/objects, the catalog in data/catalog.db."""

    mode = "embedded"

    def __init__(self, server):
        self.server = server

    @property
    def root(self) -> Path:
        return self.server.objects_dir

    def temp_dir(self) -> Path:
        return self.root / LOCAL_TEMP_DIR

    def temp_files(self) -> dict[str, int]:
        d = self.temp_dir()
        if not d.is_dir():
            return {}
        return {p.name: p.stat().st_size for p in d.iterdir()}

    def _query(self, sql: str, args=()) -> list[tuple]:
        db = sqlite3.connect(f"file:{self.server.catalog_db}?mode=ro", uri=True, timeout=10)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def upload_rows(self) -> dict[str, UploadRow]:
        rows = self._query("SELECT upload_id, video_id, offset_bytes, length, complete, owner_id "
                           "FROM uploads")
        return {r[0]: UploadRow(r[0], r[1], int(r[2]), int(r[3]), bool(int(r[4])), r[5])
                for r in rows}

    def video_ids(self) -> set[str]:
        return {r[0] for r in self._query("SELECT video_id FROM videos")}

    def object_keys(self) -> set[str]:
        out = set()
        for dirpath, _, names in os.walk(self.root):
            rel_dir = Path(dirpath).relative_to(self.root)
            if rel_dir.parts[:1] == (".tmp",):
                continue
            for n in names:
                out.add(str(rel_dir / n) if str(rel_dir) != "." else n)
        return out

    def object_path(self, key: str) -> Path:
        return self.root / key

    def multipart_uploads(self) -> list[str]:
        return []

    def tail_objects(self) -> set[str]:
        return {k for k in self.object_keys() if k.startswith("uploads/")}


class SplitStore:
    """Split mode: objects in s3rver's directory, the catalog in PostgreSQL."""

    mode = "split"
    SUFFIX = "._S3rver_object"
    UPLOADS_DIR = "._S3rver_uploads"   # s3rver's multipart uploads: <bucket>/._S3rver_uploads/<id>/

    def __init__(self, cluster):
        self.cluster = cluster

    @property
    def bucket_dir(self) -> Path:
        s3 = self.cluster.s3
        return Path(s3.dir) / "data" / s3.env["KINORA_TEST_S3_BUCKET"]

    def temp_files(self) -> dict[str, int]:
        """Local temp files of every role (an S3 uploader should keep none)."""
        out = {}
        for role in self.cluster.roles:
            d = Path(role.data_dir)
            for p in d.rglob("*"):
                if p.is_file() and ".tmp" in p.parts and "uploads" in p.parts:
                    out[f"{role.name}/{p.relative_to(d)}"] = p.stat().st_size
        return out

    def upload_rows(self) -> dict[str, UploadRow]:
        rows = self.cluster.pg.query(
            "SELECT upload_id, video_id, offset_bytes, length, complete, owner_id FROM uploads")
        return {r[0]: UploadRow(r[0], r[1], int(r[2]), int(r[3]),
                                str(r[4]).lower() in ("t", "true", "1"), r[5] or "")
                for r in rows}

    def video_ids(self) -> set[str]:
        return {r[0] for r in self.cluster.pg.query("SELECT video_id FROM videos")}

    def object_keys(self) -> set[str]:
        b = self.bucket_dir
        return {str(p.relative_to(b))[:-len(self.SUFFIX)] for p in b.rglob("*" + self.SUFFIX)}

    def object_path(self, key: str) -> Path:
        return self.bucket_dir / (key + self.SUFFIX)

    def multipart_uploads(self) -> list[str]:
        """s3rver's unfinished multipart uploads ("{upload id} -> {key}") that nobody tried to
        abort. s3rver lists none (ListMultipartUploads is NotImplemented), so these are the
        directories it keeps parts in, <bucket>/._S3rver_uploads/<id>/ (a completion removes
        its directory). It cannot abort either (AbortMultipartUpload answers 405, see
        tests/peers/README.md): an upload whose abort was sent (`?uploadId=<id> 405` in its log)
        counts as gone, as it would be on S3."""
        d = self.bucket_dir / self.UPLOADS_DIR
        if not d.is_dir():
            return []
        log = Path(self.cluster.s3.log).read_text(errors="replace")
        aborted = set(re.findall(r"\?uploadId=([^\s&]+) 405\b", log))
        out = []
        for up in sorted(d.iterdir()):
            if up.name in aborted:
                continue
            key_file = up / "key"
            key = key_file.read_text() if key_file.is_file() else "?"
            out.append(f"{up.name} -> {key}")
        return out

    def tail_objects(self) -> set[str]:
        return {k for k in self.object_keys() if k.startswith("uploads/")}


def store_of(target):
    """EmbeddedStore for a KinoraServer, SplitStore for a SplitCluster."""
    return SplitStore(target) if hasattr(target, "pg") else EmbeddedStore(target)
