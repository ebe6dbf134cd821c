"""Uploads: every accepted format lands intact and is catalogued; every refusal answers the
right problem and leaves nothing behind; many large uploads at once are all stored intact."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from harness import api, auth, multipart
from harness.client import raw_request
from harness.media import ACCEPTED_EXTENSIONS, MediaFixtures, sha256_file

LIMIT = 1024 * 1024  # the module server's KINORA_MAX_UPLOAD_BYTES


@pytest.fixture(scope="module")
def srv(module_server_factory):
    return module_server_factory.start(env={"KINORA_MAX_UPLOAD_BYTES": str(LIMIT)})


def assert_lands(srv, video: dict, src: Path, ext: str, *, title: str | None = None,
                 original_filename: str | None = None) -> None:
    """The upload answer, the stored object, the metadata object, the listing and the details
    all agree with the source file."""
    vid = video["video_id"]
    key = f"videos/{vid}.{ext}"
    size = src.stat().st_size
    assert video["status"] == "UPLOADED", video
    assert video["file_extension"] == ext
    assert video["size"] == video["file_size"] == size
    assert video["s3_key"] == video["s3_video_key"] == key
    # the seed's filename: the name as uploaded ({id}.{ext} only when none was sent)
    assert video["filename"] == (original_filename or video["original_filename"] or f"{vid}.{ext}")
    assert isinstance(video["timestamp"], int) and video["timestamp"] == video["upload_timestamp"]
    assert video["views"] == 0 and video["likes"] == 0
    assert video["content_type"].startswith("video/"), video["content_type"]
    if title is not None:
        assert video["title"] == title
    if original_filename is not None:
        assert video["original_filename"] == original_filename

    stored = srv.objects_dir / key
    assert stored.is_file(), f"object {key} missing"
    assert sha256_file(stored) == sha256_file(src), f"object {key} differs from the upload"

    meta = json.loads((srv.objects_dir / "metadata" / f"{vid}.json").read_text())
    for name in ("video_id", "title", "size", "status"):
        assert meta[name] == video[name], f"metadata {name}: {meta[name]!r} != {video[name]!r}"

    details = api.get_video(srv.client, vid)
    for name in ("video_id", "title", "size", "status", "s3_key", "file_extension",
                 "original_filename", "timestamp"):
        assert details[name] == video[name], f"details {name}: {details[name]!r}"

    listed = {v["video_id"] for v in api.walk_cursor(srv.client, limit=100)}
    assert vid in listed, "uploaded video not listed"


# -- accepted uploads ----------------------------------------------------------------------

@pytest.mark.parametrize("ext", ACCEPTED_EXTENSIONS)
def test_every_accepted_format_is_stored_and_catalogued(srv, media, ext):
    src = media.clip(ext)
    title = f"Test clip ({ext})"
    video = api.upload_ok(srv.client, src, filename=f"clip.{ext}", title=title,
                          description="an integration test upload")
    assert_lands(srv, video, src, ext, title=title, original_filename=f"clip.{ext}")


@pytest.mark.parametrize("filename,ext", [("CLIP.MP4", "mp4"), ("Holiday.WebM", "webm"),
                                          ("my.home.video.Mkv", "mkv")])
def test_extension_is_case_insensitive_and_stored_lower_case(srv, media, filename, ext):
    src = media.clip(ext)
    video = api.upload_ok(srv.client, src, filename=filename, title=filename)
    assert_lands(srv, video, src, ext, original_filename=filename)


def test_unicode_title_and_description_round_trip(srv, media):
    title, description = "Café <b>été</b> \"quoted\" 🎬", "línea 1\nline 2 — ✓"
    video = api.upload_ok(srv.client, media.clip("mp4"), filename="vidéo.mp4", title=title,
                          description=description)
    details = api.get_video(srv.client, video["video_id"])
    assert (details["title"], details["description"]) == (title, description)
    assert details["original_filename"] == "vidéo.mp4"


def test_alias_endpoint_uploads(srv, media):
    src = media.clip("mov")
    video = api.upload_ok(srv.client, src, filename="alias.mov", title="via alias",
                          endpoint=api.UPLOAD_ALIAS)
    assert_lands(srv, video, src, "mov", title="via alias")


def test_chunked_upload_without_content_length(srv, media):
    src = media.clip("mkv")
    video = api.upload_ok(srv.client, src, filename="chunked.mkv", title="chunked", chunked=True)
    assert_lands(srv, video, src, "mkv", title="chunked")


@pytest.mark.parametrize("filename", ["../../escape.mp4", "..\\..\\escape.mp4",
                                      "/etc/escape.mp4", "a/../../escape.mp4"])
def test_path_tricks_in_the_filename_never_reach_the_store(srv, media, filename):
    before = api.files_under(srv.objects_dir)
    resp = api.upload(srv.client, media.clip("mp4"), filename=filename, title="path trick")
    if resp.status != 201:
        api.assert_problem(resp, 400)
        return
    vid = resp.json()["video_id"]
    new = set(api.files_under(srv.objects_dir)) - set(before)
    assert new == {f"videos/{vid}.mp4", f"metadata/{vid}.json"}, new
    escaped = list(srv.data_dir.parent.rglob("escape.mp4")) + [
        p for p in (Path("/etc/escape.mp4"), Path.cwd() / "escape.mp4") if p.exists()]
    assert not escaped, f"file written outside the store: {escaped}"


def test_upload_then_list_details_and_ranged_read(srv, media):
    src = media.clip("mp4")
    data = src.read_bytes()
    video = api.upload_ok(srv.client, src, filename="roundtrip.mp4", title="Roundtrip check")
    vid = video["video_id"]

    listed = [v for v in api.walk_cursor(srv.client, limit=100) if v["video_id"] == vid]
    assert len(listed) == 1 and listed[0]["title"] == "Roundtrip check"

    details = api.get_video(srv.client, vid)
    resp = api.media_get(srv.client, details["video_url"], headers={"Range": "bytes=100-4195"})
    assert resp.status == 206, resp
    assert resp.body == data[100:4196]
    full = api.media_get(srv.client, details["original_url"])
    assert full.status == 200 and full.body == data


def test_upload_answer_carries_the_signed_urls_of_the_details(srv, media):
    """The upload answer's video is the same public object as GET /video/{id}: video_url and
    original_url are signed URLs of the original until processing exists."""
    src = media.clip("mp4")
    video = api.upload_ok(srv.client, src, filename="answer.mp4")
    for name in ("original_url", "video_url"):
        assert api.SIGNED_MEDIA_RE.match(video.get(name) or ""), f"{name}: {video.get(name)!r}"
        assert api.media_get(srv.client, video[name]).body == src.read_bytes()


# -- refusals ------------------------------------------------------------------------------

@dataclass
class Refusal:
    """A request the uploader must refuse: builds (headers, body, chunked) from the media."""
    statuses: tuple[int, ...]
    build: Callable[[MediaFixtures], tuple[dict, object, bool]]


def multipart_request(parts, *, chunked=False, closing=True, boundary=None):
    body = multipart.MultipartBody(parts, boundary=boundary, closing=closing)
    headers = {"Content-Type": body.content_type}
    if not chunked:
        headers["Content-Length"] = str(len(body))
    return headers, body, chunked


def file_upload(path_of: Callable[[MediaFixtures], Path], filename: str, **kw):
    return lambda m: multipart_request(
        [multipart.field("title", "refused"), multipart.path_file("file", path_of(m), filename)],
        **kw)


def mp4(m: MediaFixtures) -> Path:
    return m.clip("mp4")


def raw_body(content_type: str | None, data: bytes):
    headers = {"Content-Length": str(len(data))}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return lambda m: (headers, data, False)


def oversized(chunked: bool):
    return lambda m: multipart_request(
        [multipart.generated_file("file", 5 * LIMIT, "big.mp4", seed=3)], chunked=chunked)


def mismatched_boundary(m: MediaFixtures):
    body = multipart.MultipartBody([multipart.path_file("file", mp4(m), "clip.mp4")],
                                   boundary="the-real-boundary")
    data = body.to_bytes()
    return {"Content-Type": "multipart/form-data; boundary=another-boundary",
            "Content-Length": str(len(data))}, data, False


REFUSALS: dict[str, Refusal] = {
    "no file part": Refusal((400,), lambda m: multipart_request(
        [multipart.field("title", "no file"), multipart.field("description", "none")])),
    "file under another part name": Refusal((400,), lambda m: multipart_request(
        [multipart.path_file("video", mp4(m), "clip.mp4")])),
    "extension .txt": Refusal((400,), file_upload(mp4, "clip.txt")),
    "extension .exe": Refusal((400,), file_upload(mp4, "clip.exe")),
    "extension .mp3": Refusal((400,), file_upload(mp4, "song.mp3")),
    "double extension .mp4.exe": Refusal((400,), file_upload(mp4, "clip.mp4.exe")),
    "no extension": Refusal((400,), file_upload(mp4, "clip")),
    "trailing dot": Refusal((400,), file_upload(mp4, "clip.")),
    "empty file": Refusal((400,), lambda m: multipart_request(
        [multipart.bytes_file("file", b"", "empty.mp4", "video/mp4")])),
    "body over the limit": Refusal((413,), oversized(chunked=False)),
    "chunked body over the limit": Refusal((413,), oversized(chunked=True)),
    "json content type": Refusal((415,), raw_body("application/json", b'{"file": "x.mp4"}')),
    "urlencoded content type": Refusal((415,), raw_body("application/x-www-form-urlencoded",
                                                        b"file=clip.mp4")),
    "text content type": Refusal((415,), raw_body("text/plain", b"hello")),
    "no content type": Refusal((400, 415), raw_body(None, b"hello")),
    "multipart without boundary": Refusal((400, 415), raw_body("multipart/form-data",
                                                               b"--x\r\n\r\n")),
    "missing closing boundary": Refusal((400,), file_upload(mp4, "clip.mp4", closing=False)),
    "garbage multipart body": Refusal((400,), raw_body(
        "multipart/form-data; boundary=kinora-garbage", bytes(range(256)) * 40)),
    "boundary mismatch": Refusal((400,), mismatched_boundary),
    "text file named .mp4": Refusal((422,), file_upload(lambda m: m.text_as_mp4(), "notes.mp4")),
    "audio-only file named .mp4": Refusal((422,), file_upload(lambda m: m.clip("audio_only"),
                                                              "song.mp4")),
    "random bytes named .mp4": Refusal((422,), file_upload(lambda m: m.random_as_mp4(),
                                                           "noise.mp4")),
    "truncated mp4 (no index)": Refusal((422,), file_upload(lambda m: m.truncated_mp4(),
                                                            "cut.mp4")),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_upload_leaves_nothing_behind(srv, media, case):
    refusal = REFUSALS[case]
    headers, body, chunked = refusal.build(media)
    before, total = api.files_under(srv.objects_dir), api.total_videos(srv.client)
    resp = srv.client.post(api.UPLOAD, body, headers={**headers, **srv.admin.headers},
                           chunked=chunked)
    api.assert_problem(resp, *refusal.statuses)
    api.assert_nothing_left_behind(srv, before, total)


def test_upload_without_length_or_chunking_is_refused(srv):
    before, total = api.files_under(srv.objects_dir), api.total_videos(srv.client)
    token = srv.admin.headers["Authorization"]
    request = (f"POST {api.UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
               f"Authorization: {token}\r\n"
               "Content-Type: multipart/form-data; boundary=x\r\nConnection: close\r\n\r\n")
    resp = raw_request("127.0.0.1", srv.port, request.encode(), method="POST")
    api.assert_problem(resp, 411)
    api.assert_nothing_left_behind(srv, before, total)


def test_other_requests_are_served_while_an_upload_is_refused(srv, media):
    """An oversized upload in flight does not stop the server answering others."""
    headers, body, chunked = oversized(chunked=True)(media)
    with ThreadPoolExecutor(2) as pool:
        refused = pool.submit(srv.client.post, api.UPLOAD, body,
                              headers={**headers, **srv.admin.headers}, chunked=True)
        assert srv.client.get("/health").status == 200
        api.upload_ok(srv.client, media.clip("webm"), filename="meanwhile.webm")
        api.assert_problem(refused.result(), 413)


# -- who may upload -------------------------------------------------------------------------

def without_write_scope(srv) -> auth.Caller:
    return auth.create_token(auth.admin_session(srv), ["videos:read", "analytics:read"])


CREDENTIAL_REFUSALS = {
    "anonymous": (401, lambda srv: {}),
    "unknown token": (401, lambda srv: auth.bearer_headers("kin_" + "A" * 43)),
    "not a bearer token": (401, lambda srv: {"Authorization": "Basic YWRtaW46YWRtaW4="}),
    "token without videos:write": (403, lambda srv: without_write_scope(srv).headers),
    "session without CSRF proof": (403, lambda srv: {
        "Cookie": auth.admin_session(srv).headers["Cookie"]}),
}


@pytest.mark.parametrize("case", list(CREDENTIAL_REFUSALS))
@pytest.mark.parametrize("endpoint", [api.UPLOAD, api.UPLOAD_ALIAS])
def test_uploads_need_a_user_allowed_to_upload(srv, media, case, endpoint):
    """Refused before a byte is stored: 401 without valid credentials, 403 without the right
    scope or (a multipart form post with the session cookie) without CSRF proof."""
    status, headers_of = CREDENTIAL_REFUSALS[case]
    before, total = api.files_under(srv.objects_dir), api.total_videos(srv.client)
    resp = api.upload(srv.client, media.clip("mp4"), filename="nobody.mp4", title="nobody",
                      endpoint=endpoint, auth=None, headers=headers_of(srv))
    problem = api.assert_problem(resp, status)
    if status == 401:
        assert resp.header("WWW-Authenticate", "").lower().startswith("bearer"), resp.headers
    assert "detail" in problem
    api.assert_nothing_left_behind(srv, before, total)


def test_a_big_anonymous_upload_is_refused_before_its_body(srv):
    """The 401 comes from the headers: a 5 MB body is not read first (early answer)."""
    headers, body, chunked = oversized(chunked=False)(None)
    before, total = api.files_under(srv.objects_dir), api.total_videos(srv.client)
    api.assert_problem(srv.client.post(api.UPLOAD, body, headers=headers), 401)
    api.assert_nothing_left_behind(srv, before, total)


@pytest.mark.parametrize("caller", ["session", "token"])
def test_a_user_session_or_write_token_uploads_as_that_user(srv, media, caller):
    user = auth.new_user(srv, f"uploader-{caller}")
    who = user if caller == "session" else auth.create_token(user, ["videos:write"])
    video = api.upload_ok(who.client, media.clip("webm"), filename="mine.webm", title="mine")
    assert video["owner_id"] == user.user_id, video
    assert video["visibility"] == "public", video   # KINORA_DEFAULT_VISIBILITY's default
    mine = api.list_videos(user.client, mine="true", limit=100)["videos"]
    assert [v["video_id"] for v in mine] == [video["video_id"]]


@pytest.mark.parametrize("visibility", ["public", "unlisted", "internal", "private"])
def test_the_form_may_name_the_visibility(srv, media, visibility):
    video = api.upload_ok(srv.client, media.clip("mp4"), filename="vis.mp4",
                          visibility=visibility)
    assert video["visibility"] == visibility
    assert api.get_video(srv.admin.client, video["video_id"])["visibility"] == visibility


def test_an_unknown_visibility_is_refused_and_leaves_nothing(srv, media):
    before, total = api.files_under(srv.objects_dir), api.total_videos(srv.client)
    resp = api.upload(srv.client, media.clip("mp4"), filename="vis.mp4", visibility="secret")
    api.assert_problem(resp, 400)
    api.assert_nothing_left_behind(srv, before, total)


def test_default_visibility_setting(server_factory, media):
    srv = server_factory.start(env={"KINORA_DEFAULT_VISIBILITY": "private"})
    video = api.upload_ok(srv.client, media.clip("mp4"), filename="default.mp4")
    assert video["visibility"] == "private"
    api.assert_problem(srv.client.get(api.video_path(video["video_id"])), 404)
    assert api.total_videos(srv.client) == 0


# -- concurrency ---------------------------------------------------------------------------

def test_fifty_concurrent_20mb_uploads_are_stored_intact(server_factory, media):
    # One client address sends all fifty: lift the per-client cap (test_http_upload_caps.py).
    srv = server_factory.start(env={"KINORA_MAX_UPLOADS_PER_CLIENT": "64"})
    sources = [media.big(seed) for seed in range(5)]
    digests = {src: sha256_file(src) for src in sources}
    n = 50
    barrier = threading.Barrier(n)

    def one(i: int):
        src = sources[i % len(sources)]
        barrier.wait(timeout=60)
        return src, api.upload(srv.client, src, filename=f"big-{i}.mp4", title=f"big {i}")

    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(one, range(n)))

    failed = [resp for _, resp in results if resp.status != 201]
    assert not failed, f"{len(failed)} of {n} uploads failed, e.g. {failed[0]!r}"
    ids = set()
    for src, resp in results:
        video = resp.json()["video"]
        vid = video["video_id"]
        ids.add(vid)
        assert video["size"] == src.stat().st_size
        stored = srv.objects_dir / "videos" / f"{vid}.mp4"
        assert sha256_file(stored) == digests[src], f"{vid} stored corrupted"
    assert len(ids) == n, "video ids are not unique"
    assert api.total_videos(srv.client) == n
    leftovers = api.files_under(srv.objects_dir / ".tmp") if (srv.objects_dir / ".tmp").exists() else {}
    assert not leftovers, f"temporary files left: {sorted(leftovers)[:5]}"
