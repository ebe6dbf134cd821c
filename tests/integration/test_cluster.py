"""Split mode on loopback: every role as its own process, on the scale-out engines.

s3rver (S3), fauxqs (SQS) and PostgreSQL start as throw-away peers (tests/peers); then two
gateways, one uploader, two processors and two analytics processes, each a real `kinora`
process configured only through the environment, as on Kubernetes. The tests upload through
both gateways, see both processors take jobs, read from either analytics, SIGKILL a processor
mid-job and see the job finish on the other, count views arriving through both gateways at
once, and stream a 300 MB upload through a gateway while sampling its memory. Every role
authenticates against the catalog database (docs/auth.md, split mode): uploads and likes carry
credentials the gateway forwards untouched, and metrics are read on each role's internal
listener (KINORA_INTERNAL_LISTEN).
"""
from __future__ import annotations

import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from harness import api, auth, processing
from harness.client import Client
from harness.cluster import RoleProcess, make_queue, peers, split_env
from harness.server import HOST


@pytest.fixture(scope="module")
def cluster(kinora_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    with peers.running(["s3", "sqs", "postgres"]) as p:
        s3, sqs, pg = p["s3"], p["sqs"], p["postgres"]
        queue_url = make_queue(sqs.endpoint)
        env = split_env(p, queue_url)
        roles: list[RoleProcess] = []

        def role(kind: str, name: str, **extra) -> RoleProcess:
            r = RoleProcess(kinora_bin, kind, name, {**env, **extra}, root)
            roles.append(r)
            return r

        try:
            # The catalog migrates on first open: start one role alone, then the rest together.
            a1 = role("analytics", "analytics-1").start()
            a1.wait_ready()
            a2 = role("analytics", "analytics-2").start()
            up = role("uploader", "uploader-1").start()
            p1 = role("processor", "processor-1").start()
            # The queue named by its own URL, as ARCHITECTURE.md allows.
            p2 = role("processor", "processor-2", KINORA_QUEUE=queue_url).start()
            g1 = role("gateway", "gateway-1", KINORA_UPLOADER_URL=up.url,
                      KINORA_ANALYTICS_URL=a1.url).start()
            g2 = role("gateway", "gateway-2", KINORA_UPLOADER_URL=up.url,
                      KINORA_ANALYTICS_URL=a2.url).start()
            for r in roles:
                r.wait_ready()
            yield SimpleNamespace(a1=a1, a2=a2, up=up, p1=p1, p2=p2, g1=g1, g2=g2, roles=roles,
                                  s3=s3, sqs=sqs, pg=pg, videos=[])
        finally:
            for r in roles:
                r.stop()


@pytest.fixture(autouse=True)
def show_logs_on_failure(request, cluster):
    yield
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        for r in cluster.roles:
            print(f"--- {r.name} ---\n{r.log_tail()}")


def test_every_role_is_healthy_ready_and_measured(cluster):
    admin = auth.admin(cluster.g1)   # signed in through a gateway; every role knows the token
    for r in cluster.roles:
        health = r.client.get("/health")
        assert health.status == 200 and health.json()["role"] == r.role, (r.name, health)
        ready = r.client.get("/ready")
        assert ready.status == 200, (r.name, ready)
        metrics = r.internal_client.get("/metrics")
        assert metrics.status == 200 and b"kinora_http_requests_total" in metrics.body, r.name
        api.assert_problem(r.client.get("/metrics"), 401)
        metrics = r.client.get("/metrics", headers=admin.headers)
        assert metrics.status == 200 and b"kinora_http_requests_total" in metrics.body, \
            (r.name, metrics)
    # The gateway reaches storage and the catalog database (media generations, sessions) itself;
    # the queue only through the other roles.
    assert set(cluster.g1.client.get("/ready").json()["checks"]) == {"storage", "catalog"}


def test_uploads_through_both_gateways_are_processed_by_both_processors(cluster, media):
    clips = [(cluster.g1, "mp4"), (cluster.g2, "mov"), (cluster.g1, "webm"), (cluster.g2, "mkv"),
             (cluster.g1, "avi"), (cluster.g2, "m4v")]
    with ThreadPoolExecutor(len(clips)) as pool:
        uploaded = list(pool.map(
            lambda c: api.upload_ok(c[0].client, media.clip(c[1]), filename=f"split.{c[1]}"),
            clips))
    for video in uploaded:
        done, _ = processing.wait_settled(cluster.g1.client, video["video_id"], timeout=240)
        assert done["status"] == "PROCESSED", (done["status"], done.get("error"))
        # Either analytics, through either gateway, tells the same story.
        other = api.get_video(cluster.g2.client, video["video_id"])
        assert (other["status"], other["hls_url"] is not None) == ("PROCESSED", True)
        cluster.videos.append(video["video_id"])
    processed = [p.metric("kinora_jobs_total", 'outcome="processed"')
                 for p in (cluster.p1, cluster.p2)]
    assert sum(processed) == len(clips), processed
    assert all(n >= 1 for n in processed), f"one processor took every job: {processed}"

    # With the objects in S3, media still comes through the gateway's /media/ (a presigned S3
    # URL could not be revoked: docs/auth.md, protected media): the MP4, the pictures, the
    # playlists and, rewritten into them, every init segment and segment. No URL names the S3
    # endpoint.
    video = api.get_video(cluster.g2.client, cluster.videos[0])
    for field, kind in (("thumbnail_url", "image/jpeg"), ("video_url", "video/mp4"),
                        ("poster_url", "image/jpeg")):
        assert video[field].startswith("/media/"), (field, video[field])
        assert cluster.s3.endpoint not in video[field] and "X-Amz-" not in video[field]
        resp = api.media_get(cluster.g1.client, video[field])
        assert resp.status == 200 and resp.content_type == kind, (field, resp)
    assert video["hls_url"].startswith("/media/"), video["hls_url"]
    master = api.media_get(cluster.g1.client, video["hls_url"])
    assert master.status == 200 and master.body.startswith(b"#EXTM3U"), master
    variant_uri = next(l for l in master.body.decode().splitlines() if l and l[0] != "#")
    assert variant_uri.startswith("/media/"), variant_uri  # playlists stay on the gateway
    variant = api.media_get(cluster.g1.client, variant_uri)
    assert variant.status == 200, variant
    lines = variant.body.decode().splitlines()
    init = re.search(r'URI="([^"]+)"', next(l for l in lines if l.startswith("#EXT-X-MAP")))[1]
    segment = next(l for l in lines if l and l[0] != "#")
    for url in (init, segment):
        assert url.startswith("/media/") and cluster.s3.endpoint not in url, url
        resp = api.media_get(cluster.g2.client, url)
        assert resp.status == 200 and len(resp.body) > 0, (url, resp)
    # (s3rver serves unsigned requests, so the bucket's privacy itself is not checked here.)
    assert cluster.s3.endpoint.encode() not in master.body + variant.body
    listing = api.list_videos(cluster.g1.client, limit=100)
    assert listing["total"] == len(clips)


def test_a_job_whose_processor_is_killed_finishes_on_the_other(cluster, media):
    video = api.upload_ok(cluster.g1.client, media.clip("long"), filename="long.mp4")
    vid = video["video_id"]
    deadline = time.monotonic() + 60
    victim = None
    while time.monotonic() < deadline and victim is None:
        for p in (cluster.p1, cluster.p2):
            if p.metric("kinora_jobs_running") >= 1:
                victim = p
        time.sleep(0.1)
    assert victim is not None, "no processor started the job"
    assert api.get_video(cluster.g1.client, vid)["status"] in ("UPLOADED", "PROCESSING")
    victim.stop(signal.SIGKILL)
    survivor = cluster.p2 if victim is cluster.p1 else cluster.p1
    done, history = processing.wait_settled(cluster.g2.client, vid, timeout=300)
    assert done["status"] == "PROCESSED", (done["status"], done.get("error"), history)
    assert survivor.metric("kinora_jobs_total", 'outcome="processed"') >= 1
    cluster.videos.append(vid)


def test_views_through_both_gateways_at_once_are_counted_exactly(cluster):
    vid = cluster.videos[0]
    before = api.get_video(cluster.g1.client, vid)
    per_thread, threads = 60, 4
    # One like per user and video: each like comes from its own user, signed in on g1 and
    # liking through whichever gateway its thread uses.
    fans = auth.many_users(cluster.g1, "fan", per_thread * threads)

    def hammer(gateway, mine):
        client = gateway.client
        for fan in mine:
            # Each view from its own viewer (User-Agent): a viewer counts once an hour.
            viewer = {"User-Agent": f"cluster-viewer-{fan.username}"}
            assert client.post(api.view_path(vid), headers=viewer).status == 200
            resp = client.post(api.like_path(vid), headers=fan.headers)
            assert resp.status == 200, resp

    gateways = [cluster.g1, cluster.g2] * (threads // 2)
    workers = [threading.Thread(target=hammer,
                                args=(g, fans[i * per_thread:(i + 1) * per_thread]))
               for i, g in enumerate(gateways)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for gateway in (cluster.g1, cluster.g2):
        after = api.get_video(gateway.client, vid)
        assert after["views"] == before["views"] + per_thread * threads, after["views"]
        assert after["likes"] == before["likes"] + per_thread * threads, after["likes"]


def test_an_unchanged_listing_revalidates_with_304_through_the_gateway(cluster, media):
    """The listing's ETag (docs/decisions.md) passes the gateway both ways: If-None-Match of an
    unchanged page gets a 304 without a body; a counted view changes a listed row, so a new page."""
    client = cluster.g1.client
    if not cluster.videos:   # run alone; processing would change the row in between
        uploaded = api.upload_ok(client, media.clip("mp4"), filename="etag.mp4")["video_id"]
        processing.wait_settled(client, uploaded, timeout=240)
        cluster.videos.append(uploaded)
    vid = cluster.videos[0]
    first = client.get(api.VIDEOS, params={"limit": 50})
    assert first.status == 200, first
    assert vid in [v["video_id"] for v in first.json()["videos"]], first
    tag = first.header("ETag")
    assert tag and tag.startswith('"'), first.headers
    assert first.header("Cache-Control") == "private, no-cache", first.headers
    again = client.get(api.VIDEOS, params={"limit": 50}, headers={"If-None-Match": tag})
    assert again.status == 304 and again.body == b"", again
    assert again.header("ETag") == tag, again.headers
    assert client.post(api.view_path(vid), headers={"User-Agent": "etag-viewer"}).status == 200
    changed = client.get(api.VIDEOS, params={"limit": 50}, headers={"If-None-Match": tag})
    assert changed.status == 200, changed
    assert changed.header("ETag") not in (None, tag), changed.headers


def kept_answers(gateway) -> int:
    """The gateway's count of listing pages it answered as kept."""
    text = gateway.internal_client.get("/metrics").body.decode()
    m = re.search(r"^kinora_gateway_listing_pages_kept_total (\d+)", text, re.M)
    return int(m.group(1)) if m else 0


def test_the_gateway_answers_an_anonymous_listing_as_kept_until_the_catalog_changes(cluster, media):
    """docs/decisions.md, "Kept at the gateway": an anonymous page is answered by the gateway
    while its catalog reads unchanged; a write through another gateway and analytics role shows
    in the very next page; signed-in callers are always forwarded."""
    client = cluster.g1.client
    if not cluster.videos:
        uploaded = api.upload_ok(client, media.clip("mp4"), filename="kept.mp4")["video_id"]
        processing.wait_settled(client, uploaded, timeout=240)
        cluster.videos.append(uploaded)
    vid = cluster.videos[0]
    params = {"limit": 49, "sort_by": "views"}
    # A page read twice with nothing written in between is answered as kept the second time (a
    # role's background write between the two reads a new one: try again).
    for _ in range(20):
        before = kept_answers(cluster.g1)
        first = client.get(api.VIDEOS, params=params)
        again = client.get(api.VIDEOS, params=params)
        assert first.status == 200 and again.status == 200, (first, again)
        if kept_answers(cluster.g1) > before and again.body == first.body:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the gateway never answered an unchanged page as kept")
    assert again.header("ETag") == first.header("ETag"), again.headers
    assert again.header("Cache-Control") == "private, no-cache", again.headers
    assert again.header("Content-Type") == "application/json", again.headers
    assert again.header("Kinora-Same-Until") is None, again.headers
    revalidated = client.get(api.VIDEOS, params=params,
                             headers={"If-None-Match": first.header("ETag")})
    assert revalidated.status == 304 and revalidated.body == b"", revalidated
    # A view counted through the other gateway and analytics role: the next page has it.
    views = {v["video_id"]: v["views"] for v in first.json()["videos"]}
    assert vid in views, first.json()
    viewer = {"User-Agent": "kept-listing-viewer"}
    assert cluster.g2.client.post(api.view_path(vid), headers=viewer).status == 200
    after = client.get(api.VIDEOS, params=params)
    assert after.status == 200, after
    assert {v["video_id"]: v["views"] for v in after.json()["videos"]}[vid] == views[vid] + 1
    assert after.header("ETag") != first.header("ETag"), after.headers
    # With credentials (the gateway does not check them): the analytics role answers, every time.
    admin = auth.admin(cluster.g1)
    before = kept_answers(cluster.g1)
    for headers in [admin.headers] * 3 + [{"Cookie": "theme=dark; kinora_session=stale"}] * 2:
        mine = client.get(api.VIDEOS, params=params, headers=headers)
        assert mine.status == 200, mine
    assert kept_answers(cluster.g1) == before


def test_a_300_mb_upload_streams_through_the_gateway_in_constant_memory(cluster, media):
    big = media.big(seed=7, size=300 * 1024 * 1024)
    gateway = cluster.g2
    baseline = gateway.rss_kib()
    samples: list[int] = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(gateway.rss_kib())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        t0 = time.monotonic()
        video = api.upload_ok(Client(HOST, gateway.port, timeout=600), big, filename="big.mp4")
        seconds = time.monotonic() - t0
    finally:
        done.set()
        sampler.join()
    growth_mib = (max(samples) - baseline) / 1024
    print(f"300 MB through the gateway in {seconds:.1f} s; RSS {baseline / 1024:.1f} MiB before, "
          f"{max(samples) / 1024:.1f} MiB peak over {len(samples)} samples")
    assert video["size"] == big.stat().st_size
    assert growth_mib < 32, f"gateway RSS grew by {growth_mib:.1f} MiB during a 300 MB upload"
