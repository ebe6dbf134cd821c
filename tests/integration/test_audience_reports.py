"""The audience reports API (docs/analytics.md "API") over scripted audience data: every
endpoint's figures checked exactly against values worked out by hand from the rows, plus who may
see what (anonymous 401, another user 404, the owner and admins 200), bad ranges (400) and the
CSV/NDJSON export.

The rows are written straight into the audience tables of the server's catalog database, as
ingest would have left them (kinora/audience/schema.h documents every column), so these figures
depend on the reports alone; the beacon tests check that ingest writes these rows."""
from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
import time
from datetime import datetime, timezone

import pytest

from harness import api, auth

REPORTS = "/api/analytics/videos/{}/{}"
RANGE = {"from": "2026-11-01", "to": "2026-11-30"}   # [11-01, 12-01): 30 days
STARTUP_BOUNDS = [100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 20000]
INF = 2_147_483_647


def ts(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


H1, H2, H0 = ts("2026-11-02T10:00:00Z"), ts("2026-11-03T15:00:00Z"), ts("2026-10-20T08:00:00Z")
D1, D2 = ts("2026-11-02T00:00:00Z"), ts("2026-11-03T00:00:00Z")


def percentile(counts: dict[int, int], q: float) -> float | None:
    """The documented interpolation over fixed bounds (independent of the server's code)."""
    total = sum(counts.values())
    if not total:
        return None
    rank, below = q * total, 0
    for i, bound in enumerate(STARTUP_BOUNDS + [INF]):
        c = counts.get(bound, 0)
        if c and below + c >= rank:
            if bound == INF:
                return STARTUP_BOUNDS[-1]
            lo = STARTUP_BOUNDS[i - 1] if i else 0
            return lo + (bound - lo) * (rank - below) / c
        below += c
    return STARTUP_BOUNDS[-1]


def insert(db, table: str, **cols):
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(cols.values()))


HOURLY_COUNTERS = ("plays", "views", "dnt_views", "watch_ms", "completions", "stalls", "stall_ms",
                   "startup_sum_ms", "startup_count", "first_frames", "exits_before_start",
                   "failures", "rendition_switches", "nominal_bits", "bitrate_watch_ms",
                   "upscaled_ms", "sized_watch_ms", "viewed_ppm_sum", "bytes", "download_ms")


def site_rollups(db):
    """What ingest writes beside the per-video rows: the site's sums of them."""
    cols = ", ".join(HOURLY_COUNTERS)
    sums = ", ".join(f"SUM({c})" for c in HOURLY_COUNTERS)
    db.execute("DELETE FROM audience_site_hourly")
    db.execute(f"INSERT INTO audience_site_hourly (hour_start, {cols}) "
               f"SELECT hour_start, {sums} FROM audience_hourly GROUP BY hour_start")
    db.execute("DELETE FROM audience_site_concurrency")
    db.execute("INSERT INTO audience_site_concurrency (minute_start, viewers) SELECT minute_start, "
               "SUM(viewers) FROM audience_concurrency GROUP BY minute_start")
    db.execute("DELETE FROM audience_site_startup")
    db.execute("INSERT INTO audience_site_startup (hour_start, le_ms, count) SELECT hour_start, "
               "le_ms, SUM(count) FROM audience_startup_histogram GROUP BY hour_start, le_ms")


@pytest.fixture(scope="module")
def world(module_server_factory, media):
    srv = module_server_factory.start()
    admin = srv.admin
    alice = auth.new_user(srv, "alice-reports")
    bob = auth.new_user(srv, "bob-reports")
    v1 = api.upload_ok(alice.client, media.clip("mp4"), filename="a.mp4", title="alice's clip")
    v2 = api.upload_ok(bob.client, media.clip("mp4"), filename="b.mp4", title="bob's clip")
    # Any reports call makes sure the audience tables exist before the rows go in.
    assert admin.get("/api/analytics/realtime").status == 200
    now_ms = int(time.time() * 1000)
    db = sqlite3.connect(srv.catalog_db, timeout=30)
    with db:
        a, b = v1["video_id"], v2["video_id"]
        insert(db, "audience_hourly", video_id=a, hour_start=H1, plays=3, views=2, dnt_views=1,
               watch_ms=45000, completions=1, stalls=2, stall_ms=5000, startup_sum_ms=900,
               startup_count=3, first_frames=3, failures=1, rendition_switches=3,
               nominal_bits=90_000_000, bitrate_watch_ms=45000, upscaled_ms=9000,
               sized_watch_ms=45000, viewed_ppm_sum=1_500_000)
        insert(db, "audience_hourly", video_id=a, hour_start=H2, plays=2, views=1, watch_ms=15000,
               first_frames=1, startup_count=1, startup_sum_ms=900, exits_before_start=1,
               viewed_ppm_sum=500_000)
        insert(db, "audience_hourly", video_id=a, hour_start=H0, plays=5, views=4,
               watch_ms=100000)
        insert(db, "audience_hourly", video_id=b, hour_start=H1, plays=1, views=1, watch_ms=1000)
        for le, n, hour in ((250, 2, H1), (500, 1, H1), (1000, 1, H2)):
            insert(db, "audience_startup_histogram", video_id=a, hour_start=hour, le_ms=le,
                   count=n)
        for day, viewers in ((D1, 2), (D2, 1)):
            insert(db, "audience_daily_unique", video_id=a, day_start=day, viewers=viewers)
        for kind, res, bucket, n in (("first", "percent", 0, 3), ("first", "percent", 1, 3),
                                     ("first", "percent", 50, 2), ("first", "percent", 99, 1),
                                     ("rewatch", "percent", 10, 2), ("first", "second", 0, 3),
                                     ("first", "second", 1, 2)):
            insert(db, "audience_retention", video_id=a, day_start=D1, kind=kind,
                   resolution=res, bucket=bucket, count=n)
        for day, value, plays, views, watch in ((D1, "FR", 2, 1, 30000), (D1, "DE", 1, 1, 15000),
                                                (D2, "FR", 2, 1, 15000)):
            insert(db, "audience_dimension_daily", video_id=a, day_start=day,
                   dimension="country", value=value, plays=plays, views=views, watch_ms=watch)
        # Realtime: two open views of alice's video now, one ended, one silent for a minute, a bot.
        # "Now" is an hour ahead, so the open views are still live whenever the test runs.
        for i, extra in enumerate(({}, {}, {"ended": 1}, {"last_seen_at": now_ms - 60000},
                                   {"bot": 1})):
            insert(db, "view_sessions", **{"view_id": f"live-view-{i:012d}", "video_id": a,
                                           "started_at": now_ms - 90000,
                                           "last_seen_at": now_ms + 3_600_000, **extra})
        minute = (now_ms // 1000) // 60 * 60
        insert(db, "audience_concurrency", video_id=a, minute_start=minute, viewers=3)
        # Sessions in the range, for the export.
        for i, (video, started, extra) in enumerate((
                (a, H1 * 1000 + 1000, {"credited_ms": 20000, "first_frame": 1, "startup_ms": 200,
                                       "country": "FR", "referrer_host": "=evil.example",
                                       "viewer_key": "c" * 32, "qualified": 1, "counted": 1}),
                (a, H1 * 1000 + 2000, {"credited_ms": 25000, "first_frame": 1, "dnt": 1}),
                (a, H2 * 1000, {"exited_before_start": 1, "finalised_at": H2 * 1000 + 5000}),
                (b, H1 * 1000, {"credited_ms": 1000}))):
            insert(db, "view_sessions", **{"view_id": f"range-view-{i:012d}", "video_id": video,
                                           "started_at": started, "last_seen_at": started,
                                           **extra})
        site_rollups(db)
    db.close()
    return {"srv": srv, "admin": admin, "alice": alice, "bob": bob, "v1": v1, "v2": v2,
            "anonymous": auth.anonymous(srv), "now_ms": now_ms}


def get_ok(caller, path, **params):
    resp = caller.get(path, params=params or None)
    assert resp.status == 200, resp
    return resp


def report(w, name, who="alice", **params):
    return get_ok(w[who], REPORTS.format(w["v1"]["video_id"], name), **params).json()


# -- figures --------------------------------------------------------------------------------

def test_overview_and_previous_period(world):
    o = report(world, "overview", **RANGE)
    assert (o["from"], o["to"]) == ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")
    assert (o["plays"], o["views"]) == (5, 3)
    assert o["unique_viewers"] == 3 + 1            # distinct keys per day + counted DNT views
    assert o["watch_time_seconds"] == 60
    assert o["avg_view_duration_seconds"] == 12
    assert o["avg_percentage_viewed"] == pytest.approx(0.4)
    assert o["completion_rate"] == pytest.approx(0.2)
    assert o["rebuffer_percentage"] == pytest.approx(5 / 65)
    startup = {250: 2, 500: 1, 1000: 1}
    assert o["startup_time_ms_p50"] == pytest.approx(percentile(startup, 0.5)) == 250
    assert o["startup_time_ms_p95"] == pytest.approx(percentile(startup, 0.95)) == 950
    assert o["likes"] == world["v1"]["likes"] == 0
    p = o["previous"]
    assert (p["from"], p["to"]) == ("2026-10-02T00:00:00Z", "2026-11-01T00:00:00Z")
    assert (p["plays"], p["views"], p["watch_time_seconds"], p["unique_viewers"]) == (5, 4, 100, 0)
    assert p["startup_time_ms_p50"] is None


def test_timeseries_every_interval_present(world):
    t = report(world, "timeseries/watch_time_seconds", interval="day", **RANGE)
    assert (t["metric"], t["interval"]) == ("watch_time_seconds", "day")
    assert len(t["points"]) == 30
    values = {p["t"]: p["value"] for p in t["points"]}
    assert values["2026-11-02T00:00:00Z"] == 45 and values["2026-11-03T00:00:00Z"] == 15
    assert sum(values.values()) == 60
    hourly = report(world, "timeseries/plays", interval="hour", **RANGE)["points"]
    assert len(hourly) == 30 * 24
    assert [p for p in hourly if p["value"]] == [{"t": "2026-11-02T10:00:00Z", "value": 3},
                                                 {"t": "2026-11-03T15:00:00Z", "value": 2}]
    uv = {p["t"]: p["value"] for p in report(world, "timeseries/unique_viewers", **RANGE)["points"]}
    assert (uv["2026-11-02T00:00:00Z"], uv["2026-11-03T00:00:00Z"]) == (3, 1)
    p50 = {p["t"]: p["value"]
           for p in report(world, "timeseries/startup_time_ms_p50", **RANGE)["points"]}
    assert p50["2026-11-02T00:00:00Z"] == pytest.approx(percentile({250: 2, 500: 1}, 0.5))
    assert p50["2026-11-03T00:00:00Z"] == pytest.approx(percentile({1000: 1}, 0.5))
    views = report(world, "timeseries/views", **RANGE)["points"]
    assert sum(p["value"] for p in views) == 3


def test_retention(world):
    r = report(world, "retention", **RANGE)
    assert r["plays"] == 4                      # plays with a first frame
    assert len(r["points"]) == 100 and len(r["rewatch_points"]) == 100
    assert (r["points"][0], r["points"][1], r["points"][50], r["points"][99]) == (0.75, 0.75,
                                                                                0.5, 0.25)
    assert sum(r["points"]) == pytest.approx(0.75 + 0.75 + 0.5 + 0.25)
    assert r["rewatch_points"][10] == 0.5 and sum(r["rewatch_points"]) == 0.5
    video = api.get_video(world["alice"].client, world["v1"]["video_id"])
    duration = video.get("duration_seconds") or 0
    assert r["duration_seconds"] == pytest.approx(duration)
    if 0 < duration <= 600:
        assert len(r["seconds"]) == math.ceil(duration)
        assert r["seconds"][0] == 0.75
        if len(r["seconds"]) > 1:
            assert r["seconds"][1] == 0.5
    else:
        assert r["seconds"] is None


def test_breakdown(world):
    b = report(world, "breakdown/country", **RANGE)
    assert b["items"] == [
        {"value": "FR", "plays": 4, "views": 2, "watch_time_seconds": 45},
        {"value": "DE", "plays": 1, "views": 1, "watch_time_seconds": 15}]
    assert report(world, "breakdown/device", **RANGE)["items"] == []


def test_qoe_figures_and_mux_scores(world):
    q = report(world, "qoe", **RANGE)
    assert (q["plays"], q["exits_before_start"], q["playback_failures"]) == (5, 1, 1)
    assert q["playback_failure_percentage"] == pytest.approx(0.2)
    assert q["rebuffer_percentage"] == pytest.approx(5 / 65)
    assert q["rebuffer_frequency"] == pytest.approx(2.0)   # 2 stalls in one minute watched
    assert q["rendition_switches"] == pytest.approx(0.6)
    assert q["avg_bitrate"] == pytest.approx(2_000_000)
    assert q["upscale_percentage"] == pytest.approx(0.2)
    hist = {(h["le_ms"]): h["count"] for h in q["startup_histogram"]}
    assert list(hist)[-1] == "+Inf" and len(hist) == 13
    assert (hist[250], hist[500], hist[1000], sum(hist.values())) == (2, 1, 1, 4)
    s = q["scores"]
    success = (100 * 3 + 50 * 1) / 5
    mids = [175, 175, 375, 875]
    startup = sum(100 * 8 / (8 + m / 1000) for m in mids) / 4
    smooth = (100 / math.sqrt(1 + (0.5 / 2) ** 2) + 100 * math.exp(-10 * 5 / 65)) / 2
    quality = 100 * math.exp(-0.33 * (0.15 * 0.2 + 0.85 * 0.2))
    tradeoff = lambda a, wa, b, wb: (wa * a + wb * b) / (wa + wb)
    overall = success / 100 * (tradeoff(smooth, 3, quality, 1) + tradeoff(smooth, 3, startup, 2)
                               + tradeoff(startup, 2, quality, 1)) / 3
    assert s["playback_success"] == pytest.approx(success)
    assert s["startup"] == pytest.approx(startup)
    assert s["smoothness"] == pytest.approx(smooth)
    assert s["video_quality"] == pytest.approx(quality)
    assert s["overall"] == pytest.approx(overall)


def test_realtime_over_the_callers_videos(world):
    mine = get_ok(world["alice"], "/api/analytics/realtime").json()
    assert mine["viewers_now"] == 2 and mine["peak_today"] == 3
    assert mine["videos"] == [{"video_id": world["v1"]["video_id"], "title": "alice's clip",
                               "viewers": 2}]
    bobs = get_ok(world["bob"], "/api/analytics/realtime").json()
    assert (bobs["viewers_now"], bobs["peak_today"], bobs["videos"]) == (0, 0, [])
    site = get_ok(world["admin"], "/api/analytics/realtime").json()
    assert (site["viewers_now"], site["peak_today"]) == (2, 3)


def test_site_and_owner_overview(world):
    mine = get_ok(world["alice"], "/api/analytics/overview", **RANGE).json()
    assert (mine["plays"], mine["views"], mine["watch_time_seconds"]) == (5, 3, 60)
    assert mine["owner"] == world["alice"].user_id
    assert mine["top_videos"] == [{"video_id": world["v1"]["video_id"], "title": "alice's clip",
                                   "views": 3, "watch_time_seconds": 60}]
    site = get_ok(world["admin"], "/api/analytics/overview", **RANGE).json()
    assert (site["plays"], site["watch_time_seconds"], site["owner"]) == (6, 61, None)
    assert [v["video_id"] for v in site["top_videos"]] == [world["v1"]["video_id"],
                                                           world["v2"]["video_id"]]
    one = get_ok(world["admin"], "/api/analytics/overview", owner=world["bob"].user_id,
                 **RANGE).json()
    assert (one["plays"], one["watch_time_seconds"]) == (1, 1)
    api.assert_problem(world["alice"].get("/api/analytics/overview",
                                          params={"owner": world["bob"].user_id}), 404)


# -- export ---------------------------------------------------------------------------------

def test_export_csv_and_ndjson(world):
    resp = get_ok(world["alice"], "/api/analytics/sessions/export", format="csv", **RANGE)
    assert resp.content_type == "text/csv"
    assert "attachment" in resp.headers.get("Content-Disposition", "")
    rows = list(csv.DictReader(io.StringIO(resp.body.decode())))
    assert [r["view_id"] for r in rows] == [f"range-view-{i:012d}" for i in range(3)]
    first = rows[0]
    assert first["video_id"] == world["v1"]["video_id"]
    assert first["started_at"] == "2026-11-02T10:00:01.000Z"
    assert (first["watch_time_seconds"], first["startup_ms"], first["country"]) == ("20", "200",
                                                                                   "FR")
    assert first["referrer_host"] == "'=evil.example"   # no formula in a spreadsheet
    assert "viewer_key" not in first
    assert rows[2]["exited_before_start"] == "true"
    nd = get_ok(world["admin"], "/api/analytics/sessions/export", format="ndjson", **RANGE)
    assert nd.content_type == "application/x-ndjson"
    lines = [json.loads(line) for line in nd.body.decode().splitlines()]
    # In (started_at, view_id) order: bob's view started first.
    assert [x["view_id"] for x in lines] == [f"range-view-{i:012d}" for i in (3, 0, 1, 2)]
    assert lines[2]["dnt"] is True and lines[1]["watch_time_seconds"] == 20
    one = get_ok(world["admin"], "/api/analytics/sessions/export", format="ndjson",
                 video_id=world["v2"]["video_id"], **RANGE).body.decode().splitlines()
    assert len(one) == 1
    api.assert_problem(world["alice"].get("/api/analytics/sessions/export", params={
        "video_id": world["v2"]["video_id"], **RANGE}), 404)


# -- who may see what, and bad input ---------------------------------------------------------

@pytest.mark.parametrize("name", ["overview", "timeseries/plays", "retention",
                                  "breakdown/country", "qoe"])
def test_a_videos_reports_are_for_its_owner_moderators_and_admins(world, name):
    path = REPORTS.format(world["v1"]["video_id"], name)
    api.assert_problem(world["anonymous"].get(path), 401)
    api.assert_problem(world["bob"].get(path), 404)
    assert world["alice"].get(path).status == 200
    assert world["admin"].get(path).status == 200
    no_scope = auth.create_token(world["alice"], ["videos:read"], name="no analytics")
    api.assert_problem(no_scope.get(path), 403)
    with_scope = auth.create_token(world["alice"], ["analytics:read"], name="analytics")
    assert with_scope.get(path).status == 200


@pytest.mark.parametrize("path", ["/api/analytics/realtime", "/api/analytics/overview",
                                  "/api/analytics/sessions/export"])
def test_site_reports_need_a_signed_in_caller(world, path):
    api.assert_problem(world["anonymous"].get(path), 401)


@pytest.mark.parametrize("params", [
    {"from": "2026-11-30", "to": "2026-11-01"},      # reversed
    {"from": "2025-01-01", "to": "2026-11-30"},      # over 400 days
    {"from": "yesterday"},
    {"to": "2026-13-01"},
])
def test_bad_ranges_are_400(world, params):
    for path in (REPORTS.format(world["v1"]["video_id"], "overview"), "/api/analytics/overview",
                 "/api/analytics/sessions/export"):
        api.assert_problem(world["alice"].get(path, params=params), 400)


def test_unknown_names_and_intervals(world):
    v = world["v1"]["video_id"]
    api.assert_problem(world["alice"].get(REPORTS.format(v, "timeseries/likes")), 404)
    api.assert_problem(world["alice"].get(REPORTS.format(v, "breakdown/city")), 404)
    api.assert_problem(world["alice"].get(REPORTS.format(v, "timeseries/plays"),
                                          params={"interval": "week"}), 400)
    api.assert_problem(world["alice"].get(REPORTS.format(v, "timeseries/unique_viewers"),
                                          params={"interval": "hour"}), 400)
    api.assert_problem(world["alice"].get(REPORTS.format("not-a-uuid", "overview")), 404)
