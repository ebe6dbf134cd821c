"""Resumable uploads, tus 1.0.0 at /api/uploads/ (docs/uploads.md), spoken by hand.

Most tests run twice: against `kinora serve` (files, SQLite) and against split mode (uploader
behind a gateway, s3rver, PostgreSQL); the ones that need the operator's CLI or a server of
their own run on `serve` only. Each checks the answer (status, headers, problem document) and
what the store holds afterwards: the uploads row (catalog database), the temp file
(`objects/.tmp/uploads/{id}`) or the multipart upload and tail objects (s3rver's directory),
the video row and the original, byte for byte.
"""
from __future__ import annotations

import base64
import contextlib
import email.utils
import hashlib
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import api, auth, tus
from harness.cluster import split_cluster
from harness.media import sha256_file
from harness.server import base_env
from harness.tus import VIDEO_ID, Tus, meta, offset_of, sha1_b64

MAX = 32 * 1024 * 1024       # KINORA_MAX_UPLOAD_BYTES of these servers
EXTENSIONS = {"creation", "creation-with-upload", "termination", "expiration", "checksum"}
ENV = {"KINORA_MAX_UPLOAD_BYTES": str(MAX)}


class Deployment:
    """One server (or gateway) with an admin, two users with upload tokens, and its store."""

    def __init__(self, target, mode: str):
        self.target, self.mode = target, mode
        self.store = tus.store_of(target)
        self.admin = auth.admin(target)
        self.alice_session = auth.new_user(target, "alice")
        self.bob_session = auth.new_user(target, "bob")
        self.alice = auth.create_token(self.alice_session, ["videos:read", "videos:write"])
        self.bob = auth.create_token(self.bob_session, ["videos:read", "videos:write"])
        self.anonymous = auth.anonymous(target)
        self.tus = Tus(self.alice)

    def __repr__(self) -> str:
        return f"<{self.mode}>"

    def snapshot(self) -> dict:
        return {"uploads": set(self.store.upload_rows()), "videos": self.store.video_ids(),
                "temp": self.store.temp_files(), "objects": self.store.object_keys(),
                "multipart": self.store.multipart_uploads()}

    def assert_unchanged(self, before: dict, what: str) -> None:
        after = self.snapshot()
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        assert not changed, f"{what} left something behind: {changed}"


@pytest.fixture(scope="module", params=["embedded", "split"])
def dep(request, module_server_factory, kinora_bin, tmp_path_factory):
    if request.param == "embedded":
        yield Deployment(module_server_factory.start(env=ENV), "embedded")
        return
    with split_cluster(kinora_bin, tmp_path_factory.mktemp("split-tus"), extra_env=ENV,
                       processor=False) as cluster:
        yield Deployment(cluster, "split")


@pytest.fixture(scope="module")
def srv(module_server_factory):
    """`kinora serve` alone, for the tests that need its data directory or CLI."""
    return Deployment(module_server_factory.start(env=ENV), "embedded")


def http_date(value: str | None) -> float:
    assert value, "no Upload-Expires"
    parsed = email.utils.parsedate_to_datetime(value)
    assert parsed is not None and parsed.tzinfo is not None, f"not an HTTP date: {value!r}"
    return parsed.timestamp()


def assert_tus_answer(resp) -> None:
    assert resp.header("Tus-Resumable") == tus.VERSION, \
        f"no Tus-Resumable: 1.0.0 on {resp!r} {dict(resp.headers)}"


def assert_gone(dep: Deployment, url: str, who=None) -> None:
    t = Tus(who or dep.alice)
    for resp in (t.head(url), t.patch(url, 0, b"x"), t.delete(url)):
        assert resp.status == 404, f"{url} should be gone: {resp!r}"


def assert_original(dep: Deployment, video_id: str, src_sha256: str, owner) -> dict:
    """The video row exists (details answer as the owner) and its original is the upload."""
    video = api.get_video(owner.client, video_id)
    assert video_id in dep.store.video_ids()
    path = dep.store.object_path(video["s3_key"])
    assert path.is_file(), f"original {video['s3_key']} missing ({path})"
    assert sha256_file(path) == src_sha256, f"original {video['s3_key']} differs from the upload"
    return video


def assert_nothing_pending(dep: Deployment, url: str, video_id: str) -> None:
    """The upload left no temp file, no tail object, no unfinished multipart upload."""
    upload_id = tus.upload_id_of(url)
    temp = {k: v for k, v in dep.store.temp_files().items() if upload_id in k}
    assert temp == {}, f"temp file left: {temp}"
    tails = {k for k in dep.store.tail_objects() if upload_id in k}
    assert tails == set(), f"tail objects left: {tails}"
    multipart = [m for m in dep.store.multipart_uploads() if video_id in m]
    assert multipart == [], f"multipart upload left: {multipart}"


# -- discovery and creation -------------------------------------------------------------------

def test_options_discovery(dep):
    for path in (tus.TUS, f"/api/uploads/{uuid.uuid4().hex}"):
        for who in (dep.alice, dep.anonymous):
            resp = who.request("OPTIONS", path)     # no Tus-Resumable: not needed for OPTIONS
            assert resp.status == 204, (path, who, resp)
            assert_tus_answer(resp)
            assert "1.0.0" in [v.strip() for v in resp.header("Tus-Version", "").split(",")]
            ext = {v.strip() for v in resp.header("Tus-Extension", "").split(",")}
            assert EXTENSIONS <= ext, ext
            assert not ext & {"creation-defer-length", "concatenation"}, ext
            algos = {v.strip() for v in resp.header("Tus-Checksum-Algorithm", "").split(",")}
            assert {"sha1", "sha256", "md5"} <= algos, algos
    resp = dep.alice.request("OPTIONS", tus.TUS)
    assert resp.header("Tus-Max-Size") == str(MAX), dict(resp.headers)


def test_creation_head_and_get(dep):
    before = time.time()
    resp = dep.tus.create(1000, meta(filename="created.mp4", title="created"))
    assert resp.status == 201, resp
    assert_tus_answer(resp)
    url = resp.header("Location")
    upload_id = tus.upload_id_of(url)
    assert url == f"/api/uploads/{upload_id}", url
    assert offset_of(resp) == 0
    expires = http_date(resp.header("Upload-Expires"))
    assert before + 23 * 3600 < expires < time.time() + 25 * 3600, resp.header("Upload-Expires")

    try:
        head = dep.tus.head(url)
        assert head.status == 200 and head.body == b"", head
        assert_tus_answer(head)
        assert (offset_of(head), head.header("Upload-Length")) == (0, "1000"), dict(head.headers)
        assert "no-store" in head.header("Cache-Control", ""), dict(head.headers)
        assert head.header("Upload-Expires"), dict(head.headers)
        assert head.header("Upload-Metadata") is None, "Upload-Metadata is not echoed"

        info = dep.tus.get(url)
        assert info.status == 200, info
        doc = info.json()
        assert {"upload_id", "offset", "length", "expires_at", "video_id", "complete"} <= \
            set(doc), doc
        assert (doc["upload_id"], doc["offset"], doc["length"], doc["complete"]) == \
            (upload_id, 0, 1000, False), doc

        row = dep.store.upload_rows()[upload_id]
        assert (row.offset, row.length, row.complete) == (0, 1000, False), row
        assert row.owner_id == dep.alice.user_id, row
        assert row.video_id not in dep.store.video_ids(), "no video row before completion"
        assert "video" in doc, f"GET: no 'video' (null before completion, docs/uploads.md): {doc}"
        assert doc["video"] is None, doc
    finally:
        assert dep.tus.delete(url).status == 204


def test_upload_in_patches_lands_intact(dep, media):
    src = media.clip("mp4")
    data = src.read_bytes()
    url = dep.tus.create_ok(len(data), meta(filename="patches.mp4", title="in patches",
                                            visibility="unlisted"))
    upload_id = tus.upload_id_of(url)
    offset, chunk, resp = 0, 40_000, None
    while offset < len(data):
        piece = data[offset:offset + chunk]
        resp = dep.tus.patch(url, offset, piece)
        assert resp.status == 204 and resp.body == b"", (offset, resp)
        assert_tus_answer(resp)
        assert offset_of(resp) == offset + len(piece)
        offset += len(piece)
        if offset < len(data):
            assert resp.header("Upload-Expires"), dict(resp.headers)
            assert resp.header(VIDEO_ID) is None, "a video id before the upload is complete"
            assert dep.tus.offset(url) == offset
    video_id = resp.header(VIDEO_ID)
    assert video_id and api.UUID_RE.match(video_id), dict(resp.headers)

    video = assert_original(dep, video_id, tus.sha256_hex(data), dep.alice)
    assert (video["title"], video["visibility"], video["owner_id"]) == \
        ("in patches", "unlisted", dep.alice.user_id), video
    assert video["original_filename"] == "patches.mp4", video
    assert video["size"] == len(data), video

    head = dep.tus.head(url)   # a finished upload still answers, with its video
    assert head.status == 200, head
    assert (offset_of(head), head.header(VIDEO_ID)) == (len(data), video_id), dict(head.headers)
    doc = dep.tus.get(url).json()
    assert (doc["complete"], doc["video_id"], doc["offset"]) == (True, video_id, len(data)), doc
    assert doc["video"]["video_id"] == video_id, doc
    row = dep.store.upload_rows()[upload_id]
    assert (row.complete, row.video_id, row.offset) == (True, video_id, len(data)), row
    assert_nothing_pending(dep, url, video_id)
    assert resp.header("Upload-Expires"), \
        f"the final PATCH has no Upload-Expires: {dict(resp.headers)}"


def test_large_upload_across_part_boundaries(dep, media):
    """20 MB in 3 MiB PATCHes: on S3 several parts and tail objects carried between PATCHes."""
    src = media.big(seed=21)
    url, video_id, _ = dep.tus.upload(src, chunk=3 * 1024 * 1024, title="big tus")
    assert_original(dep, video_id, sha256_file(src), dep.alice)
    assert_nothing_pending(dep, url, video_id)


def test_creation_with_upload(dep, media):
    data = media.clip("mov").read_bytes()
    first = 50_000
    url = dep.tus.create_ok(len(data), meta(filename="cwu.mov"), body=data[:first])
    assert dep.tus.offset(url) == first
    resp = dep.tus.patch(url, first, data[first:])
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)


def test_creation_with_the_whole_file_completes_at_once(dep, media):
    data = media.clip("m4v").read_bytes()
    resp = dep.tus.create(len(data), meta(filename="whole.m4v", title="in one POST"), body=data)
    assert resp.status == 201, resp
    assert offset_of(resp) == len(data)
    video_id = resp.header(VIDEO_ID)
    assert video_id, f"no {VIDEO_ID} on a creation that completed: {dict(resp.headers)}"
    assert_original(dep, video_id, tus.sha256_hex(data), dep.alice)
    assert_nothing_pending(dep, resp.header("Location"), video_id)


def test_chunked_patch_bodies_are_accepted(dep, media):
    data = media.clip("mp4").read_bytes()
    url = dep.tus.create_ok(len(data), meta(filename="chunked.mp4"))
    pieces = [data[i:i + 30_000] for i in range(0, 90_000, 30_000)]
    resp = dep.tus.patch(url, 0, pieces, chunked=True)
    assert resp.status == 204 and offset_of(resp) == 90_000, resp
    resp = dep.tus.patch(url, 90_000, [data[90_000:]], chunked=True)
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)


# -- refusals that keep the upload ------------------------------------------------------------

def partial(dep: Deployment, data: bytes, sent: int, name: str = "partial.mp4") -> str:
    url = dep.tus.create_ok(len(data), meta(filename=name))
    if sent:
        resp = dep.tus.patch(url, 0, data[:sent])
        assert resp.status == 204, resp
    return url


def test_wrong_offset_is_409(dep, media):
    data = media.clip("mp4").read_bytes()
    url = partial(dep, data, 10_000)
    for wrong in (0, 9_999, 10_001, len(data)):
        resp = dep.tus.patch(url, wrong, data[wrong:wrong + 100])
        api.assert_problem(resp, 409)
        assert_tus_answer(resp)
    assert dep.tus.offset(url) == 10_000
    resp = dep.tus.patch(url, 10_000, data[10_000:])
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)


@pytest.mark.parametrize("value", [None, "", "abc", "-1", "1.5", "0x0c"])
def test_patch_upload_offset_missing_or_not_a_number_is_400(dep, value):
    url = partial(dep, b"o" * 300, 12, "offset.mp4")
    resp = dep.tus.patch(url, value, b"o" * 10)
    api.assert_problem(resp, 400)
    assert dep.tus.offset(url) == 12
    assert dep.tus.delete(url).status == 204


@pytest.mark.parametrize("value", [None, "0.2.2", "1.0", "2.0.0", ""])
def test_tus_resumable_missing_or_wrong_is_412(dep, value):
    url = dep.tus.create_ok(100, meta(filename="v.mp4"))
    before = dep.snapshot()
    bad = {"Tus-Resumable": value}
    answers = {
        "POST": dep.tus.create(100, meta(filename="v.mp4"), headers=bad),
        "HEAD": dep.tus.head(url, headers=bad),
        "PATCH": dep.tus.patch(url, 0, b"x" * 10, headers=bad),
        "DELETE": dep.tus.delete(url, headers=bad),
    }
    for method, resp in answers.items():
        assert resp.status == 412, (method, resp)
        assert "1.0.0" in resp.header("Tus-Version", ""), (method, dict(resp.headers))
        if method != "HEAD":
            api.assert_problem(resp, 412)
    assert dep.tus.offset(url) == 0, "the refused PATCH stored nothing; DELETE did not run"
    dep.assert_unchanged(before, "requests without Tus-Resumable: 1.0.0")
    assert dep.tus.delete(url).status == 204


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "text/plain",
                                          "application/offset+octet-stream-x"])
def test_patch_content_type_must_be_offset_octet_stream_415(dep, content_type):
    url = dep.tus.create_ok(100, meta(filename="ct.mp4"))
    resp = dep.tus.patch(url, 0, b"y" * 10, headers={"Content-Type": content_type})
    api.assert_problem(resp, 415)
    assert_tus_answer(resp)
    assert dep.tus.offset(url) == 0
    assert dep.tus.delete(url).status == 204


def test_length_over_max_size_is_413_and_stores_nothing(dep):
    before = dep.snapshot()
    for length in (MAX + 1, 10 * MAX, 2**62):
        resp = dep.tus.create(length, meta(filename="huge.mp4"))
        api.assert_problem(resp, 413)
        assert_tus_answer(resp)
        assert resp.header("Location") is None
    # creation-with-upload: refused from the headers, the body is never kept
    resp = dep.tus.create(MAX + 1, meta(filename="huge.mp4"), body=b"z" * 100_000)
    api.assert_problem(resp, 413)
    dep.assert_unchanged(before, "a refused Upload-Length")


def test_patch_past_upload_length_is_413_and_keeps_nothing_of_it(dep):
    data = bytes(range(256)) * 4   # 1024 bytes
    url = dep.tus.create_ok(1000, meta(filename="past.mp4"))
    api.assert_problem(dep.tus.patch(url, 0, data[:1001]), 413)
    assert dep.tus.offset(url) == 0
    assert dep.tus.patch(url, 0, data[:500]).status == 204
    api.assert_problem(dep.tus.patch(url, 500, data[500:1024]), 413)
    assert dep.tus.offset(url) == 500
    if dep.mode == "embedded":
        temp = dep.store.temp_files().get(tus.upload_id_of(url))
        assert temp is not None and temp <= 500, f"temp file holds {temp} bytes, offset is 500"
    assert dep.tus.delete(url).status == 204


def test_checksum_mismatch_is_460_and_discards_the_bytes(dep, media):
    data = media.clip("hd_mp4").read_bytes()   # 450 kB
    url = partial(dep, data, 20_000, "sum.mp4")
    chunk = data[20_000:60_000]
    wrong = sha1_b64(chunk[:-1] + bytes([chunk[-1] ^ 1]))
    resp = dep.tus.patch(url, 20_000, chunk, checksum=f"sha1 {wrong}")
    api.assert_problem(resp, 460)
    assert_tus_answer(resp)
    assert dep.tus.offset(url) == 20_000
    temp_after_460 = dep.store.temp_files().get(tus.upload_id_of(url))   # checked at the end
    # the same bytes with their own checksum (each algorithm) continue the upload
    resp = dep.tus.patch(url, 20_000, chunk, checksum=f"sha1 {sha1_b64(chunk)}")
    assert resp.status == 204 and offset_of(resp) == 60_000, resp
    nxt = data[60_000:100_000]
    resp = dep.tus.patch(url, 60_000, nxt, checksum="sha256 " + base64.b64encode(
        hashlib.sha256(nxt).digest()).decode())
    assert resp.status == 204 and offset_of(resp) == 100_000, resp
    rest = data[100_000:]
    resp = dep.tus.patch(url, 100_000, rest, checksum="md5 " + base64.b64encode(
        hashlib.md5(rest).digest()).decode())
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)
    if dep.mode == "embedded":   # "that request's bytes are discarded"
        assert temp_after_460 is not None and temp_after_460 <= 20_000, \
            f"the temp file held {temp_after_460} bytes after the 460 (offset 20000)"


@pytest.mark.parametrize("header,statuses", [
    ("crc32 AAAAAA==", (400,)), ("sha512 " + "A" * 88, (400,)), ("sha1", (400,)),
    ("sha1 !!!not-base64!!!", (400,)), ("", (400,)),
    ("sha1 QUJD", (400, 460)),    # valid base64 of 3 bytes: malformed, or simply a mismatch
])
def test_unknown_or_malformed_checksum_is_400(dep, header, statuses):
    url = dep.tus.create_ok(100, meta(filename="algo.mp4"))
    resp = dep.tus.patch(url, 0, b"q" * 10, checksum=header)
    api.assert_problem(resp, *statuses)
    assert dep.tus.offset(url) == 0
    assert dep.tus.delete(url).status == 204


def cut_patch(dep: Deployment, url: str, offset: int, body: bytes, declared: int,
              checksum: str | None = None) -> None:
    """A PATCH declaring `declared` bytes whose connection closes after `body`."""
    host, port = dep.alice.client.host, dep.alice.client.port
    head = (f"PATCH {url} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: {dep.alice.headers['Authorization']}\r\n"
            f"Tus-Resumable: 1.0.0\r\nContent-Type: {tus.OFFSET_TYPE}\r\n"
            f"Upload-Offset: {offset}\r\nContent-Length: {declared}\r\n")
    if checksum:
        head += f"Upload-Checksum: {checksum}\r\n"
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)


def test_a_cut_patch_keeps_what_arrived(dep, media):
    """docs/uploads.md: a PATCH whose connection breaks keeps what arrived (durable, recorded)."""
    data = media.clip("hd_mp4").read_bytes()
    url = dep.tus.create_ok(len(data), meta(filename="cut.mp4"))
    cut_patch(dep, url, 0, data[:150_000], len(data))
    api.wait_until(lambda: dep.tus.offset(url) == 150_000, timeout=15,
                   message="the 150000 bytes of the cut PATCH recorded")
    resp = dep.tus.patch(url, 150_000, data[150_000:])
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)


def test_a_cut_patch_with_a_checksum_keeps_nothing(dep, media):
    """... unless it carried a checksum: the offset stays, the next PATCH starts there."""
    data = media.clip("hd_mp4").read_bytes()
    url = partial(dep, data, 10_000, "cutsum.mp4")
    whole = data[10_000:]
    cut_patch(dep, url, 10_000, whole[:150_000], len(whole), checksum=f"sha1 {sha1_b64(whole)}")

    def next_patch():   # 423 while the server still holds the cut one
        resp = dep.tus.patch(url, 10_000, whole)
        return None if resp.status == 423 else resp
    resp = api.wait_until(next_patch, timeout=15, message="the cut PATCH released")
    assert resp.status == 204, \
        f"offset after the cut checksummed PATCH: {dep.tus.offset(url)}; {resp!r}"
    assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)


def test_concurrent_patches_on_one_upload(dep, media):
    """Two PATCHes at the same offset, the second sent while the first is still streaming:
    one 204, the other 409 or 423 (tus-js-client retries a 423); the file ends intact."""
    src = media.big(seed=22)
    data = src.read_bytes()
    url = dep.tus.create_ok(len(data), meta(filename="race.mp4"))
    half = len(data) // 2
    first_sent, second_answered = threading.Event(), threading.Event()
    piece = 256 * 1024

    def slow_body():
        yield data[:piece]
        first_sent.set()
        # the rest only once the rival PATCH has its answer (or after 20 s)
        second_answered.wait(20)
        for i in range(piece, half, piece):
            yield data[i:min(i + piece, half)]

    def first():
        return dep.tus.patch(url, 0, slow_body(), headers={"Content-Length": str(half)})

    def second():
        try:
            assert first_sent.wait(20), "the first PATCH never sent its first bytes"
            return dep.tus.patch(url, 0, data[:half])
        finally:
            second_answered.set()

    with ThreadPoolExecutor(2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        ra, rb = a.result(120), b.result(120)
    # Usually the first holds the upload and the rival is told 423; should the rival's
    # headers be handled first, the first is told 423 (or 409 once the rival is done).
    assert sorted([ra.status, rb.status]) in ([204, 409], [204, 423]), \
        f"first {ra!r}, second {rb!r}"
    for r in (ra, rb):
        if r.status != 204:
            api.assert_problem(r, 409, 423)
    assert dep.tus.offset(url) == half
    resp = dep.tus.patch(url, half, data[half:])
    assert resp.status == 204, resp
    assert_original(dep, resp.header(VIDEO_ID), sha256_file(src), dep.alice)


# -- termination, ownership, accounts ---------------------------------------------------------

def test_termination_removes_everything(dep, media):
    data = media.big(seed=23).read_bytes()
    before = dep.snapshot()
    url = partial(dep, data, 9 * 1024 * 1024 + 12345, "gone.mp4")   # past a part on S3
    upload_id = tus.upload_id_of(url)
    assert upload_id in dep.store.upload_rows()
    resp = dep.tus.delete(url)
    assert resp.status == 204, resp
    assert_tus_answer(resp)
    head = dep.tus.head(url)
    assert head.status == 404, head
    assert_tus_answer(head)
    assert_gone(dep, url)
    assert upload_id not in dep.store.upload_rows()
    after = dep.snapshot()
    assert after["temp"] == before["temp"], f"temp bytes left: {after['temp']}"
    assert after["objects"] == before["objects"], \
        f"objects left: {after['objects'] - before['objects']}"
    assert after["videos"] == before["videos"]
    assert after["multipart"] == before["multipart"], \
        f"multipart upload not aborted: {set(after['multipart']) - set(before['multipart'])}"


def test_another_users_upload_is_404(dep):
    data = b"k" * 5000
    url = partial(dep, data, 1000, "mine.mp4")
    unknown = f"/api/uploads/{uuid.uuid4().hex}"
    for who in (dep.bob, dep.bob_session):
        t = Tus(who)
        for method, call in (("HEAD", lambda u: t.head(u)),
                             ("PATCH", lambda u: t.patch(u, 1000, data[1000:2000])),
                             ("DELETE", lambda u: t.delete(u)),
                             ("GET", lambda u: t.get(u))):
            theirs, none = call(url), call(unknown)
            assert theirs.status == 404, (who, method, theirs)
            assert none.status == 404, (who, method, none)
            if method != "HEAD":   # the same problem as for an id that does not exist
                p, q = api.assert_problem(theirs, 404), api.assert_problem(none, 404)
                assert (p["type"], p["title"]) == (q["type"], q["title"])
                mine, other = tus.upload_id_of(url), tus.upload_id_of(unknown)
                assert p["detail"].replace(mine, "ID") == q["detail"].replace(other, "ID"), (p, q)
    assert dep.tus.offset(url) == 1000, "the other user's requests changed nothing"
    assert dep.tus.delete(url).status == 204


def test_anonymous_and_read_only_callers_are_refused(dep):
    before = dep.snapshot()
    resp = Tus(dep.anonymous).create(100, meta(filename="anon.mp4"))
    api.assert_problem(resp, 401)
    reader = auth.create_token(dep.alice_session, ["videos:read"])
    api.assert_problem(Tus(reader).create(100, meta(filename="ro.mp4")), 403)
    dep.assert_unchanged(before, "refused creations")
    url = partial(dep, b"a" * 300, 100, "acct.mp4")
    for who, allowed in ((dep.anonymous, (401, 404)), (reader, (403, 404))):
        t = Tus(who)
        for resp in (t.head(url), t.patch(url, 100, b"b" * 100), t.delete(url)):
            assert resp.status in allowed, (who, resp)
    assert dep.tus.offset(url) == 100
    assert dep.tus.delete(url).status == 204


def test_sessions_upload_with_the_csrf_proof_only(dep, media):
    """The web app's way: the session cookie with X-Kinora-Request (auth.session_headers); the
    cookie alone is refused on every write (403), and changes nothing."""
    data = media.clip("mkv").read_bytes()
    t = Tus(dep.alice_session)
    url = t.create_ok(len(data), meta(filename="session.mkv", title="by session"))
    assert t.patch(url, 0, data[:50_000]).status == 204
    cookie_only = auth.Caller(dep.target, "session",
                              {"Cookie": dep.alice_session.headers["Cookie"]}, name="cookie only")
    bare = Tus(cookie_only)
    before = dep.snapshot()
    api.assert_problem(bare.create(len(data), meta(filename="csrf.mkv")), 403)
    api.assert_problem(bare.patch(url, 50_000, data[50_000:]), 403)
    api.assert_problem(bare.delete(url), 403)
    dep.assert_unchanged(before, "cookie-only writes")
    assert t.offset(url) == 50_000
    resp = t.patch(url, 50_000, data[50_000:])
    assert resp.status == 204, resp
    video = assert_original(dep, resp.header(VIDEO_ID), tus.sha256_hex(data), dep.alice)
    assert (video["title"], video["owner_id"]) == ("by session", dep.alice.user_id), video


def test_uploads_config_names_the_tus_endpoint(dep):
    resp = dep.alice.get(tus.CONFIG)
    assert resp.status == 200, resp
    doc = resp.json()
    assert doc["tus"]["endpoint"] in ("/api/uploads/", "/api/uploads"), doc
    assert doc["tus"]["max_size"] == MAX, doc
    assert isinstance(doc["tus"]["chunk_size"], int) and doc["tus"]["chunk_size"] > 0, doc
    assert isinstance(doc["s3_multipart"], bool), doc
    if dep.mode == "embedded":
        assert doc["s3_multipart"] is False, "direct to S3 needs an S3 store"


# -- metadata -----------------------------------------------------------------------------

BAD_CREATIONS = {
    "no filename": {"Upload-Metadata": meta(title="nameless")},
    "no metadata": {"Upload-Metadata": None},
    "filename without extension": {"Upload-Metadata": meta(filename="clip")},
    "extension .txt": {"Upload-Metadata": meta(filename="clip.txt")},
    "extension .exe": {"Upload-Metadata": meta(filename="clip.exe")},
    "double extension .mp4.exe": {"Upload-Metadata": meta(filename="clip.mp4.exe")},
    "trailing dot": {"Upload-Metadata": meta(filename="clip.")},
    "empty filename": {"Upload-Metadata": meta(filename="")},
    "filename invalid base64": {"Upload-Metadata": "filename !!!!"},
    "title invalid base64": {"Upload-Metadata": meta(filename="a.mp4") + ",title @@@"},
    "title invalid UTF-8": {"Upload-Metadata": meta(filename="a.mp4", title=b"\xff\xfe bad")},
    "title over 300 bytes": {"Upload-Metadata": meta(filename="a.mp4", title="t" * 301)},
    "description over 5000 bytes": {"Upload-Metadata": meta(filename="a.mp4",
                                                            description="d" * 5001)},
    "visibility unknown": {"Upload-Metadata": meta(filename="a.mp4", visibility="secret")},
    "visibility in capitals": {"Upload-Metadata": meta(filename="a.mp4", visibility="PUBLIC")},
    "malformed metadata": {"Upload-Metadata": "filename a b c"},
    "Upload-Length missing": {"Upload-Length": None},
    "Upload-Length not a number": {"Upload-Length": "12abc"},
    "Upload-Length negative": {"Upload-Length": "-5"},
    "Upload-Length zero": {"Upload-Length": "0"},
    "Upload-Defer-Length": {"Upload-Length": None, "Upload-Defer-Length": "1"},
    "both lengths": {"Upload-Defer-Length": "1"},
}


@pytest.mark.parametrize("case", list(BAD_CREATIONS))
def test_bad_creation_is_400_and_creates_nothing(dep, case):
    before = dep.snapshot()
    headers = {"Upload-Metadata": meta(filename="ok.mp4"), "Upload-Length": "1000",
               **BAD_CREATIONS[case]}
    resp = dep.tus.create(None, None, headers=headers)
    api.assert_problem(resp, 400)
    assert_tus_answer(resp)
    assert resp.header("Location") is None
    dep.assert_unchanged(before, case)


def test_metadata_values_are_never_echoed_into_headers(dep, media):
    marker = "zq" + uuid.uuid4().hex[:8]
    data = media.clip("mp4").read_bytes()
    values = {"filename": f"{marker}.mp4", "title": f"{marker}\r\nX-Injected: 1",
              "description": f"{marker} description", "filetype": f"video/{marker}"}
    answers = [dep.tus.create(len(data), meta(**values))]
    if answers[0].status == 400:   # a title with CR LF may be refused; then without it
        values["title"] = f"{marker} title"
        answers.append(dep.tus.create(len(data), meta(**values)))
    assert answers[-1].status == 201, answers[-1]
    url = answers[-1].header("Location")
    answers += [dep.tus.head(url), dep.tus.patch(url, 0, data[:1000]), dep.tus.get(url),
                dep.tus.patch(url, 1000, data[1000:]), dep.tus.head(url),
                dep.tus.create(len(data), meta(**values, visibility=marker))]
    encoded = {tus.b64(v) for v in values.values()}
    for resp in answers:
        for name, value in resp.headers.items():
            assert marker not in value and not any(e in value for e in encoded), \
                f"metadata echoed in {name}: {value!r} ({resp!r})"
            assert name.lower() != "x-injected", dict(resp.headers)
    assert answers[-1].status == 400


# -- completion refused ---------------------------------------------------------------------

FAKES = {"text": lambda m: m.text_as_mp4(), "random bytes": lambda m: m.random_as_mp4(),
         "truncated mp4": lambda m: m.truncated_mp4(),
         "audio only": lambda m: m.clip("audio_only")}


@pytest.mark.parametrize("fake", list(FAKES))
def test_a_file_that_is_not_a_video_is_422_and_leaves_nothing(dep, media, fake):
    data = FAKES[fake](media).read_bytes()
    before = dep.snapshot()
    url = dep.tus.create_ok(len(data), meta(filename="fake.mp4", title="not a video"))
    upload_id = tus.upload_id_of(url)
    half = len(data) // 2
    assert dep.tus.patch(url, 0, data[:half]).status == 204
    resp = dep.tus.patch(url, half, data[half:])
    api.assert_problem(resp, 422)
    assert resp.header(VIDEO_ID) is None
    assert dep.tus.head(url).status == 404, "a refused upload is deleted"
    assert upload_id not in dep.store.upload_rows()
    dep.assert_unchanged(before, f"a refused {fake}")


def test_a_non_video_sent_whole_at_creation_is_422_and_leaves_nothing(dep, media):
    """creation-with-upload carrying the whole file completes at once: a refusal is its
    answer (no 201), and nothing is left."""
    data = media.text_as_mp4().read_bytes()
    before = dep.snapshot()
    resp = dep.tus.create(len(data), meta(filename="whole-fake.mp4"), body=data)
    api.assert_problem(resp, 422)
    assert resp.header(VIDEO_ID) is None
    dep.assert_unchanged(before, "a refused creation-with-upload")


# -- quota ----------------------------------------------------------------------------------

def test_max_size_reflects_the_remaining_quota(srv, media, kinora_bin):
    quota = 3_000_000
    server = srv.target
    made = subprocess.run([kinora_bin, "users", "create", "quoted", "--password-stdin",
                           "--quota-bytes", str(quota), "--data-dir", str(server.data_dir)],
                          env=base_env(), input=auth.USER_PASSWORD + "\n", capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made
    session = auth.sign_in(server, "quoted")
    who = auth.create_token(session, ["videos:read", "videos:write"])
    t = Tus(who)

    def max_size() -> int:
        resp = who.request("OPTIONS", tus.TUS)
        assert resp.status == 204, resp
        return int(resp.header("Tus-Max-Size"))

    assert max_size() == quota
    pending = t.create_ok(1_000_000, meta(filename="pending.mp4"))
    assert max_size() == quota - 1_000_000, "declared lengths of unfinished uploads count"
    before = srv.snapshot()
    api.assert_problem(t.create(quota - 1_000_000 + 1, meta(filename="over.mp4")), 413)
    srv.assert_unchanged(before, "an upload over the remaining quota")

    clip = media.clip("mp4")
    size = clip.stat().st_size
    _, video_id, _ = t.upload(clip, chunk=64 * 1024)
    assert max_size() == quota - 1_000_000 - size, "stored bytes count"
    assert t.delete(pending).status == 204
    assert max_size() == quota - size
    assert srv.alice.request("OPTIONS", tus.TUS).header("Tus-Max-Size") == str(MAX), \
        "another user's quota is their own"
    assert video_id


# -- expiry ---------------------------------------------------------------------------------

EXPIRY = 4   # seconds
EXPIRY_ENV = {**ENV, "KINORA_UPLOAD_EXPIRY_SECONDS": str(EXPIRY),
              "KINORA_UPLOAD_SWEEP_SECONDS": "1"}


@contextlib.contextmanager
def deployment(mode: str, server_factory, kinora_bin, root, env):
    if mode == "embedded":
        yield Deployment(server_factory.start(env=env), "embedded")
        return
    with split_cluster(kinora_bin, root, extra_env=env, processor=False) as cluster:
        yield Deployment(cluster, "split")


@pytest.mark.parametrize("mode", ["embedded", "split"])
def test_abandoned_and_finished_uploads_are_swept_after_expiry(mode, server_factory, kinora_bin,
                                                              tmp_path, media):
    """KINORA_UPLOAD_EXPIRY_SECONDS=4, KINORA_UPLOAD_SWEEP_SECONDS=1: an abandoned upload (past
    a part on S3, with a tail) is swept: HEAD 404, no row, no temp file, no tail object, its
    multipart upload aborted, no video. A finished upload's row goes too; its video stays."""
    with deployment(mode, server_factory, kinora_bin, tmp_path / "split", EXPIRY_ENV) as dep:
        before = dep.snapshot()
        data = media.big(seed=24).read_bytes()
        url = dep.tus.create_ok(len(data), meta(filename="abandoned.mp4"))
        created = time.time()
        resp = dep.tus.patch(url, 0, data[:9 * 1024 * 1024 + 12345])
        assert resp.status == 204, resp
        expires = http_date(resp.header("Upload-Expires"))
        assert created - 1 <= expires <= time.time() + EXPIRY + 1, resp.header("Upload-Expires")
        upload_id = tus.upload_id_of(url)
        abandoned_video = dep.store.upload_rows()[upload_id].video_id
        if mode == "embedded":
            assert upload_id in dep.store.temp_files()
        else:
            assert dep.store.multipart_uploads(), "a part was uploaded: a multipart upload exists"

        clip = media.clip("mp4")
        done_url, video_id, _ = dep.tus.upload(clip, chunk=64 * 1024, title="finished, kept")
        done_id = tus.upload_id_of(done_url)

        api.wait_until(lambda: not {upload_id, done_id} & set(dep.store.upload_rows()),
                       timeout=EXPIRY + 30, interval=0.2, message="both upload rows swept")
        assert_gone(dep, url)
        assert dep.tus.head(done_url).status == 404, "a finished upload's row is swept too"
        assert dep.tus.get(url).status == 404
        after = dep.snapshot()
        assert after["temp"] == before["temp"], f"temp files left: {after['temp']}"
        assert dep.store.tail_objects() == set(), dep.store.tail_objects()
        assert after["multipart"] == before["multipart"], \
            f"multipart upload not aborted: {after['multipart']}"
        assert abandoned_video not in after["videos"]
        assert not [k for k in after["objects"] if abandoned_video in k], after["objects"]
        assert after["videos"] - before["videos"] == {video_id}
        assert_original(dep, video_id, sha256_file(clip), dep.alice)


def test_a_patch_moves_the_expiry(srv):
    """Upload-Expires is 24 h (KINORA_UPLOAD_EXPIRY_HOURS' default) after the last PATCH."""
    url = srv.tus.create_ok(1000, meta(filename="later.mp4"))
    first = http_date(srv.tus.head(url).header("Upload-Expires"))
    time.sleep(1.1)   # HTTP dates have whole seconds
    resp = srv.tus.patch(url, 0, b"p" * 100)
    assert resp.status == 204, resp
    later = http_date(resp.header("Upload-Expires"))
    assert later > first, (first, later)
    assert abs(later - (time.time() + 24 * 3600)) < 60, later - time.time()
    assert srv.tus.delete(url).status == 204
