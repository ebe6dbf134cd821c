"""Content analysis over the API (docs/content-analysis.md): the video's `analysis` summary, the
library's flag filter, GET /api/analytics/videos/{id}/content with its storyboard (a WebVTT
track whose cue URIs the gateway signs), who may read it, and reprocessing (kinora reprocess,
POST /api/admin/videos/{id}/reprocess) that redoes a PROCESSED video's job.

A server with one worker processes a small clip owned by user A; a second server without
workers keeps its video unprocessed (the "no analysis yet" answers).
"""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import time

import pytest

from harness import api, auth, processing
from harness.cluster import split_cluster
from harness.server import base_env

FLAG_CODES = {"too_quiet", "too_loud", "clipping", "black_start", "black_end", "black", "frozen",
              "silent", "no_audio", "poor_rung"}
NO_ANALYSIS = "this video has no content analysis yet"
CUE_URI_RE = re.compile(r"^(/media/[^#\s]+)#xywh=(\d+),(\d+),(\d+),(\d+)$")


def content_path(video_id: str) -> str:
    return f"/api/analytics/videos/{video_id}/content"


def reprocess_path(video_id: str) -> str:
    return f"/api/admin/videos/{video_id}/reprocess"


@pytest.fixture(scope="module")
def world(module_server_factory, media):
    srv = module_server_factory.start(env={"KINORA_WORKERS": "1"})
    a = auth.new_user(srv, "content-a")
    b = auth.new_user(srv, "content-b")
    mo = auth.new_user(srv, "content-mo", "moderator")
    a_write = auth.create_token(a, ["videos:write", "videos:read"], name="uploads")
    video = api.upload_ok(a_write.client, media.clip("mp4"), filename="content.mp4",
                          title="content", visibility="private")
    done, _ = processing.wait_settled(a.client, video["video_id"])
    assert done["status"] == "PROCESSED", done
    return srv, {"A": a, "B": b, "moderator": mo, "admin": auth.admin_session(srv)}, done


@pytest.fixture(scope="module")
def idle(module_server_factory, media):
    """A server that processes nothing, with one of A's videos."""
    srv = module_server_factory.start()
    a = auth.new_user(srv, "idle-a")
    a_write = auth.create_token(a, ["videos:write", "videos:read"], name="uploads")
    video = api.upload_ok(a_write.client, media.clip("mp4"), filename="idle.mp4", title="idle")
    return srv, a, video


def test_a_processed_videos_summary_and_content_agree(world):
    srv, who, video = world
    summary = api.get_video(who["A"].client, video["video_id"])["analysis"]
    assert summary["status"] in ("complete", "incomplete"), summary
    assert set(summary["flags"]) <= FLAG_CODES, summary
    resp = who["A"].get(content_path(video["video_id"]))
    assert resp.status == 200, resp
    assert resp.header("Cache-Control") == "private, no-store"
    doc = resp.json()
    assert doc["version"] == 1
    assert doc["complete"] == (summary["status"] == "complete"), (doc["incomplete"], summary)
    assert doc["duration_seconds"] == pytest.approx(video["duration_seconds"], abs=0.5)
    assert all(isinstance(m, str) and m for m in doc["flags"]), doc["flags"]
    assert [f["message"] for f in doc["flag_details"]] == doc["flags"]
    assert {f["code"] for f in doc["flag_details"]} == set(summary["flags"])
    assert len(doc["scenes"]) == summary["scene_count"]
    if doc["loudness"] is not None:
        assert doc["loudness"]["integrated_lufs"] == pytest.approx(summary["integrated_lufs"],
                                                                    abs=0.01)
    storyboard = doc["storyboard"]
    assert storyboard is not None and storyboard["tiles"] >= 1, storyboard
    assert api.SIGNED_MEDIA_RE.match(storyboard["vtt_url"]), storyboard["vtt_url"]
    assert f"/processed/{video['video_id']}/storyboard/storyboard.vtt?" in storyboard["vtt_url"]


def test_the_storyboard_track_points_at_signed_sprites(world):
    srv, who, video = world
    doc = who["A"].get(content_path(video["video_id"])).json()
    vtt_url = doc["storyboard"]["vtt_url"]
    resp = api.media_get(srv.client, vtt_url)
    assert resp.status == 200, resp
    assert resp.content_type == "text/vtt", resp
    text = resp.body.decode()
    assert text.startswith("WEBVTT"), text[:200]
    expires = api.url_query(vtt_url)["expires"]
    cues = [line for line in text.splitlines() if line.startswith("/media/")]
    assert len(cues) == doc["storyboard"]["tiles"], text[:500]
    sprite_status = {}
    for cue in cues:
        m = CUE_URI_RE.match(cue)
        assert m, cue
        assert api.url_query(m.group(1))["expires"] == expires, cue   # same expiry as the VTT
        x, y, w, h = map(int, m.group(2, 3, 4, 5))
        assert (w, h) == (doc["storyboard"]["tile_width"], doc["storyboard"]["tile_height"])
        assert x % w == 0 and y % h == 0, cue
        sprite_status.setdefault(m.group(1), None)
    for url in sprite_status:
        sprite = api.media_get(srv.client, url)
        assert sprite.status == 200 and sprite.content_type == "image/jpeg", sprite
        assert sprite.body[:2] == b"\xff\xd8", url


def test_the_library_filters_by_flag(world):
    srv, who, video = world
    summary = video["analysis"]
    for code in FLAG_CODES:
        listed = api.list_videos(who["admin"].client, flag=code, limit=100)
        ids = {v["video_id"] for v in listed["videos"]}
        assert (video["video_id"] in ids) == (code in summary["flags"]), (code, summary)
        assert all(code in v["analysis"]["flags"] for v in listed["videos"]), code
        assert listed["total"] == len(listed["videos"])
    api.assert_problem(who["admin"].get(api.VIDEOS, params={"flag": "too-quiet"}), 400)


def test_only_the_owner_moderators_and_admins_may_read_it(world):
    srv, who, video = world
    path = content_path(video["video_id"])
    for person in ("A", "moderator", "admin"):
        assert who[person].get(path).status == 200, person
    body = api.assert_problem(who["B"].get(path), 404)
    assert NO_ANALYSIS not in body["detail"]   # the 404 of a video B may not see
    api.assert_problem(auth.anonymous(srv).get(path), 401)
    body = api.assert_problem(who["A"].get(content_path("6f2b8a84-3f0e-4d39-9d6c-0d3c3f3b0a11")),
                              404)
    assert NO_ANALYSIS not in body["detail"]


def test_a_video_without_analysis_says_so(idle):
    srv, a, video = idle
    assert api.get_video(a.client, video["video_id"])["analysis"] == {
        "status": "none", "integrated_lufs": None, "true_peak_dbtp": None, "scene_count": 0,
        "black_seconds": 0, "frozen_seconds": 0, "silent_seconds": 0, "flags": []}
    body = api.assert_problem(a.get(content_path(video["video_id"])), 404)
    assert body["detail"] == NO_ANALYSIS, body
    body = api.assert_problem(auth.new_user(srv, "idle-b").get(content_path(video["video_id"])),
                              404)
    assert body["detail"] != NO_ANALYSIS, body


# -- reprocessing --------------------------------------------------------------------------

NONE_SUMMARY = ('{"status":"none","integrated_lufs":null,"true_peak_dbtp":null,"scene_count":0,'
                '"black_seconds":0,"frozen_seconds":0,"silent_seconds":0,"flags":[]}')


def wait_reprocessed(caller, video_id: str, before: str, timeout: float = 180.0) -> dict:
    """Polls until the video is PROCESSED again by a later run than `before`'s timestamp."""
    deadline = time.monotonic() + timeout
    while True:
        video = api.get_video(caller.client, video_id)
        if video["status"] == "PROCESSED" and video["processed_timestamp"] != before:
            return video
        assert video["status"] != "FAILED", video
        assert time.monotonic() < deadline, f"not reprocessed after {timeout}s: {video}"
        time.sleep(0.2)


def forget_analysis(srv, video_id: str) -> None:
    """Makes the video look processed before content analysis existed: no analysis.json nor
    storyboard in the store, the "none" summary in the catalog."""
    base = srv.objects_dir / "processed" / video_id
    (base / "analysis.json").unlink()
    for f in (base / "storyboard").iterdir():
        f.unlink()
    (base / "storyboard").rmdir()
    with sqlite3.connect(srv.data_dir / "catalog.db") as db:
        db.execute("UPDATE videos SET analysis_json = ?, analysis_flags = '' WHERE video_id = ?",
                   (NONE_SUMMARY, video_id))


def test_an_admin_reprocesses_a_processed_video(world):
    srv, who, video = world
    before = api.get_video(who["A"].client, video["video_id"])
    resp = who["admin"].post(reprocess_path(video["video_id"]))
    assert resp.status == 202, resp
    assert resp.json() == {"status": "queued", "video_id": video["video_id"],
                           "previous_status": "PROCESSED"}
    after = wait_reprocessed(who["A"], video["video_id"], before["processed_timestamp"])
    assert after["analysis"]["status"] in ("complete", "incomplete"), after["analysis"]
    assert who["A"].get(content_path(video["video_id"])).status == 200
    # Only admins; an unknown video is a 404.
    api.assert_problem(who["A"].post(reprocess_path(video["video_id"])), 403)
    api.assert_problem(who["moderator"].post(reprocess_path(video["video_id"])), 403)
    api.assert_problem(who["admin"].post(reprocess_path("6f2b8a84-3f0e-4d39-9d6c-0d3c3f3b0a11")),
                       404)


def test_kinora_reprocess_fills_the_analysis_of_an_older_video(world, kinora_bin):
    srv, who, video = world
    vid = video["video_id"]
    forget_analysis(srv, vid)
    before = api.get_video(who["A"].client, vid)
    assert before["analysis"]["status"] == "none"
    assert api.assert_problem(who["A"].get(content_path(vid)), 404)["detail"] == NO_ANALYSIS
    result = subprocess.run([kinora_bin, "reprocess", vid, "--data-dir", str(srv.data_dir)],
                            env=base_env(), capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result
    summary = json.loads(result.stdout)
    assert (summary["queued"], summary["failed"]) == (1, 0), summary
    after = wait_reprocessed(who["A"], vid, before["processed_timestamp"])
    assert after["analysis"]["status"] in ("complete", "incomplete"), after["analysis"]
    doc = who["A"].get(content_path(vid))
    assert doc.status == 200, doc
    assert api.media_get(srv.client, doc.json()["storyboard"]["vtt_url"]).status == 200
    keys = {p.relative_to(srv.objects_dir).as_posix()
            for p in (srv.objects_dir / "processed" / vid).rglob("*") if p.is_file()}
    assert f"processed/{vid}/analysis.json" in keys, keys


def test_kinora_reprocess_refuses_unknown_videos_and_wants_ids_or_all(world, kinora_bin):
    srv, who, video = world

    def reprocess(*args):
        return subprocess.run([kinora_bin, "reprocess", *args, "--data-dir", str(srv.data_dir)],
                              env=base_env(), capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    result = reprocess("6f2b8a84-3f0e-4d39-9d6c-0d3c3f3b0a11", "not-an-id")
    assert result.returncode == 1, result
    summary = json.loads(result.stdout)
    assert (summary["queued"], summary["failed"]) == (0, 2), summary
    assert reprocess().returncode == 2
    assert reprocess(video["video_id"], "--all").returncode == 2


def test_split_mode_serves_the_analysis_storyboard_and_reprocess(kinora_bin, media,
                                                                  tmp_path_factory):
    """On S3, SQS and PostgreSQL: the analytics role answers the content, the gateway signs the
    storyboard from S3, and a reprocess queued at the gateway (the outbox) is published by the
    uploader role's relay and done by the processor."""
    root = tmp_path_factory.mktemp("split-content")
    with split_cluster(kinora_bin, root) as cluster:
        admin = auth.admin(cluster)
        video = api.upload_ok(admin.client, media.clip("mp4"), filename="split.mp4")
        done, _ = processing.wait_settled(admin.client, video["video_id"])
        assert done["status"] == "PROCESSED", done
        doc = admin.get(content_path(video["video_id"]))
        assert doc.status == 200, doc
        assert doc.json()["storyboard"] is not None, doc.json()
        vtt = api.media_get(cluster.client, doc.json()["storyboard"]["vtt_url"])
        assert vtt.status == 200 and vtt.content_type == "text/vtt", vtt
        cue = next(line for line in vtt.body.decode().splitlines() if line.startswith("/media/"))
        sprite = api.media_get(cluster.client, CUE_URI_RE.match(cue).group(1))
        assert sprite.status == 200 and sprite.content_type == "image/jpeg", sprite
        flagged = api.list_videos(admin.client, flag="no_audio", limit=100)["videos"]
        assert ("no_audio" in done["analysis"]["flags"]) == (
            video["video_id"] in {v["video_id"] for v in flagged})
        resp = admin.post(reprocess_path(video["video_id"]))
        assert resp.status == 202, resp
        again = wait_reprocessed(admin, video["video_id"], done["processed_timestamp"])
        assert again["analysis"]["status"] in ("complete", "incomplete")
