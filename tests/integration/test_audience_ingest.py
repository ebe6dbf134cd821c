"""Audience beacon ingest (docs/analytics.md): scripted viewers — honest, a seeker, a cheater
claiming ten minutes in five seconds, a replayer, a burster, a bot, the owner, a DNT viewer and
an honest viewer coming back within the hour — post their batches to POST
/api/analytics/beacon, and the stored session rows and rollups equal the exact expected
figures. Embedded (`kinora serve`, SQLite), and split on PostgreSQL with the batches of every
view alternating between two `kinora analytics` replicas. Real waits are short: the viewers run
in parallel, and the plausibility bound (2 x the server-seen span + 2 s) needs about 4 s for
10 s of watch time.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness import api, auth
from harness.client import Client
from harness.cluster import RoleProcess, peers
from harness.server import HOST, base_env

BEACON = "/api/analytics/beacon"
LONG_SECONDS = 900   # 15 minutes: percent buckets of 9 s, no per-second retention
WAIT = 4.5           # server-seen span before 10 s of watch time is plausible (2 x 4.5 + 2 >= 10)


@pytest.fixture(scope="module")
def long_video(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audience") / "long.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc2=size=64x64:rate=1:duration={LONG_SECONDS}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", str(out)], check=True, timeout=120)
    return out


class Viewer:
    """One scripted viewer: its headers and the endpoints its batches go to, in turn."""

    def __init__(self, video_id: str, endpoints: list[Client], ua: str, extra=None):
        self.video_id, self.endpoints = video_id, endpoints
        self.headers = {"User-Agent": ua, "Content-Type": "text/plain;charset=UTF-8",
                        **(extra or {})}
        self.sent = 0
        self.answers: list = []

    def view(self) -> "View":
        return View(self)

    def post(self, body: dict):
        client = self.endpoints[self.sent % len(self.endpoints)]
        self.sent += 1
        resp = client.post(BEACON, json.dumps(body).encode(), headers=self.headers)
        self.answers.append(resp)
        return resp


class View:
    def __init__(self, viewer: Viewer):
        self.viewer, self.view_id, self.seq = viewer, "v" + uuid.uuid4().hex, 0

    def batch(self, *events, expect=202):
        evs = []
        for type_, fields in events:
            evs.append({"seq": self.seq, "type": type_, "t": self.seq * 100, "playhead": 0,
                        **fields})
            self.seq += 1
        body = self.body(evs)
        resp = self.viewer.post(body)
        if expect is not None:
            assert resp.status == expect, resp
        return body, resp

    def body(self, events: list) -> dict:
        return {"v": 1, "video_id": self.viewer.video_id, "view_id": self.view_id,
                "surface": "watch", "embed_host": None,
                "referrer": "https://news.example.org/a/1", "duration": LONG_SECONDS,
                "events": events}


def start(view: View, startup_ms: int | None = 300):
    events = [("viewstart", {})]
    if startup_ms is not None:
        events.append(("playing", {"startup_ms": startup_ms}))
    view.batch(*events)


def heartbeat(*ranges, **fields):
    return ("heartbeat", {"ranges": [list(r) for r in ranges], **fields})


# -- the scripts -----------------------------------------------------------------------------

def honest(viewer: Viewer) -> None:
    v = viewer.view()
    start(v)
    time.sleep(WAIT)
    v.batch(heartbeat((0, 10), height=360, bitrate=800_000, element_height=720))
    v.batch(("viewend", {}))


def seeker(viewer: Viewer) -> None:
    v = viewer.view()
    start(v, startup_ms=500)
    time.sleep(WAIT + 1)
    v.batch(heartbeat((0, 5)), ("seek", {"from": 5, "to": 100}), heartbeat((100, 105)),
            ("seek", {"from": 105, "to": 0}), heartbeat((0, 3)))


def cheater(viewer: Viewer) -> None:
    v = viewer.view()
    start(v, startup_ms=None)
    v.batch(heartbeat((0, 600)))       # ten minutes claimed at once: refused, implausible
    v.batch(("viewend", {}))           # no first frame, no error: an exit before start


def replayer(viewer: Viewer) -> None:
    v = viewer.view()
    start(v)
    time.sleep(WAIT)
    body, _ = v.batch(heartbeat((0, 10)))
    again = viewer.post(body)          # the same batch resent: accepted, ignored
    assert again.status == 202 and again.json() == {"accepted": 0}, again


def burster(viewer: Viewer) -> None:
    v = viewer.view()
    start(v, startup_ms=None)
    for _ in range(60):
        v.batch(("pause", {}), expect=None)
        if v.viewer.answers[-1].status == 429:
            v.seq -= 1                 # not stored: the next batch reuses its seq


def bot(viewer: Viewer) -> None:
    honest(viewer)


def run_script(video_id: str, endpoints: list[Client], owner_headers: dict) -> dict:
    viewers = {
        "honest-1": Viewer(video_id, endpoints, "Mozilla/5.0 honest-1 Firefox/120"),
        "honest-2": Viewer(video_id, endpoints, "Mozilla/5.0 honest-2 Firefox/120"),
        "honest-3": Viewer(video_id, endpoints, "Mozilla/5.0 honest-3 Chrome/120"),
        "seeker": Viewer(video_id, endpoints, "Mozilla/5.0 seeker Safari/17"),
        "cheater": Viewer(video_id, endpoints, "Mozilla/5.0 cheater"),
        "replayer": Viewer(video_id, endpoints, "Mozilla/5.0 replayer"),
        "burster": Viewer(video_id, endpoints, "Mozilla/5.0 burster"),
        "bot": Viewer(video_id, endpoints, "Googlebot/2.1 (+http://www.google.com/bot.html)"),
        "owner": Viewer(video_id, endpoints, "Mozilla/5.0 owner", owner_headers),
        "dnt": Viewer(video_id, endpoints, "Mozilla/5.0 dnt", {"DNT": "1"}),
    }
    scripts = {"honest-1": honest, "honest-2": honest, "honest-3": honest, "seeker": seeker,
               "cheater": cheater, "replayer": replayer, "burster": burster, "bot": bot,
               "owner": honest, "dnt": honest}
    with ThreadPoolExecutor(len(scripts)) as pool:
        for f in [pool.submit(scripts[name], viewers[name]) for name in scripts]:
            f.result()
    honest(viewers["honest-1"])        # the same viewer again within the hour: not counted
    return viewers


def check(viewers: dict, rows, catalog_views: int) -> None:
    """`rows(sql)` answers a query on the catalog's database as rows of text."""
    def one(sql: str) -> int:
        r = rows(sql)
        return int(r[0][0]) if r and r[0][0] is not None else 0

    hourly = ("plays", "views", "dnt_views", "watch_ms", "completions", "stalls",
              "startup_sum_ms", "startup_count", "first_frames", "exits_before_start",
              "failures", "upscaled_ms", "sized_watch_ms", "nominal_bits")
    got = dict(zip(hourly, (int(x) for x in rows(
        "SELECT " + ", ".join(f"SUM({c})" for c in hourly) + " FROM audience_hourly")[0])))
    # Counted plays: honest x3, seeker, cheater, replayer, burster, DNT, honest-1 again.
    # Views: honest x3, seeker, replayer, DNT (the cheater is implausible, the burster never
    # played, honest-1's second view falls in the same hour; the bot and the owner never count).
    assert got == {
        "plays": 9, "views": 6, "dnt_views": 1,
        "watch_ms": 10_000 * 3 + 13_000 + 10_000 + 10_000 + 10_000,
        "completions": 0, "stalls": 0,
        "startup_sum_ms": 300 * 6 + 500, "startup_count": 7, "first_frames": 7,
        "exits_before_start": 1, "failures": 0,
        "upscaled_ms": 10_000 * 5, "sized_watch_ms": 10_000 * 5,
        "nominal_bits": 800_000 * 10 * 5,
    }, got
    assert catalog_views == 6
    assert one("SELECT COUNT(*) FROM view_sessions") == 11
    assert one("SELECT COUNT(*) FROM view_sessions WHERE bot = 1") == 1
    assert one("SELECT COUNT(*) FROM view_sessions WHERE owner = 1") == 1
    assert one("SELECT COUNT(*) FROM view_sessions WHERE implausible = 1") == 1
    assert one("SELECT COUNT(*) FROM view_sessions WHERE counted = 1") == 6
    assert one("SELECT COUNT(*) FROM view_sessions WHERE qualified = 1") == 9
    assert one("SELECT credited_ms FROM view_sessions WHERE implausible = 1") == 0
    # DNT: counted, but no viewer key and nothing below the country.
    assert rows("SELECT viewer_key, referrer_host, counted FROM view_sessions WHERE dnt = 1") \
        == [("", "", "1")]
    assert one("SELECT COUNT(*) FROM view_sessions WHERE dnt = 0 AND viewer_key = ''") == 0
    # Distinct viewers of the day: honest x3, seeker, cheater, replayer, burster (DNT, bot and
    # the owner have none in the rollup); honest-1's two views are one viewer.
    assert one("SELECT COUNT(*) FROM audience_daily_viewers") == 7
    # Retention of first plays: 0-10 s is bucket 0 and 1 (9 s buckets) for the 5 ten-second
    # plays (honest x3 + replayer + DNT + honest-1 again = 6) and the seeker's 0-5 s (bucket 0)
    # and 100-105 s (bucket 11); the seeker's 0-3 s again is a re-watch of bucket 0.
    ret = {(k, int(b)): int(n) for k, b, n in rows(
        "SELECT kind, bucket, SUM(count) FROM audience_retention WHERE resolution = 'percent' "
        "GROUP BY kind, bucket")}
    assert ret == {("first", 0): 7, ("first", 1): 6, ("first", 11): 1, ("rewatch", 0): 1}, ret
    assert one("SELECT COUNT(*) FROM audience_retention WHERE resolution = 'second'") == 0
    assert one("SELECT SUM(count) FROM audience_startup_histogram WHERE le_ms = 500") == 7
    referrers = {(v, int(p)) for v, p in rows(
        "SELECT value, SUM(plays) FROM audience_dimension_daily WHERE dimension = 'referrer' "
        "GROUP BY value")}
    assert referrers == {("news.example.org", 8), ("", 1)}, referrers
    # The replay answered 202 {"accepted": 0}; the burst met 429 with Retry-After.
    burst = [r.status for r in viewers["burster"].answers]
    assert 429 in burst and 202 in burst, burst
    limited = next(r for r in viewers["burster"].answers if r.status == 429)
    assert int(limited.headers.get("Retry-After", "0")) >= 1
    assert one("SELECT max_seq FROM view_sessions WHERE view_id IN (SELECT view_id FROM "
               "view_sessions WHERE credited_ms = 0 AND implausible = 0 AND first_frame = 0)") \
        == burst.count(202) - 1


def bad_batches_change_nothing(client: Client, video_id: str, rows) -> None:
    before = rows("SELECT COUNT(*), COALESCE(SUM(max_seq), 0) FROM view_sessions")
    bad = [
        b"{not json",
        json.dumps({"v": 1, "video_id": video_id, "view_id": "x" * 20, "duration": 10,
                    "events": [{"seq": 0, "type": "dance", "t": 0, "playhead": 0}]}).encode(),
        json.dumps({"v": 1, "video_id": video_id, "view_id": "y" * 20, "duration": 10,
                    "events": [{"seq": 0, "type": "viewstart", "t": 0, "playhead": 0},
                               {"seq": 1, "type": "heartbeat", "t": 1, "playhead": 0,
                                "ranges": [[5, 4]]}]}).encode(),
    ]
    for body in bad:
        resp = client.post(BEACON, body, headers={"Content-Type": "application/json",
                                                  "User-Agent": "Mozilla/5.0 bad"})
        api.assert_problem(resp, 400)
    too_big = b'{"v":1,"pad":"' + b"x" * (70 * 1024) + b'"}'
    assert client.post(BEACON, too_big, headers={"Content-Type": "text/plain"}).status == 413
    unknown = json.dumps({"v": 1, "video_id": str(uuid.uuid4()), "view_id": "z" * 20,
                          "duration": 10, "events": [
                              {"seq": 0, "type": "viewstart", "t": 0, "playhead": 0}]}).encode()
    api.assert_problem(client.post(BEACON, unknown, headers={"Content-Type": "text/plain"}), 404)
    assert rows("SELECT COUNT(*), COALESCE(SUM(max_seq), 0) FROM view_sessions") == before


# -- embedded ---------------------------------------------------------------------------------

def test_scripted_viewers_embedded(server_factory, long_video):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "on", "KINORA_RATE_BEACON": "40"})
    video = api.upload_ok(srv.client, long_video, filename="long.mp4", title="long")
    vid = video["video_id"]
    anonymous = Client(HOST, srv.port)
    owner = {"Authorization": auth.admin(srv).headers["Authorization"]}
    viewers = run_script(vid, [anonymous], owner)

    db = srv.data_dir / "catalog.db"

    def rows(sql: str):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return [tuple("" if v is None else str(v) for v in r) for r in conn.execute(sql)]

    check(viewers, rows, api.get_video(srv.client, vid)["views"])
    bad_batches_change_nothing(anonymous, vid, rows)


# -- split on PostgreSQL, two analytics replicas ----------------------------------------------

def test_scripted_viewers_split_on_postgres(server_factory, long_video, kinora_bin, tmp_path):
    with peers.running(["postgres"]) as found:
        pg = found["postgres"]
        srv = server_factory.start(env={"KINORA_DB": pg.url})   # uploads into the same catalog
        video = api.upload_ok(srv.client, long_video, filename="long.mp4", title="long")
        vid = video["video_id"]
        owner = {"Authorization": auth.admin(srv).headers["Authorization"]}
        env = base_env({"KINORA_DB": pg.url, "KINORA_RATE_LIMIT": "on",
                        "KINORA_RATE_BEACON": "40",
                        "KINORA_STORAGE": f"file://{srv.data_dir / 'objects'}"})
        replicas = [RoleProcess(kinora_bin, "analytics", f"analytics-{n}", env, tmp_path).start()
                    for n in (1, 2)]
        try:
            for r in replicas:
                r.wait_ready()
            # Every viewer's batches alternate between the replicas; each replica limits its own
            # share, so the burst below needs twice as many batches to meet a 429.
            viewers = run_script(vid, [Client(HOST, r.port) for r in replicas], owner)

            def rows(sql: str):
                return [tuple("" if v is None else v for v in r) for r in pg.query(sql)]

            check(viewers, rows, api.get_video(srv.client, vid)["views"])
            bad_batches_change_nothing(Client(HOST, replicas[0].port), vid, rows)
        finally:
            for r in replicas:
                r.stop()
