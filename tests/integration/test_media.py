"""Signed media URLs: ranges, HEAD, ETag/If-None-Match, and refusal of altered or expired
signatures."""
from __future__ import annotations

import time
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest

from harness import api


@pytest.fixture(scope="module")
def stored(module_server, media):
    """Two uploaded videos on a module server: `video` (the main one) and `other`."""
    src = media.clip("mp4")
    first = api.upload_ok(module_server.client, src, filename="media.mp4", title="media test")
    second = api.upload_ok(module_server.client, media.clip("webm"), filename="other.webm")
    return SimpleNamespace(
        server=module_server, client=module_server.client, data=src.read_bytes(),
        video=api.get_video(module_server.client, first["video_id"]),
        other=api.get_video(module_server.client, second["video_id"]))


def get(stored, headers=None, url=None):
    return api.media_get(stored.client, url or stored.video["original_url"], headers=headers)


@pytest.mark.parametrize("field", ["original_url", "video_url"])
def test_full_read(stored, field):
    resp = get(stored, url=stored.video[field])
    assert resp.status == 200, resp
    assert resp.body == stored.data
    assert int(resp.header("Content-Length")) == len(stored.data)
    assert resp.header("Accept-Ranges") == "bytes"
    assert resp.header("ETag")
    assert resp.content_type == "video/mp4"
    assert resp.correlation_id


def byte_ranges(size: int):
    """(Range header, expected first byte, expected last byte) for the satisfiable cases."""
    return [
        ("bytes=0-0", 0, 0),
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=1000-", 1000, size - 1),
        ("bytes=-500", size - 500, size - 1),
        (f"bytes={size - 10}-{size + 1000}", size - 10, size - 1),  # end clamped to the size
        (f"bytes=-{size + 1000}", 0, size - 1),                       # suffix longer than size
        (f"bytes={size - 1}-{size - 1}", size - 1, size - 1),
    ]


def test_ranges(stored):
    size = len(stored.data)
    for header, first, last in byte_ranges(size):
        resp = get(stored, {"Range": header})
        assert resp.status == 206, (header, resp)
        assert resp.header("Content-Range") == f"bytes {first}-{last}/{size}", header
        assert int(resp.header("Content-Length")) == last - first + 1, header
        assert resp.body == stored.data[first:last + 1], header


@pytest.mark.parametrize("make_range", [lambda n: f"bytes={n}-", lambda n: f"bytes={n + 100}-{n + 200}"],
                         ids=["start-at-size", "beyond-end"])
def test_unsatisfiable_range(stored, make_range):
    size = len(stored.data)
    resp = get(stored, {"Range": make_range(size)})
    assert resp.status == 416, resp
    assert resp.header("Content-Range") == f"bytes */{size}"


def test_head(stored):
    resp = stored.client.head(api.signed(stored.video["original_url"]))
    assert resp.status == 200, resp
    assert resp.body == b""
    assert int(resp.header("Content-Length")) == len(stored.data)
    assert resp.header("Accept-Ranges") == "bytes"
    assert resp.header("ETag") == get(stored).header("ETag")


def test_etag_and_if_none_match(stored):
    etag = get(stored).header("ETag")
    assert etag, "no ETag"
    for value in (etag, f'"not-it", {etag}'):
        resp = get(stored, {"If-None-Match": value})
        assert resp.status == 304, (value, resp)
        assert resp.body == b""
        assert resp.header("ETag") == etag
    resp = get(stored, {"If-None-Match": '"not-it"'})
    assert resp.status == 200 and resp.body == stored.data


def test_etags_differ_between_objects(stored):
    assert get(stored).header("ETag") != get(stored, url=stored.other["original_url"]).header("ETag")


# -- signatures ----------------------------------------------------------------------------

def rebuild(path: str, **query) -> str:
    return path + ("?" + urlencode({k: v for k, v in query.items() if v is not None})
                   if any(v is not None for v in query.values()) else "")


def flip_last(hex_text: str) -> str:
    return hex_text[:-1] + ("0" if hex_text[-1] != "0" else "1")


def tampered_urls(stored) -> dict[str, str]:
    url = api.signed(stored.video["original_url"])
    other = api.signed(stored.other["original_url"])
    path, q = urlsplit(url).path, api.url_query(url)
    other_path, other_q = urlsplit(other).path, api.url_query(other)
    vid = stored.video["video_id"]
    exp, sig = q["expires"], q["signature"]
    return {
        "signature flipped": rebuild(path, expires=exp, signature=flip_last(sig)),
        "signature truncated": rebuild(path, expires=exp, signature=sig[:-2]),
        "signature empty": rebuild(path, expires=exp, signature=""),
        "signature of another object": rebuild(path, expires=other_q["expires"],
                                               signature=other_q["signature"]),
        "path of another object": rebuild(other_path, expires=exp, signature=sig),
        "path to the metadata object": rebuild(f"/media/metadata/{vid}.json", expires=exp,
                                               signature=sig),
        "extension changed": rebuild(path.rsplit(".", 1)[0] + ".webm", expires=exp,
                                     signature=sig),
        "expires plus one": rebuild(path, expires=int(exp) + 1, signature=sig),
        "expires far later": rebuild(path, expires=int(exp) + 10**6, signature=sig),
        "signature missing": rebuild(path, expires=exp),
        "expires missing": rebuild(path, signature=sig),
        "no query": path,
    }


def test_altered_urls_are_forbidden(stored):
    for case, target in tampered_urls(stored).items():
        resp = stored.client.get(target)
        assert resp.status == 403, f"{case}: {target} -> {resp!r}"
        api.assert_problem(resp, 403)
        assert stored.data[:64] not in resp.body


@pytest.mark.parametrize("target", [
    "/media/..%2Fcatalog.db", "/media/../catalog.db", "/media/videos/..%2F..%2Fcatalog.db",
    "/media/%2e%2e/%2e%2e/etc/passwd"])
def test_traversal_in_media_keys_is_refused(stored, target):
    q = api.url_query(stored.video["original_url"])
    resp = stored.client.get(rebuild(target, **q))
    assert resp.status in (400, 403, 404), resp
    assert b"SQLite format" not in resp.body and b"root:" not in resp.body


def test_expired_url_is_forbidden(server_factory, media):
    srv = server_factory.start(env={"KINORA_URL_TTL_SECONDS": "1"})
    video = api.upload_ok(srv.client, media.clip("mp4"), filename="short-lived.mp4")
    url = api.get_video(srv.client, video["video_id"])["original_url"]
    expires = int(api.url_query(url)["expires"])
    assert expires <= time.time() + 2, "URL lives longer than KINORA_URL_TTL_SECONDS"
    time.sleep(2.5)
    api.assert_problem(api.media_get(srv.client, url), 403)
