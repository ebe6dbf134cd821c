"""Direct-to-S3 uploads, Uppy's @uppy/aws-s3 multipart flow at /api/uploads/s3/multipart
(docs/uploads.md "Direct to S3"), done by hand: create → sign each part → PUT the part's bytes
to the presigned URL straight to s3rver → collect the ETags → complete. Runs on the split
cluster (uploader behind the gateway, s3rver, PostgreSQL); `kinora serve` (local files) only
says it has none.
"""
from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from harness import api, auth, tus
from harness.cluster import split_cluster

MAX = 32 * 1024 * 1024   # KINORA_MAX_UPLOAD_BYTES of these servers
ENV = {"KINORA_MAX_UPLOAD_BYTES": str(MAX)}
DIRECT = "/api/uploads/s3/multipart"
PART = 5 * 1024 * 1024   # S3's smallest part but the last


class Cluster:
    def __init__(self, cluster):
        self.cluster = cluster
        self.store = tus.store_of(cluster)
        self.admin = auth.admin(cluster)
        alice = auth.new_user(cluster, "alice")
        bob = auth.new_user(cluster, "bob")
        self.alice = auth.create_token(alice, ["videos:read", "videos:write"])
        self.bob = auth.create_token(bob, ["videos:read", "videos:write"])
        self.anonymous = auth.anonymous(cluster)


@pytest.fixture(scope="module")
def dep(kinora_bin, tmp_path_factory):
    with split_cluster(kinora_bin, tmp_path_factory.mktemp("split-s3-direct"), extra_env=ENV,
                       processor=False) as cluster:
        yield Cluster(cluster)


def create(who, size: int, filename: str = "direct.mp4", **metadata):
    return who.post(DIRECT, json_body={"filename": filename, "type": "video/mp4", "size": size,
                                       "metadata": {"name": filename, **metadata}})


def create_ok(who, size: int, filename: str = "direct.mp4", **metadata) -> tuple[str, str]:
    resp = create(who, size, filename, **metadata)
    assert resp.status == 200, resp
    doc = resp.json()
    assert doc["key"].startswith("videos/") and doc["key"].endswith(".mp4"), doc
    assert len(doc["uploadId"]) == 32, doc
    return doc["uploadId"], doc["key"]


def put_part(url: str, data: bytes) -> str:
    req = urllib.request.Request(url, data=data, method="PUT")
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 200, resp.status
        etag = resp.headers["ETag"]
    assert etag, "s3rver sent no ETag"
    return etag


def send_parts(who, upload_id: str, key: str, data: bytes) -> list[dict]:
    parts = []
    for i in range(0, len(data), PART):
        number = i // PART + 1
        signed = who.get(f"{DIRECT}/{upload_id}/{number}", params={"key": key})
        assert signed.status == 200, signed
        doc = signed.json()
        assert doc["expires"] == 900 and doc["url"].startswith("http"), doc
        parts.append({"PartNumber": number, "ETag": put_part(doc["url"], data[i:i + PART])})
    return parts


def complete(who, upload_id: str, key: str, parts: list[dict]):
    return who.post(f"{DIRECT}/{upload_id}/complete?key={key}", json_body={"parts": parts})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_uppy_flow_makes_the_video(dep, media):
    data = media.clip("mp4").read_bytes()
    data_big = data
    upload_id, key = create_ok(dep.alice, len(data_big), "uppy.mp4", title="by uppy",
                               visibility="unlisted")
    assert upload_id in dep.store.upload_rows()
    listed = dep.alice.get(f"{DIRECT}/{upload_id}", params={"key": key})
    assert listed.status == 200 and listed.json() == [], listed   # s3rver has no ListParts
    parts = send_parts(dep.alice, upload_id, key, data_big)
    resp = complete(dep.alice, upload_id, key, parts)
    assert resp.status == 200, resp
    doc = resp.json()
    video_id = doc["video_id"]
    assert api.UUID_RE.match(video_id) and doc["key"] == key, doc
    assert doc["video"]["video_id"] == video_id and doc["location"], doc
    video = api.get_video(dep.alice.client, video_id)
    assert (video["title"], video["visibility"], video["owner_id"]) == \
        ("by uppy", "unlisted", dep.alice.user_id), video
    assert video["s3_key"] == key and video["size"] == len(data_big), video
    path = dep.store.object_path(key)
    assert sha256(path.read_bytes()) == sha256(data_big), "the original differs from the upload"
    row = dep.store.upload_rows()[upload_id]
    assert row.complete and row.video_id == video_id, row
    # A complete asked again (its answer lost on the way) gets the same answer, nothing new.
    again = complete(dep.alice, upload_id, key, parts)
    assert again.status == 200, again
    assert again.json()["video_id"] == video_id and again.json()["key"] == key, again.json()
    assert sha256(path.read_bytes()) == sha256(data_big)
    # ...but not by anybody else, and not once the video is gone.
    api.assert_problem(complete(dep.bob, upload_id, key, parts), 404)
    assert dep.alice.delete(api.delete_path(video_id)).status in (200, 204)
    api.assert_problem(complete(dep.alice, upload_id, key, parts), 404)


def test_multi_part_upload_lands_intact(dep, media):
    clip = media.clip("mp4").read_bytes()
    # An MP4 with trailing padding is still the same video to the probe; > 2 parts of bytes.
    data = clip + b"\0" * (2 * PART + 1234)
    upload_id, key = create_ok(dep.alice, len(data), "parts.mp4")
    parts = send_parts(dep.alice, upload_id, key, data)
    assert len(parts) == 3
    resp = complete(dep.alice, upload_id, key, list(reversed(parts)))  # any order is sorted
    if resp.status == 200:
        assert sha256(dep.store.object_path(key).read_bytes()) == sha256(data)
    else:   # the probe may refuse padding; then nothing stays
        assert resp.status in (400, 415, 422), resp
        assert not dep.store.object_path(key).exists()


def test_wrong_size_is_400_and_leaves_nothing(dep, media):
    data = media.clip("mp4").read_bytes()
    upload_id, key = create_ok(dep.alice, len(data) + 10, "short.mp4")
    parts = send_parts(dep.alice, upload_id, key, data)
    resp = complete(dep.alice, upload_id, key, parts)
    problem = api.assert_problem(resp, 400)
    assert "the uploaded size differs" in problem["detail"], problem
    assert not dep.store.object_path(key).exists(), "the object was left"
    assert upload_id not in dep.store.upload_rows(), "the row was left"


def test_another_users_upload_is_404(dep):
    upload_id, key = create_ok(dep.alice, 1000, "mine.mp4")
    unknown = uuid.uuid4().hex
    for uid in (upload_id, unknown):
        for resp in (dep.bob.get(f"{DIRECT}/{uid}/1"), dep.bob.get(f"{DIRECT}/{uid}"),
                     complete(dep.bob, uid, key, [{"PartNumber": 1, "ETag": "\"x\""}]),
                     dep.bob.delete(f"{DIRECT}/{uid}")):
            api.assert_problem(resp, 404)
    # The owner with another object's key is told the same.
    api.assert_problem(dep.alice.get(f"{DIRECT}/{upload_id}/1",
                                     params={"key": "videos/other.mp4"}), 404)
    assert upload_id in dep.store.upload_rows(), "the other user's requests changed nothing"
    assert dep.alice.get(f"{DIRECT}/{upload_id}/1").status == 200
    assert dep.alice.delete(f"{DIRECT}/{upload_id}").status == 204


@pytest.mark.parametrize("number", ["0", "10001", "x"])
def test_part_numbers_outside_1_to_10000_are_400(dep, number):
    upload_id, _ = create_ok(dep.alice, 1000, "numbers.mp4")
    api.assert_problem(dep.alice.get(f"{DIRECT}/{upload_id}/{number}"), 400)
    assert dep.alice.delete(f"{DIRECT}/{upload_id}").status == 204


def test_over_the_limit_or_quota_is_413(dep):
    before = set(dep.store.upload_rows())
    problem = api.assert_problem(create(dep.alice, MAX + 1), 413)
    assert "quota_remaining_bytes" in problem, problem
    auth.update_user(dep.admin, dep.bob.user_id, quota_bytes=1_000_000)
    try:
        problem = api.assert_problem(create(dep.bob, 1_000_001), 413)
        assert problem["quota_remaining_bytes"] <= 1_000_000, problem
        upload_id, _ = create_ok(dep.bob, 600_000, "first.mp4")
        # The unfinished upload's declared size counts against the quota.
        problem = api.assert_problem(create(dep.bob, 600_000), 413)
        assert problem["quota_remaining_bytes"] <= 400_000, problem
        assert dep.bob.delete(f"{DIRECT}/{upload_id}").status == 204
    finally:
        auth.update_user(dep.admin, dep.bob.user_id, quota_bytes=0)
    assert set(dep.store.upload_rows()) == before


def test_bad_creations_are_400(dep):
    for body in ({"filename": "x.exe", "size": 10}, {"filename": "x.mp4"},
                 {"filename": "x.mp4", "size": 0}, {"size": 10},
                 {"filename": "x.mp4", "size": 10, "metadata": {"visibility": "nope"}}):
        api.assert_problem(dep.alice.post(DIRECT, json_body=body), 400)


def test_abort_is_204_and_the_upload_is_gone(dep, media):
    data = media.clip("mp4").read_bytes()
    upload_id, key = create_ok(dep.alice, len(data), "abort.mp4")
    parts = send_parts(dep.alice, upload_id, key, data)
    resp = dep.alice.delete(f"{DIRECT}/{upload_id}", params={"key": key})
    assert resp.status == 204, resp
    assert upload_id not in dep.store.upload_rows()
    api.assert_problem(complete(dep.alice, upload_id, key, parts), 404)
    api.assert_problem(dep.alice.delete(f"{DIRECT}/{upload_id}"), 404)
    assert not dep.store.object_path(key).exists()


def test_anonymous_and_read_only_callers_are_refused(dep):
    api.assert_problem(create(dep.anonymous, 100), 401)
    reader = auth.create_token(auth.new_user(dep.cluster, "reader"), ["videos:read"])
    api.assert_problem(create(reader, 100), 403)


def test_tus_does_not_see_direct_uploads(dep):
    upload_id, _ = create_ok(dep.alice, 1000, "hidden.mp4")
    resp = dep.alice.get(f"/api/uploads/{upload_id}")
    api.assert_problem(resp, 404)
    assert dep.alice.delete(f"{DIRECT}/{upload_id}").status == 204


def test_config_says_s3_multipart(dep):
    resp = dep.alice.get(tus.CONFIG)
    assert resp.status == 200 and resp.json()["s3_multipart"] is True, resp


def csp_sources(resp) -> dict[str, list[str]]:
    """The Content-Security-Policy of an answer: each directive's sources."""
    csp = resp.header("Content-Security-Policy") or ""
    directives = [d.split() for d in csp.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_the_pages_may_reach_the_bucket(dep):
    """The gateway serves the web app: its CSP lets the browser PUT a direct upload's parts to
    the bucket and load media from it, naming exactly the origin the presigned URLs use."""
    upload_id, key = create_ok(dep.alice, 1000, "csp.mp4")
    signed = dep.alice.get(f"{DIRECT}/{upload_id}/1", params={"key": key})
    assert signed.status == 200, signed
    url = urllib.parse.urlsplit(signed.json()["url"])
    origin = f"{url.scheme}://{url.netloc}"
    assert origin == dep.cluster.s3.endpoint, (origin, dep.cluster.s3.endpoint)
    assert dep.alice.delete(f"{DIRECT}/{upload_id}", params={"key": key}).status == 204
    # The pages' policy is what counts (an API answer's is never applied to a document; a proxied
    # one keeps its role's).
    for path in ("/", "/upload", "/watch/" + str(uuid.uuid4())):
        sources = csp_sources(dep.anonymous.get(path))
        for directive in ("connect-src", "img-src", "media-src"):
            assert sources.get(directive, [])[:1] == ["'self'"], (path, sources)
            assert origin in sources[directive], (path, directive, sources)
        assert sources["default-src"] == ["'self'"], sources


def test_serve_has_no_direct_uploads(module_server_factory):
    srv = module_server_factory.start(env=ENV)
    alice = auth.create_token(auth.new_user(srv, "alice"), ["videos:read", "videos:write"])
    resp = alice.get(tus.CONFIG)
    assert resp.status == 200 and resp.json()["s3_multipart"] is False, resp
    problem = api.assert_problem(create(alice, 1000), 501)
    assert "direct uploads need an S3 store" in problem["detail"], problem
    # Local files come from the site itself: the pages reach nothing else.
    assert csp_sources(alice.get("/"))["connect-src"] == ["'self'"]


def test_abandoned_direct_upload_is_swept(kinora_bin, tmp_path, media):
    """KINORA_UPLOAD_EXPIRY_SECONDS=4: an abandoned direct upload (a part sent, never completed)
    loses its row, and its multipart upload is aborted (s3rver answers the abort 405, which
    counts as sent; SplitStore.multipart_uploads leaves such ones out)."""
    env = {**ENV, "KINORA_UPLOAD_EXPIRY_SECONDS": "4", "KINORA_UPLOAD_SWEEP_SECONDS": "1"}
    with split_cluster(kinora_bin, tmp_path / "split", extra_env=env,
                       processor=False) as cluster:
        dep = Cluster(cluster)
        data = media.clip("mp4").read_bytes()
        upload_id, key = create_ok(dep.alice, len(data), "abandoned.mp4")
        send_parts(dep.alice, upload_id, key, data)
        assert dep.store.multipart_uploads(), "a part was sent: a multipart upload exists"
        api.wait_until(lambda: upload_id not in dep.store.upload_rows(), timeout=40,
                       interval=0.2, message="the direct upload's row swept")
        api.wait_until(lambda: not dep.store.multipart_uploads(), timeout=10, interval=0.2,
                       message="the multipart upload aborted")
        api.assert_problem(dep.alice.get(f"{DIRECT}/{upload_id}/1"), 404)
        assert not dep.store.object_path(key).exists()
