"""The seed's contract, as its own clients use it (issue 19, docs/api.md "Seed compatibility"):
field names and types of the video JSON, the parameter ranges of GET /videos and GET /stats,
the answers of upload, view and like; against `kinora serve` and the split cluster. And a
metadata/{id}.json written in the seed's shape, read back through `kinora reindex`.

Written from the seed's facts, not from Kinora's answers: an int is an int (not a bool, not a
string), `timestamp` is epoch seconds, `processed_url` plays as MP4.
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest

from harness import api, auth, processing
from harness.cluster import split_cluster
from harness.server import base_env

UPLOADED_NAME = "My holiday clip.mp4"
SORT_KEYS = ("timestamp", "views", "likes", "engagement")
# The seed's video fields and their types (None: also null).
VIDEO_FIELDS = {
    "video_id": (str,), "filename": (str,), "s3_bucket": (str,), "s3_key": (str,),
    "processed_url": (str, type(None)), "thumbnail_url": (str, type(None)), "timestamp": (int,),
    "size": (int,), "runtime": (int,), "views": (int,), "likes": (int,), "status": (str,),
}
STATS_ITEM_FIELDS = ("video_id", "status", "views", "likes", "engagement", "timestamp",
                     "s3_bucket", "s3_key", "processed_url")
STATUSES = {"UPLOADED", "PROCESSING", "PROCESSED", "FAILED"}


def is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def assert_seed_video(v: dict) -> None:
    for field, types in VIDEO_FIELDS.items():
        assert field in v, (field, v)
        if int in types:
            assert is_int(v[field]), (field, v[field])
        else:
            assert isinstance(v[field], types), (field, v[field])
    assert v["status"] in STATUSES, v["status"]
    assert v["size"] > 0 and v["runtime"] >= 0 and v["views"] >= 0 and v["likes"] >= 0, v
    # epoch seconds, not milliseconds: within a day of now for a video uploaded by the test
    assert abs(v["timestamp"] - time.time()) < 86400, v["timestamp"]
    assert v["s3_key"] == f"videos/{v['video_id']}.{v['s3_key'].rsplit('.', 1)[-1]}", v["s3_key"]


@pytest.fixture(scope="module", params=["serve", "split"])
def world(request, module_server_factory, kinora_bin, tmp_path_factory, media):
    """(anonymous client, a user's token with the write scope, the processed video's id)."""
    if request.param == "serve":
        srv = module_server_factory.start(env={"KINORA_WORKERS": "1"})
        yield from seed_world(srv, media)
    else:
        with split_cluster(kinora_bin, tmp_path_factory.mktemp("split-seed")) as cluster:
            yield from seed_world(cluster, media)


def seed_world(target, media):
    user = auth.new_user(target, f"seed-{uuid.uuid4().hex[:8]}")
    token = auth.create_token(user, ["videos:write", "videos:read", "analytics:read"],
                              name="seed client")
    resp = api.upload(token.client, media.clip("mp4"), filename=UPLOADED_NAME, title="seed")
    assert resp.status == 201, resp
    answer = resp.json()
    # The seed's upload answer (Kinora's `video` beside it).
    assert answer["status"] == "success", answer
    assert isinstance(answer["video_id"], str) and api.UUID_RE.match(answer["video_id"]), answer
    assert isinstance(answer["message"], str) and answer["message"], answer
    done, _ = processing.wait_settled(token.client, answer["video_id"])
    assert done["status"] == "PROCESSED", done
    yield auth.anonymous(target), token, answer["video_id"]


def test_the_listing_has_the_seeds_fields_and_types(world):
    anon, _, video_id = world
    resp = anon.get(api.VIDEOS, params={"limit": 1000, "sort_by": "timestamp"})
    assert resp.status == 200, resp  # the seed dashboard's upload-status poll
    doc = resp.json()
    assert is_int(doc["count"]) and doc["count"] == len(doc["videos"]), doc
    mine = [v for v in doc["videos"] if v["video_id"] == video_id]
    assert len(mine) == 1, doc
    for v in doc["videos"]:
        assert_seed_video(v)
    v = mine[0]
    assert v["filename"] == UPLOADED_NAME
    assert v["runtime"] == 2, v  # the clip is 2 s
    assert isinstance(v["uploaded_at"], str)  # Kinora's ISO time stays, under its own name
    assert isinstance(v["thumbnail_url"], str)


def test_the_listings_parameter_ranges(world):
    anon, _, _ = world
    for limit in (1, 100, 1000):
        resp = anon.get(api.VIDEOS, params={"limit": limit})
        assert resp.status == 200, (limit, resp)
        assert len(resp.json()["videos"]) <= limit
    for limit in (0, 1001, -1, "x"):
        api.assert_problem(anon.get(api.VIDEOS, params={"limit": limit}), 400)
    for key in SORT_KEYS:
        resp = anon.get(api.VIDEOS, params={"sort_by": key})
        assert resp.status == 200, (key, resp)
    api.assert_problem(anon.get(api.VIDEOS, params={"sort_by": "colour"}), 400)


def test_one_video_adds_engagement_and_plays_as_mp4(world):
    anon, _, video_id = world
    v = api.get_video(anon.client, video_id)
    assert_seed_video(v)
    assert is_number(v["engagement"]), v
    assert v["filename"] == UPLOADED_NAME
    assert v["timestamp"] == v["upload_timestamp"]
    assert isinstance(v["processed_url"], str), v
    played = api.media_get(anon.client, v["processed_url"], headers={"Range": "bytes=0-15"})
    assert played.status in (200, 206), played
    assert played.content_type == "video/mp4", played
    assert played.body[4:8] == b"ftyp", played.body[:16]
    thumb = api.media_get(anon.client, v["thumbnail_url"])
    assert thumb.status == 200 and thumb.content_type == "image/jpeg", thumb


def test_stats_carries_the_seeds_items_beside_the_aggregates(world):
    anon, token, video_id = world
    for key in SORT_KEYS:
        resp = anon.get(api.STATS, params={"limit": 1000, "sort_by": key})
        assert resp.status == 200, (key, resp)
        doc = resp.json()
        assert doc["sort_by"] == key
        assert is_int(doc["count"]) and doc["count"] == len(doc["items"]), doc
        assert is_int(doc["total_videos"]), doc  # Kinora's aggregates stay
        for item in doc["items"]:
            assert set(STATS_ITEM_FIELDS) <= set(item), item
            for f in ("views", "likes", "timestamp"):
                assert is_int(item[f]), (f, item)
            assert is_number(item["engagement"]), item
        assert video_id in {i["video_id"] for i in doc["items"]}, doc["items"]
    default = anon.get(api.STATS).json()
    assert default["sort_by"] == "timestamp" and default["count"] <= 100, default
    # The owner's own scope lists their video too.
    mine = token.get(api.STATS, params={"limit": 5}).json()
    assert [i["video_id"] for i in mine["items"]] == [video_id], mine
    for limit in (0, 1001):
        api.assert_problem(anon.get(api.STATS, params={"limit": limit}), 400)
    api.assert_problem(anon.get(api.STATS, params={"sort_by": "colour"}), 400)


def test_view_and_like_answers(world):
    anon, token, video_id = world
    view = anon.post(api.view_path(video_id))  # anonymous views still count
    assert view.status == 200, view
    doc = view.json()
    assert doc["status"] == "view_recorded" and doc["video_id"] == video_id, doc
    assert is_int(doc["views"]) and doc["views"] >= 1, doc
    # A like needs an account now: anonymous is refused, a token works.
    api.assert_problem(anon.post(api.like_path(video_id)), 401)
    like = token.post(api.like_path(video_id))
    assert like.status == 200, like
    doc = like.json()
    assert doc["status"] == "like_recorded" and doc["video_id"] == video_id, doc
    assert is_int(doc["likes"]) and doc["likes"] == 1, doc
    v = api.get_video(anon.client, video_id)
    assert (v["views"], v["likes"]) == (1, 1), v


# -- metadata/{id}.json in the seed's shape, through kinora reindex ------------------------

def test_reindex_reads_a_metadata_document_in_the_seeds_shape(server_factory, media, kinora_bin):
    # No workers: the restored video stays as its document says (the reconciler would queue it).
    server = server_factory.start(env={"KINORA_WORKERS": "0"})
    video_id = str(uuid.uuid4())
    clip = media.clip("mp4").read_bytes()
    seed_doc = {  # as the seed's uploader wrote it, updated by its processor and counters
        "video_id": video_id, "filename": "Beach day.mp4", "original_filename": "Beach day.mp4",
        "file_extension": "mp4", "content_type": "video/mp4", "size": len(clip),
        "file_size": len(clip), "s3_bucket": "video-analytics-uploads",
        "s3_key": f"videos/{video_id}.mp4", "s3_video_key": f"videos/{video_id}.mp4",
        "processed_url": None, "timestamp": 1714557600, "upload_timestamp": 1714557600,
        "runtime": 2, "status": "UPLOADED", "views": 7, "likes": 3, "engagement": 10,
    }
    server.stop()
    objects = server.objects_dir
    (objects / "videos").mkdir(parents=True, exist_ok=True)
    (objects / "metadata").mkdir(parents=True, exist_ok=True)
    (objects / "videos" / f"{video_id}.mp4").write_bytes(clip)
    (objects / "metadata" / f"{video_id}.json").write_text(json.dumps(seed_doc, indent=2))

    result = subprocess.run([kinora_bin, "reindex", "--data-dir", str(server.data_dir)],
                            env=base_env(), capture_output=True, text=True, timeout=30,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result
    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["failed"]) == (1, 0), summary

    server.start()
    listed = {v["video_id"]: v for v in api.list_videos(server.client, limit=1000)["videos"]}
    assert video_id in listed, listed.keys()
    v = api.get_video(server.client, video_id)
    for field in ("filename", "original_filename", "size", "file_size", "s3_key", "timestamp",
                  "upload_timestamp", "runtime", "status", "views", "likes"):
        assert v[field] == seed_doc[field], (field, v[field], seed_doc[field])
    assert v["uploaded_at"] == "2024-05-01T10:00:00.000Z", v["uploaded_at"]
    assert listed[video_id]["timestamp"] == 1714557600
    assert v["visibility"] == "public"  # made before accounts: anyone may watch it
    # An H.264 MP4 plays before processing: processed_url is the original.
    assert isinstance(v["processed_url"], str) and f"videos/{video_id}.mp4" in v["processed_url"]
