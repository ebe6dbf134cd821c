"""View and like counters: exact under concurrency, durable across kill -9. Views are
anonymous but count once per viewer (address and User-Agent) per video per hour, so concurrent
views come from as many User-Agents; a like is one per user and video, so concurrent likes come
from as many users."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import api, auth


def hammer(client, path: str, field: str, threads: int, per_thread: int,
           callers: list | None = None) -> list[int]:
    """`threads` keep-alive connections each POST `path` `per_thread` times, all starting
    together. With `callers` (threads * per_thread of them), every request comes from its own
    caller; without, from its own anonymous viewer (User-Agent). Returns every counter value the
    server answered."""
    barrier = threading.Barrier(threads)
    nonce = uuid.uuid4().hex
    assert callers is None or len(callers) == threads * per_thread

    def worker(t) -> list[int]:
        values = []
        with client.connection() as conn:
            barrier.wait(timeout=30)
            for i in range(per_thread):
                headers = (callers[t * per_thread + i].headers if callers else
                           {"User-Agent": f"counter-viewer-{nonce}-{t}-{i}"})
                resp = conn.request("POST", path, headers=headers)
                assert resp.status == 200, resp
                values.append(resp.json()[field])
        return values

    with ThreadPoolExecutor(threads) as pool:
        return [v for values in pool.map(worker, range(threads)) for v in values]


def assert_exact(values: list[int], start: int, n: int, what: str) -> None:
    """n increments from `start`: every answer is a distinct count, the last is start + n."""
    assert len(values) == n
    assert max(values) == start + n, f"{what}: final count {max(values)} != {start + n}"
    assert sorted(values) == list(range(start + 1, start + n + 1)), \
        f"{what}: answers are not the distinct counts {start + 1}..{start + n}"


@pytest.fixture(scope="module")
def likers(module_server):
    """200 signed-in users."""
    return auth.many_users(module_server, "fan", 200)


@pytest.fixture(scope="module")
def target(module_server, media):
    return api.upload_ok(module_server.client, media.clip("mp4"), filename="counted.mp4",
                         title="counted")["video_id"]


def test_thousand_concurrent_views_are_counted_exactly(module_server, target):
    client = module_server.client
    values = hammer(client, api.view_path(target), "views", threads=50, per_thread=20)
    assert_exact(values, 0, 1000, "views")
    assert api.get_video(client, target)["views"] == 1000
    listed = api.list_videos(client, sort_by="views", order="desc", limit=1)["videos"][0]
    assert listed["video_id"] == target and listed["views"] == 1000
    api.wait_until(lambda: client.get(api.STATS).json()["total_views"] == 1000,
                   message="stats total_views == 1000")


def test_concurrent_likes_are_counted_exactly(module_server, target, likers):
    client = module_server.client
    views = api.get_video(client, target)["views"]
    values = hammer(client, api.like_path(target), "likes", threads=20, per_thread=10,
                    callers=likers)
    assert_exact(values, 0, 200, "likes")
    video = api.get_video(client, target)
    assert video["likes"] == 200
    assert video["engagement"] == pytest.approx(200 / max(views, 1))
    api.wait_until(lambda: client.get(api.STATS).json()["total_likes"] == 200,
                   message="stats total_likes == 200")


def test_a_viewer_counts_once_per_video_per_hour(module_server, media):
    client = module_server.client
    vid = api.upload_ok(client, media.clip("mp4"), filename="once.mp4")["video_id"]
    me = {"User-Agent": "the-same-viewer"}
    answers = [client.post(api.view_path(vid), headers=me).json() for _ in range(5)]
    assert [a["views"] for a in answers] == [1, 1, 1, 1, 1], answers
    assert [a["counted"] for a in answers] == [True, False, False, False, False], answers
    assert all(a["status"] == "view_recorded" for a in answers)
    other = client.post(api.view_path(vid), headers={"User-Agent": "another-viewer"}).json()
    assert (other["views"], other["counted"]) == (2, True), other
    assert api.get_video(client, vid)["views"] == 2


def test_counter_answers_name_the_video(module_server, target):
    for path, field in ((api.view_path(target), "views"), (api.like_path(target), "likes")):
        doc = module_server.client.post(path, headers=module_server.admin.headers).json()
        assert doc["video_id"] == target and isinstance(doc[field], int)


def test_a_like_is_one_per_user_and_can_be_taken_back(module_server, media):
    client = module_server.client
    vid = api.upload_ok(client, media.clip("mp4"), filename="liked.mp4")["video_id"]
    fan, other = auth.many_users(module_server, "once", 2)
    for _ in range(3):   # repeating a like changes nothing
        resp = api.like(client, vid, auth=fan)
        assert resp.status == 200, resp
        assert resp.json() == {"status": "like_recorded", "video_id": vid, "likes": 1,
                               "liked": True}, resp.json()
    assert api.get_video(fan.client, vid)["liked"] is True
    assert api.get_video(other.client, vid)["liked"] is False
    assert api.like(client, vid, auth=other).json()["likes"] == 2
    resp = api.unlike(client, vid, auth=fan)
    assert resp.status == 200, resp
    assert (resp.json()["likes"], resp.json()["liked"]) == (1, False), resp.json()
    assert api.unlike(client, vid, auth=fan).json()["likes"] == 1   # taking it back twice
    assert api.get_video(fan.client, vid)["liked"] is False
    assert api.get_video(client, vid)["likes"] == 1
    api.assert_problem(api.like(client, vid, auth=None), 401)   # anonymous


@pytest.mark.parametrize("path", [api.view_path, api.like_path])
def test_counting_an_unknown_video_is_404(module_server, path):
    api.assert_problem(module_server.client.post(path(str(uuid.uuid4())),
                                                 headers=module_server.admin.headers), 404)


@pytest.mark.parametrize("path", [api.view_path, api.like_path])
def test_counting_a_malformed_id_is_refused(module_server, path):
    api.assert_problem(module_server.client.post(path("not-a-uuid"),
                                                 headers=module_server.admin.headers), 400, 404)


def test_counts_survive_kill_9(server, media):
    client = server.client
    vid = api.upload_ok(client, media.clip("webm"), filename="durable.webm")["video_id"]
    fans = auth.many_users(server, "durable-fan", 50)
    likes = hammer(client, api.like_path(vid), "likes", threads=10, per_thread=5, callers=fans)
    views = hammer(client, api.view_path(vid), "views", threads=20, per_thread=25)
    server.kill()  # right after the last answer
    assert_exact(views, 0, 500, "views")
    assert_exact(likes, 0, 50, "likes")
    server.start()
    video = api.get_video(server.client, vid)
    assert (video["views"], video["likes"]) == (500, 50), "acknowledged counts lost by kill -9"
