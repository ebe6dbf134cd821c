"""The public API: listings (sort, pagination, filters, search), details, errors, correlation
IDs, health/readiness/metrics, delete, stats and the static web app."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import uuid
from collections import Counter
from datetime import datetime, timezone
from types import SimpleNamespace

from pathlib import Path

import pytest

from harness import api, auth
from harness.server import KinoraServer, free_port

# title, extension, views, likes — ties on views and likes on purpose.
LIBRARY = [
    ("Alpha sunrise", "mp4", 5, 1),
    ("Beta sunset", "webm", 0, 0),
    ("Gamma night", "mkv", 3, 3),
    ("Delta noon", "mov", 0, 0),
    ("Epsilon dawn", "avi", 8, 2),
    ("Zeta dusk", "flv", 1, 0),
]
SORT_FIELDS = {"timestamp": "timestamp", "views": "views", "likes": "likes",
               "engagement": "engagement", "duration": "duration_seconds", "size": "size"}
CONTRACT_FIELDS = [
    "video_id", "title", "description", "filename", "original_filename", "file_extension",
    "content_type", "size", "file_size", "s3_bucket", "s3_key", "s3_video_key", "timestamp",
    "uploaded_at", "upload_timestamp", "status", "error", "progress", "views", "likes", "engagement", "runtime",
    "duration_seconds", "width", "height", "fps", "video_codec", "audio_codec", "bitrate",
    "renditions", "processed_url", "thumbnail_url", "video_url", "hls_url", "processed_timestamp",
    "processing_seconds", "correlation_id", "original_url"]


@pytest.fixture(scope="module")
def library(module_server_factory, media):
    """A read-only library of six videos with known counters (tests must not change it).
    Each view comes from another anonymous viewer (a view counts once per viewer, video and
    hour); each like comes from another user (one like per user and video)."""
    srv = module_server_factory.start()
    likers = auth.many_users(srv, "liker", max(likes for *_, likes in LIBRARY))
    videos = {}
    for title, ext, views, likes in LIBRARY:
        video = api.upload_ok(srv.client, media.clip(ext), filename=f"{title}.{ext}", title=title)
        for n in range(views):
            assert srv.client.post(api.view_path(video["video_id"]),
                                   headers={"User-Agent": f"library-viewer-{n}"}).status == 200
        for liker in likers[:likes]:
            assert api.like(srv.client, video["video_id"], auth=liker).status == 200
        videos[video["video_id"]] = api.get_video(srv.client, video["video_id"])
    return SimpleNamespace(server=srv, client=srv.client, videos=videos)


@pytest.fixture(scope="module")
def scratch(module_server_factory):
    """A server for tests that upload or delete."""
    return module_server_factory.start()


def ids(videos) -> list[str]:
    return [v["video_id"] for v in videos]


def sort_key(field: str, value):
    if field == "timestamp" and isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


# -- listing -------------------------------------------------------------------------------

def test_listing_shape(library):
    page = api.list_videos(library.client, limit=100)
    assert set(page) >= {"videos", "count", "total", "next_cursor"}
    assert page["count"] == len(page["videos"]) == page["total"] == len(LIBRARY)
    assert page["next_cursor"] is None
    assert set(ids(page["videos"])) == set(library.videos)


def test_default_order_is_newest_first(library):
    default = api.list_videos(library.client, limit=100)["videos"]
    explicit = api.list_videos(library.client, limit=100, sort_by="timestamp", order="desc")
    assert ids(default) == ids(explicit["videos"])


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("sort_by", list(SORT_FIELDS))
def test_sorting(library, sort_by, order):
    videos = api.list_videos(library.client, limit=100, sort_by=sort_by, order=order)["videos"]
    assert set(ids(videos)) == set(library.videos)
    field = SORT_FIELDS[sort_by]
    values = [v[field] for v in videos]
    if None in values:  # e.g. no duration known before processing: only completeness counts
        return
    keys = [sort_key(field, v) for v in values]
    assert keys == sorted(keys, reverse=order == "desc"), f"{sort_by} {order}: {values}"


@pytest.mark.parametrize("sort_by,order,limit", [
    ("timestamp", "desc", 2), ("timestamp", "asc", 4), ("views", "desc", 1), ("views", "asc", 2),
    ("likes", "desc", 2), ("engagement", "asc", 3), ("size", "desc", 5), ("duration", "asc", 2)])
def test_cursor_pagination_visits_each_video_once_in_order(library, sort_by, order, limit):
    walked = api.walk_cursor(library.client, sort_by=sort_by, order=order, limit=limit)
    one_page = api.list_videos(library.client, sort_by=sort_by, order=order, limit=100)["videos"]
    assert ids(walked) == ids(one_page)
    assert len(set(ids(walked))) == len(LIBRARY)


def test_pages_report_the_total(library):
    page = api.list_videos(library.client, limit=2)
    assert (page["count"], page["total"]) == (2, len(LIBRARY))
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]


def test_offset_pagination(library):
    full = ids(api.list_videos(library.client, limit=100, sort_by="size", order="asc")["videos"])
    for offset in (0, 2, 5):
        page = api.list_videos(library.client, limit=2, offset=offset, sort_by="size", order="asc")
        assert ids(page["videos"]) == full[offset:offset + 2], offset
        assert page["total"] == len(LIBRARY)
    beyond = api.list_videos(library.client, limit=2, offset=100)
    assert (beyond["videos"], beyond["count"], beyond["next_cursor"]) == ([], 0, None)


@pytest.mark.parametrize("status,expected", [("UPLOADED", len(LIBRARY)), ("PROCESSING", 0),
                                             ("PROCESSED", 0), ("FAILED", 0)])
def test_status_filter(library, status, expected):
    page = api.list_videos(library.client, limit=100, status=status)
    assert page["total"] == page["count"] == expected
    assert all(v["status"] == status for v in page["videos"])


@pytest.mark.parametrize("q,titles", [
    ("sun", {"Alpha sunrise", "Beta sunset"}),
    ("Gamma", {"Gamma night"}),
    ("no such title", set()),
    ("%", set()),          # LIKE wildcards are searched for literally
    ("_", set()),
    ("'; DROP TABLE videos; --", set()),
])
def test_title_search(library, q, titles):
    page = api.list_videos(library.client, limit=100, q=q)
    assert {v["title"] for v in page["videos"]} == titles
    assert page["total"] == len(titles)


def test_search_combines_with_sort_and_paging(library):
    walked = api.walk_cursor(library.client, q="s", sort_by="views", order="desc", limit=1)
    expected = sorted((v for v in library.videos.values() if "s" in v["title"]),
                      key=lambda v: -v["views"])
    assert [v["views"] for v in walked] == [v["views"] for v in expected]
    assert set(ids(walked)) == set(ids(expected))


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 1001}, {"limit": -1}, {"limit": "abc"},
    {"sort_by": "bogus"}, {"sort_by": "title; DROP"}, {"order": "sideways"},
    {"status": "BOGUS"}, {"cursor": "not-a-cursor"}, {"cursor": "%%%"},
    {"offset": -1}, {"offset": "abc"}],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_bad_listing_parameters_are_400(library, params):
    api.assert_problem(library.client.get(api.VIDEOS, params=params), 400)


def test_limit_bounds_are_accepted(library):
    assert api.list_videos(library.client, limit=1)["count"] == 1
    assert api.list_videos(library.client, limit=1000)["count"] == len(LIBRARY)


# -- details -------------------------------------------------------------------------------

def test_details_have_every_contract_field(library):
    for vid, video in library.videos.items():
        missing = [f for f in CONTRACT_FIELDS if f not in video]
        assert not missing, f"{vid} lacks {missing}"
        assert video["video_id"] == vid
        assert api.UUID4_RE.match(vid)
        assert isinstance(video["renditions"], list)
        assert api.SIGNED_MEDIA_RE.match(video["original_url"]), video["original_url"]
        assert api.SIGNED_MEDIA_RE.match(video["video_url"]), video["video_url"]
        for name in ("thumbnail_url", "hls_url"):
            assert video[name] is None or api.SIGNED_MEDIA_RE.match(video[name]), video[name]


def test_details_match_the_library(library):
    expected = {title: (ext, views, likes) for title, ext, views, likes in LIBRARY}
    for video in library.videos.values():
        ext, views, likes = expected[video["title"]]
        assert (video["file_extension"], video["views"], video["likes"]) == (ext, views, likes)
        assert video["engagement"] == pytest.approx(likes / max(views, 1))


def test_unknown_video_is_404(library):
    api.assert_problem(library.client.get(api.video_path(str(uuid.uuid4()))), 404)


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1234", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"])
def test_malformed_video_id_is_400(library, bad_id):
    api.assert_problem(library.client.get(api.video_path(bad_id)), 400)


@pytest.mark.parametrize("path", ["/api/analytics/video/..%2F..%2Fcatalog.db",
                                  "/api/analytics/video/../../catalog.db"])
def test_traversal_in_video_ids_is_refused(library, path):
    resp = library.client.get(path)
    api.assert_problem(resp, 400, 404)
    assert b"SQLite format" not in resp.body


# -- routing errors ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/nope", "/api/analytics/nope", "/api/uploader/nope",
                                  "/nope", "/api/analytics/videos/extra/segments"])
def test_unknown_path_is_404(library, path):
    api.assert_problem(library.client.get(path), 404)


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", api.VIDEOS, "GET"),
    ("POST", api.VIDEOS, "GET"),
    ("GET", api.UPLOAD, "POST"),
    ("PUT", api.UPLOAD_ALIAS, "POST"),
    ("POST", api.STATS, "GET"),
    ("POST", "/health", "GET"),
    ("DELETE", "/metrics", "GET"),
    ("GET", "/api/analytics/view/{id}", "POST"),
    ("GET", "/api/analytics/like/{id}", "POST"),
    ("PUT", "/api/analytics/video/{id}", "GET"),
    ("GET", "/api/uploader/videos/{id}", "DELETE"),
])
def test_wrong_method_is_405_with_allow(library, method, path, allowed):
    path = path.replace("{id}", next(iter(library.videos)))
    resp = library.client.request(method, path)
    api.assert_problem(resp, 405)
    allow = {m.strip().upper() for m in (resp.header("Allow") or "").split(",")}
    assert allowed in allow, f"Allow: {resp.header('Allow')}"


# -- correlation IDs -----------------------------------------------------------------------

@pytest.mark.parametrize("cid", ["abc", "A.b-C_9", "x" * 128, "0", str(uuid.uuid4())])
@pytest.mark.parametrize("path", ["/health", api.VIDEOS, "/api/nope"])
def test_valid_correlation_id_is_echoed(library, cid, path):
    resp = library.client.get(path, headers={"X-Correlation-ID": cid})
    assert resp.correlation_id == cid


@pytest.mark.parametrize("cid", ["x" * 129, "y" * 200, "has space", "semi;colon", "slash/id",
                                 "quote\"d", "ünïcode"])
def test_invalid_correlation_id_is_replaced(library, cid):
    resp = library.client.get("/health", headers={"X-Correlation-ID": cid.encode().decode("latin-1")})
    assert resp.status == 200
    assert api.UUID4_RE.match(resp.correlation_id or ""), resp.correlation_id


def test_missing_correlation_id_is_generated_per_request(library):
    first, second = (library.client.get("/health").correlation_id for _ in range(2))
    assert api.UUID4_RE.match(first) and api.UUID4_RE.match(second)
    assert first != second


def test_every_response_carries_a_correlation_id(library):
    video = next(iter(library.videos.values()))
    answers = [library.client.get(p) for p in ("/health", "/ready", "/metrics", api.STATS,
                                               api.VIDEOS, "/api/nope")]
    answers.append(library.client.request("DELETE", api.VIDEOS))
    answers.append(api.media_get(library.client, video["original_url"]))
    answers.append(library.client.head(api.signed(video["original_url"])))
    answers.append(library.client.get(api.signed(video["original_url"]) + "0"))
    for resp in answers:
        assert resp.correlation_id, resp


def queue_messages(server: KinoraServer) -> list[dict]:
    """Bodies of the processing queue's messages (read-only look at queue.db)."""
    db = sqlite3.connect(f"file:{server.queue_db}?mode=ro", uri=True, timeout=5)
    try:
        return [json.loads(body) for (body,) in db.execute("SELECT body FROM messages")]
    finally:
        db.close()


def queued_job(server: KinoraServer, video_id: str) -> dict:
    jobs = [m for m in queue_messages(server) if m.get("video_id") == video_id]
    assert len(jobs) == 1, f"expected one queued job for {video_id}, found {jobs}"
    return jobs[0]


def logged_with(server: KinoraServer, cid: str) -> list[dict]:
    return [r for r in server.log_records() if r.get("correlation_id") == cid]


@pytest.mark.parametrize("sent", [None, "upload-corr.ID_42"], ids=["generated", "inbound"])
def test_correlation_id_follows_the_upload(scratch, media, sent):
    headers = {"X-Correlation-ID": sent} if sent else {}
    resp = api.upload(scratch.client, media.clip("mp4"), filename="traced.mp4", headers=headers)
    assert resp.status == 201, resp
    cid = resp.correlation_id
    if sent:
        assert cid == sent
    else:
        assert api.UUID4_RE.match(cid), cid
    video = resp.json()["video"]
    vid = video["video_id"]
    assert video["correlation_id"] == cid
    assert api.get_video(scratch.client, vid)["correlation_id"] == cid

    job = queued_job(scratch, vid)
    expected = {"video_id": vid, "s3_bucket": video["s3_bucket"],
                "s3_video_key": f"videos/{vid}.mp4", "s3_metadata_key": f"metadata/{vid}.json",
                "original_filename": "traced.mp4", "correlation_id": cid}
    assert {k: job.get(k) for k in expected} == expected, job

    records = api.wait_until(lambda: logged_with(scratch, cid), message=f"a log line with {cid}")
    for rec in records:
        assert {"time", "level", "message"} <= set(rec), rec


# -- operations ----------------------------------------------------------------------------

def test_health(library):
    resp = library.client.get("/health")
    assert resp.status == 200 and resp.content_type == "application/json"
    assert resp.json()["status"] == "ok"


def test_ready(library):
    resp = library.client.get("/ready")
    assert resp.status == 200, resp
    doc = resp.json()
    assert doc["status"] == "ready"
    for check in ("storage", "queue", "catalog"):
        assert doc["checks"][check] == "ok", doc
    assert all(v == "ok" for v in doc["checks"].values()), doc


SAMPLE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$")


def metric_samples(text: str) -> list[tuple[str, str, float]]:
    """(name, labels, value) of every sample line of a Prometheus text exposition."""
    samples = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            m = SAMPLE_RE.match(line)
            assert m, f"unparsable metrics line: {line!r}"
            samples.append((m.group(1), m.group(2) or "", float(m.group(3))))
    return samples


def family_total(samples, name: str) -> float:
    return sum(value for sample, _, value in samples if sample == name)


def test_metrics_pass_promtool(library):
    resp = api.metrics(library.server)
    assert resp.status == 200, resp
    assert resp.content_type == "text/plain"
    check = subprocess.run(["promtool", "check", "metrics"], input=resp.body,
                           capture_output=True, timeout=30)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_metrics_names_and_families(library):
    text = api.metrics(library.server).body.decode()
    names = {name for name, _, _ in metric_samples(text)}
    assert names and all(n.startswith("kinora_") for n in names), sorted(names)
    assert re.search(r"^# TYPE kinora_http_requests_total counter$", text, re.M)
    assert re.search(r"^# TYPE kinora_http_request_duration_seconds histogram$", text, re.M)
    assert "kinora_http_request_duration_seconds_bucket" in names
    assert re.search(r"^# TYPE kinora_uploads_total counter$", text, re.M)


def test_metrics_count_requests_and_uploads(scratch, media):
    def totals():
        samples = metric_samples(api.metrics(scratch).body.decode())
        return (family_total(samples, "kinora_http_requests_total"),
                family_total(samples, "kinora_uploads_total"))
    requests_before, uploads_before = totals()
    for _ in range(5):
        scratch.client.get("/health")
    api.upload_ok(scratch.client, media.clip("webm"), filename="metered.webm")
    requests_after, uploads_after = totals()
    assert requests_after >= requests_before + 6
    assert uploads_after >= uploads_before + 1


@pytest.fixture(scope="module")
def internal(module_server_factory):
    """A server with the internal listener (KINORA_INTERNAL_LISTEN) for probes and metrics."""
    return module_server_factory.start(env={"KINORA_INTERNAL_LISTEN": f"127.0.0.1:{free_port()}"})


def test_metrics_on_the_main_listener_need_an_admin(internal):
    srv = internal
    resp = srv.client.get("/metrics")
    api.assert_problem(resp, 401)
    assert b"kinora_http_requests_total" not in resp.body
    user = auth.new_user(srv, "metrics-reader")
    api.assert_problem(user.get("/metrics"), 403)
    api.assert_problem(auth.create_token(user, auth.USER_SCOPES).get("/metrics"), 403)
    admin_session = auth.admin_session(srv)
    api.assert_problem(auth.create_token(admin_session, auth.USER_SCOPES).get("/metrics"), 403)
    for caller in (admin_session, srv.admin):
        resp = caller.get("/metrics")
        assert resp.status == 200 and b"kinora_http_requests_total" in resp.body, (caller, resp)
    for path in ("/health", "/ready"):   # probes stay public
        assert srv.client.get(path).status == 200, path


def test_the_internal_listener_serves_probes_and_metrics_without_credentials(internal):
    inner = internal.internal_client
    resp = inner.get("/metrics")
    assert resp.status == 200, resp
    assert resp.content_type == "text/plain"
    assert b"kinora_http_requests_total" in resp.body
    check = subprocess.run(["promtool", "check", "metrics"], input=resp.body,
                           capture_output=True, timeout=30)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert inner.get("/health").json()["status"] == "ok"
    assert inner.get("/ready").status == 200
    # Only the operations routes: no API, no media, no accounts there.
    for method, path in (("GET", api.VIDEOS), ("POST", auth.LOGIN), ("GET", auth.USERS),
                         ("POST", api.UPLOAD)):
        assert inner.request(method, path).status in (404, 405), (method, path)


# -- delete --------------------------------------------------------------------------------

def test_delete_removes_everything(scratch, media):
    client = scratch.client
    video = api.upload_ok(client, media.clip("mkv"), filename="doomed.mkv", title="doomed")
    vid = video["video_id"]
    url = api.get_video(client, vid)["original_url"]
    client.post(api.view_path(vid))
    total = api.total_videos(client)

    resp = api.delete_video(client, vid)
    assert resp.status == 200, resp
    doc = resp.json()
    assert doc["status"] == "success" and doc["video_id"] == vid and isinstance(doc["message"], str)

    api.assert_problem(client.get(api.video_path(vid)), 404)
    assert api.total_videos(client) == total - 1
    assert vid not in ids(api.walk_cursor(client, limit=100))
    leftovers = [k for k in api.files_under(scratch.objects_dir) if vid in k]
    assert not leftovers, f"objects left after delete: {leftovers}"
    # A deleted video answers to no URL handed out before: the 403 of any URL not valid now.
    api.assert_problem(api.media_get(client, url), 403)
    api.assert_problem(client.post(api.view_path(vid)), 404)
    api.assert_problem(api.delete_video(client, vid), 404)
    assert scratch.catalog_db.exists() and scratch.queue_db.exists()


def test_delete_unknown_video_is_404(scratch):
    api.assert_problem(api.delete_video(scratch.client, str(uuid.uuid4())), 404)


@pytest.mark.parametrize("bad_id", ["..%2F..%2Fetc", "..%2F..%2Fcatalog.db", "not-a-uuid", "%00"])
def test_delete_malformed_id_is_refused_and_harmless(scratch, bad_id):
    total = api.total_videos(scratch.client)
    api.assert_problem(api.delete_video(scratch.client, bad_id,
                                        path=f"/api/uploader/videos/{bad_id}"), 400, 404)
    assert scratch.catalog_db.exists()
    assert api.total_videos(scratch.client) == total


# -- stats ---------------------------------------------------------------------------------

STATS_FIELDS = {"total_videos", "videos_by_status", "videos_by_format", "total_views",
                "total_likes", "engagement", "storage_bytes", "total_duration_seconds",
                "processing_seconds", "uploads_per_day", "views_per_day", "likes_per_day",
                "top_videos", "duration_histogram", "generated_at"}


def test_stats_shape_and_counts(library):
    stats = library.client.get(api.STATS).json()
    assert STATS_FIELDS <= set(stats), STATS_FIELDS - set(stats)
    views = sum(v for _, _, v, _ in LIBRARY)
    likes = sum(n for _, _, _, n in LIBRARY)
    assert stats["total_videos"] == len(LIBRARY)
    assert stats["videos_by_status"] == {"UPLOADED": len(LIBRARY), "PROCESSING": 0,
                                         "PROCESSED": 0, "FAILED": 0}
    formats = {ext: n for ext, n in stats["videos_by_format"].items() if n}
    assert formats == dict(Counter(ext for _, ext, _, _ in LIBRARY))
    assert (stats["total_views"], stats["total_likes"]) == (views, likes)
    assert isinstance(stats["engagement"], (int, float)) and stats["engagement"] >= 0
    assert stats["storage_bytes"] >= sum(v["size"] for v in library.videos.values())
    assert stats["processing_seconds"] == {"p50": None, "p90": None, "p99": None}
    today = datetime.now(timezone.utc).date().isoformat()
    for series, expected in (("uploads_per_day", len(LIBRARY)), ("views_per_day", views),
                             ("likes_per_day", likes)):
        rows = stats[series]
        assert all(set(r) >= {"day", "count"} for r in rows), rows
        assert sum(r["count"] for r in rows) == expected, (series, rows)
        assert today in {r["day"][:10] for r in rows}, (series, rows)
    assert stats["top_videos"] and all(v["video_id"] in library.videos
                                       for v in stats["top_videos"])
    assert isinstance(stats["generated_at"], str)
    hist = stats["duration_histogram"]
    assert [(b["min_seconds"], b["max_seconds"]) for b in hist] == [
        (0, 30), (30, 120), (120, 300), (300, 900), (900, 3600), (3600, None)]
    known = [v["duration_seconds"] for v in library.videos.values()
             if v.get("duration_seconds") is not None]
    assert sum(b["count"] for b in hist) == len(known)
    assert hist[0]["count"] == sum(1 for d in known if d < 30)


def test_stats_follow_new_uploads_and_views(scratch, media):
    client = scratch.client
    before = client.get(api.STATS).json()
    video = api.upload_ok(client, media.clip("wmv"), filename="fresh.wmv")
    client.post(api.view_path(video["video_id"]))

    def updated():
        s = client.get(api.STATS).json()
        return (s["total_videos"] == before["total_videos"] + 1
                and s["total_views"] == before["total_views"] + 1
                and s["videos_by_format"].get("wmv", 0) == before["videos_by_format"].get("wmv", 0) + 1)
    api.wait_until(updated, timeout=3.0, message="stats reflect the new upload and view")


# -- static web app ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(module_server_factory, web_dir):
    return module_server_factory.start(args=("--web-dir", str(web_dir)))


INDEX_MARK = b"kinora-index"


@pytest.mark.parametrize("path,content_type,mark", [
    ("/", "text/html", INDEX_MARK),
    ("/assets/app.js", ("application/javascript", "text/javascript"), b"kinora-app-js"),
    ("/assets/app.css", "text/css", b"kinora-app-css"),
])
def test_static_files(web, path, content_type, mark):
    resp = web.client.get(path)
    assert resp.status == 200, resp
    assert resp.content_type in ((content_type,) if isinstance(content_type, str) else content_type)
    assert mark in resp.body


@pytest.mark.parametrize("path", ["/videos", "/videos/123/details", "/stats?tab=formats"])
def test_spa_fallback_serves_index(web, path):
    resp = web.client.get(path)
    assert resp.status == 200 and resp.content_type == "text/html", resp
    assert INDEX_MARK in resp.body


@pytest.mark.parametrize("path", ["/api/nope", "/api/analytics/nope", "/api/"])
def test_unknown_api_paths_are_json_404_not_index(web, path):
    resp = web.client.get(path)
    api.assert_problem(resp, 404)
    assert INDEX_MARK not in resp.body


def test_api_still_served_with_a_web_dir(web):
    assert web.client.get("/health").json()["status"] == "ok"
    assert api.list_videos(web.client)["total"] == 0


@pytest.mark.parametrize("path", ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                  "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
                                  "/assets/../../../../../etc/passwd"])
def test_web_dir_traversal_is_refused(web, path):
    resp = web.client.get(path)
    assert resp.status < 500, resp
    assert b"root:" not in resp.body
    if resp.status == 200:
        assert INDEX_MARK in resp.body


def test_web_dir_from_environment(server_factory, web_dir):
    srv = server_factory.start(env={"KINORA_WEB_DIR": str(web_dir)})
    resp = srv.client.get("/")
    assert resp.status == 200 and INDEX_MARK in resp.body


# -- the web app found with no setting -----------------------------------------------------

SOURCE_WEB_APP = Path(__file__).resolve().parents[2] / "web" / "dist"


@pytest.mark.skipif(not (SOURCE_WEB_APP / "index.html").exists(),
                    reason="web/dist is not built (scripts/build_web.sh)")
def test_serve_finds_the_web_app_of_its_source_tree(server_factory):
    srv = server_factory.start(env={"KINORA_WEB_DIR": None})
    resp = srv.client.get("/")
    assert resp.status == 200 and resp.content_type == "text/html", resp
    assert resp.body == (SOURCE_WEB_APP / "index.html").read_bytes()
    assert srv.client.get("/library").body == resp.body   # SPA fallback


def test_without_a_web_app_the_root_says_how_to_build_it(server_factory):
    srv = server_factory.start(env={"KINORA_WEB_DIR": ""})
    resp = srv.client.get("/")
    assert resp.status == 404 and resp.content_type == "text/html", resp
    assert b"scripts/build_web.sh" in resp.body and b"KINORA_WEB_DIR" in resp.body
    api.assert_problem(srv.client.get("/nope"), 404)
    assert srv.client.get("/health").json()["status"] == "ok"
