"""View and like counters: exact under concurrency, durable across kill -9."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import api


def hammer(client, path: str, field: str, threads: int, per_thread: int) -> list[int]:
    """`threads` keep-alive connections each POST `path` `per_thread` times, all starting
    together. Returns every counter value the server answered."""
    barrier = threading.Barrier(threads)

    def worker(_) -> list[int]:
        values = []
        with client.connection() as conn:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                resp = conn.request("POST", path)
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


def test_concurrent_likes_are_counted_exactly(module_server, target):
    client = module_server.client
    views = api.get_video(client, target)["views"]
    values = hammer(client, api.like_path(target), "likes", threads=20, per_thread=10)
    assert_exact(values, 0, 200, "likes")
    video = api.get_video(client, target)
    assert video["likes"] == 200
    assert video["engagement"] == pytest.approx(200 / max(views, 1))
    api.wait_until(lambda: client.get(api.STATS).json()["total_likes"] == 200,
                   message="stats total_likes == 200")


def test_counter_answers_name_the_video(module_server, target):
    for path, field in ((api.view_path(target), "views"), (api.like_path(target), "likes")):
        doc = module_server.client.post(path).json()
        assert doc["video_id"] == target and isinstance(doc[field], int)


@pytest.mark.parametrize("path", [api.view_path, api.like_path])
def test_counting_an_unknown_video_is_404(module_server, path):
    api.assert_problem(module_server.client.post(path(str(uuid.uuid4()))), 404)


@pytest.mark.parametrize("path", [api.view_path, api.like_path])
def test_counting_a_malformed_id_is_refused(module_server, path):
    api.assert_problem(module_server.client.post(path("not-a-uuid")), 400, 404)


def test_counts_survive_kill_9(server, media):
    client = server.client
    vid = api.upload_ok(client, media.clip("webm"), filename="durable.webm")["video_id"]
    likes = hammer(client, api.like_path(vid), "likes", threads=10, per_thread=5)
    views = hammer(client, api.view_path(vid), "views", threads=20, per_thread=25)
    server.kill()  # right after the last answer
    assert_exact(views, 0, 500, "views")
    assert_exact(likes, 0, 50, "likes")
    server.start()
    video = api.get_video(server.client, vid)
    assert (video["views"], video["likes"]) == (500, 50), "acknowledged counts lost by kill -9"
