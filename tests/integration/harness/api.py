"""Kinora API helpers and common assertions for the integration tests."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable, TypeVar
from urllib.parse import parse_qs, urlsplit

from . import auth, multipart
from .client import Client, Response
from .media import CONTENT_TYPES

UPLOAD = "/api/uploader/upload"
UPLOAD_ALIAS = "/api/upload"
VIDEOS = "/api/analytics/videos"
STATS = "/api/analytics/stats"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SIGNED_MEDIA_RE = re.compile(r"^/media/[^?]+\?(?=.*\bexpires=\d+)(?=.*\bsignature=[0-9a-f]+).*$")
PROBLEM_FIELDS = ("type", "title", "status", "detail", "correlation_id")

T = TypeVar("T")

# `auth=` of the write helpers: DEFAULT = the client's own credentials if it carries any, else
# the server's admin token (auth.admin); None = exactly as given (anonymous for a plain
# Client); an auth.Caller = that caller's credentials.
DEFAULT = object()


def credentials(client: Client, auth_=DEFAULT) -> dict[str, str]:
    """The headers that authenticate a write helper's request (see DEFAULT)."""
    if auth_ is None:
        return {}
    if auth_ is DEFAULT:
        if auth.has_credentials(client.default_headers):
            return {}
        return auth.admin_headers(client)
    return dict(auth_.headers)


def video_path(video_id: str) -> str:
    return f"/api/analytics/video/{video_id}"


def delete_path(video_id: str) -> str:
    return f"/api/uploader/videos/{video_id}"


def view_path(video_id: str) -> str:
    return f"/api/analytics/view/{video_id}"


def like_path(video_id: str) -> str:
    return f"/api/analytics/like/{video_id}"


# -- uploads -------------------------------------------------------------------------------

def upload_body(path: Path, *, filename: str | None = None, title: str | None = None,
                description: str | None = None,
                visibility: str | None = None) -> multipart.MultipartBody:
    filename = filename if filename is not None else Path(path).name
    ext = filename.rsplit(".", 1)[-1].lower()
    parts = []
    if title is not None:
        parts.append(multipart.field("title", title))
    if description is not None:
        parts.append(multipart.field("description", description))
    if visibility is not None:
        parts.append(multipart.field("visibility", visibility))
    parts.append(multipart.path_file("file", path, filename,
                                     CONTENT_TYPES.get(ext, "application/octet-stream")))
    return multipart.MultipartBody(parts)


def send_multipart(client: Client, body: multipart.MultipartBody, *, chunked: bool = False,
                   headers: dict | None = None, path: str = UPLOAD, auth=DEFAULT) -> Response:
    hdrs = {"Content-Type": body.content_type}
    if not chunked:
        hdrs["Content-Length"] = str(len(body))
    hdrs.update(credentials(client, auth))
    hdrs.update(headers or {})
    return client.post(path, body, headers=hdrs, chunked=chunked)


def upload(client: Client, path: Path, *, filename: str | None = None, title: str | None = None,
           description: str | None = None, visibility: str | None = None,
           headers: dict | None = None, chunked: bool = False, endpoint: str = UPLOAD,
           auth=DEFAULT) -> Response:
    body = upload_body(path, filename=filename, title=title, description=description,
                       visibility=visibility)
    return send_multipart(client, body, chunked=chunked, headers=headers, path=endpoint,
                          auth=auth)


def upload_ok(client: Client, path: Path, **kw) -> dict:
    """Uploads and checks the 201 answer; returns the video object."""
    resp = upload(client, path, **kw)
    assert resp.status == 201, resp
    doc = resp.json()
    assert doc["status"] == "success", doc
    assert UUID_RE.match(doc["video_id"]), doc
    assert doc["video"]["video_id"] == doc["video_id"], doc
    return doc["video"]


# -- other writes (authenticated like uploads: see DEFAULT) ---------------------------------

def delete_video(client: Client, video_id: str, *, auth=DEFAULT, path: str | None = None,
                 headers: dict | None = None) -> Response:
    hdrs = credentials(client, auth)
    hdrs.update(headers or {})
    return client.delete(path or delete_path(video_id), headers=hdrs)


def like(client: Client, video_id: str, *, auth=DEFAULT, path: str | None = None,
         headers: dict | None = None) -> Response:
    hdrs = credentials(client, auth)
    hdrs.update(headers or {})
    return client.post(path or like_path(video_id), headers=hdrs)


def unlike(client: Client, video_id: str, *, auth=DEFAULT) -> Response:
    return client.delete(like_path(video_id), headers=credentials(client, auth))


def edit_video(client: Client, video_id: str, *, auth=DEFAULT, **fields) -> Response:
    """PATCH /api/uploader/videos/{id} with a JSON body of `fields`."""
    return client.patch(delete_path(video_id), json_body=fields,
                        headers=credentials(client, auth))


def metrics(target) -> Response:
    """GET /metrics on the main listener with the admin's token (a server or a client)."""
    client = target if isinstance(target, Client) else target.client
    return client.get("/metrics", headers=auth.admin_headers(client))


# -- reads ---------------------------------------------------------------------------------

def get_video(client: Client, video_id: str) -> dict:
    resp = client.get(video_path(video_id))
    assert resp.status == 200, resp
    return resp.json()


def list_videos(client: Client, **params) -> dict:
    resp = client.get(VIDEOS, params=params)
    assert resp.status == 200, resp
    return resp.json()


def total_videos(client: Client) -> int:
    return list_videos(client, limit=1)["total"]


def walk_cursor(client: Client, **params) -> list[dict]:
    """Every page of a listing, following next_cursor; checks page-level invariants."""
    seen, pages, cursor = [], 0, None
    while True:
        page = list_videos(client, **params, **({"cursor": cursor} if cursor else {}))
        assert page["count"] == len(page["videos"]), page
        if "limit" in params:
            assert page["count"] <= int(params["limit"]), page
        seen.extend(page["videos"])
        cursor = page["next_cursor"]
        pages += 1
        assert pages < 1000, "cursor pagination does not end"
        if cursor is None:
            return seen


def media_get(client: Client, url: str, **kw) -> Response:
    return client.get(signed(url), **kw)


def signed(url: str) -> str:
    """A signed media URL as a request target (accepts relative or absolute URLs)."""
    assert isinstance(url, str) and url, f"not a URL: {url!r}"
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    assert SIGNED_MEDIA_RE.match(target), f"not a signed media URL: {url}"
    return target


def url_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# -- assertions ----------------------------------------------------------------------------

def assert_problem(resp: Response, *statuses: int) -> dict:
    """resp is an RFC 9457 problem document with one of `statuses`."""
    assert resp.status in statuses, f"expected {statuses}, got {resp!r}"
    assert resp.content_type == "application/problem+json", resp
    doc = resp.json()
    missing = [f for f in PROBLEM_FIELDS if f not in doc]
    assert not missing, f"problem document lacks {missing}: {doc}"
    assert doc["status"] == resp.status, doc
    assert doc["correlation_id"] == resp.correlation_id, (doc, resp.correlation_id)
    return doc


def wait_until(probe: Callable[[], T], timeout: float = 3.0, interval: float = 0.05,
               message: str = "condition") -> T:
    """Polls probe() until it returns something truthy; fails with the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message} not met within {timeout}s (last: {value!r})")
        time.sleep(interval)


def files_under(root: Path) -> dict[str, int]:
    """relative path -> size of every file below root (hidden ones such as .tmp included)."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            try:
                out[str(full.relative_to(root))] = full.stat().st_size
            except FileNotFoundError:
                pass
    return out


def assert_nothing_left_behind(server, objects_before: dict[str, int], total_before: int) -> None:
    """After a refused upload: no new or changed object (temp files included), the catalog
    count unchanged, and the server still serving."""
    def unchanged():
        return files_under(server.objects_dir) == objects_before
    try:
        wait_until(unchanged, timeout=2.0, message="object store unchanged")
    except AssertionError:
        after = files_under(server.objects_dir)
        new = sorted(set(after) - set(objects_before))
        raise AssertionError(f"object store changed by a refused upload; new files: {new}")
    assert total_videos(server.client) == total_before, "catalog changed by a refused upload"
    assert server.client.get("/health").status == 200
