"""One checker for what must hold after any crash: the chaos tests (test_chaos.py, bench/chaos.sh)
run a workload, kill things, and then call `check()`.

The invariants:
  1. every answered write is present: an upload answered 201 has its row (unless a delete of it
     was answered 200), a delete answered 200 left nothing, an answered view or like is counted;
  2. every video reaches PROCESSED or FAILED within a time bound;
  3. catalog rows <-> originals <-> metadata mirrors agree (same ids, mirror status = row status),
     the outbox is empty and the queue holds no job;
  4. aggregates equal their rows (`/stats` totals, by status, views and likes);
  5. no temp file is left (the store's .tmp, the processor's scratch directory).

The state is read by a `Source`: `EmbeddedSource(server)` reads a `kinora serve` data directory
(catalog.db, queue.db, objects/); `ClusterSource(cluster)` reads split mode's PostgreSQL, the
s3rver bucket directory and the SQS queue's counts.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import api, auth

SETTLED = ("PROCESSED", "FAILED")


@dataclass
class Answered:
    """What the workload was told succeeded (only these are promised)."""
    uploads: set[str] = field(default_factory=set)
    deletes: set[str] = field(default_factory=set)
    tried_deletes: set[str] = field(default_factory=set)   # sent, answered or not
    views: dict[str, int] = field(default_factory=dict)   # video id -> views answered 200
    likes: dict[str, int] = field(default_factory=dict)   # answered first likes (one user each)

    def view(self, vid: str) -> None:
        self.views[vid] = self.views.get(vid, 0) + 1

    def like(self, vid: str) -> None:
        self.likes[vid] = self.likes.get(vid, 0) + 1


@dataclass
class Snapshot:
    rows: dict[str, dict]          # video id -> {"status", "views", "likes"}
    originals: set[str]            # ids with a videos/{id}.{ext}
    mirrors: dict[str, str]        # id -> status in metadata/{id}.json
    outputs: set[str]              # ids with anything under processed/{id}/ or thumbnails/
    outbox: int                    # outbox entries waiting
    queue_jobs: int                # jobs visible, in flight or delayed
    temp_files: list[str]


def _object_id(rel: str) -> tuple[str, str] | None:
    """(prefix, id) of an object key in the seed layout."""
    head, _, rest = rel.partition("/")
    if head in ("videos", "thumbnails", "metadata"):
        return head, rest.split(".", 1)[0]
    if head == "processed":
        return head, rest.split("/", 1)[0]
    return None


def _classify(keys, read_mirror) -> tuple[set[str], dict[str, str], set[str]]:
    originals, mirrors, outputs = set(), {}, set()
    for rel in keys:
        got = _object_id(rel)
        if got is None:
            continue
        prefix, vid = got
        if prefix == "videos":
            originals.add(vid)
        elif prefix == "metadata":
            try:
                mirrors[vid] = json.loads(read_mirror(rel)).get("status", "?")
            except (OSError, ValueError):
                mirrors[vid] = "unreadable"
        else:
            outputs.add(vid)
    return originals, mirrors, outputs


class EmbeddedSource:
    """A `kinora serve` data directory (SQLite catalog and queue, files store)."""

    def __init__(self, server):
        self.server = server

    def snapshot(self) -> Snapshot:
        data = Path(self.server.data_dir)
        objects = data / "objects"
        db = sqlite3.connect(f"file:{data / 'catalog.db'}?mode=ro", uri=True, timeout=10)
        try:
            rows = {vid: {"status": st, "views": v, "likes": lk} for vid, st, v, lk in
                    db.execute("SELECT video_id, status, views, likes FROM videos")}
            try:
                outbox = db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
            except sqlite3.OperationalError:   # a catalog from before the outbox
                outbox = 0
        finally:
            db.close()
        q = sqlite3.connect(f"file:{data / 'queue.db'}?mode=ro", uri=True, timeout=10)
        try:
            queue_jobs = q.execute("SELECT COUNT(*) FROM messages WHERE dead = 0").fetchone()[0]
        finally:
            q.close()
        keys = [str(p.relative_to(objects)) for p in objects.rglob("*") if p.is_file()]
        originals, mirrors, outputs = _classify(
            [k for k in keys if not k.startswith(".tmp/")],
            lambda rel: (objects / rel).read_text())
        temps = [k for k in keys if k.startswith(".tmp/")]
        work = data / "work"
        if work.is_dir():
            temps += [f"work/{name}" for name in os.listdir(work)]
        return Snapshot(rows, originals, mirrors, outputs, outbox, queue_jobs, temps)


class ClusterSource:
    """Split mode: PostgreSQL rows, the s3rver bucket on disk, SQS counts."""

    def __init__(self, cluster):
        self.cluster = cluster

    def _bucket_dir(self) -> Path:
        s3 = self.cluster.s3
        return Path(s3.dir) / "data" / s3.env["KINORA_TEST_S3_BUCKET"]

    def snapshot(self) -> Snapshot:
        pg = self.cluster.pg
        rows = {vid: {"status": st, "views": int(v), "likes": int(lk)} for vid, st, v, lk in
                pg.query("SELECT video_id, status, views, likes FROM videos")}
        outbox = int(pg.query("SELECT COUNT(*) FROM outbox")[0][0])
        bucket = self._bucket_dir()
        # s3rver keeps each object as "<key>._S3rver_object" beside its metadata files.
        suffix = "._S3rver_object"
        keys = [str(p.relative_to(bucket))[:-len(suffix)] for p in bucket.rglob("*" + suffix)]
        originals, mirrors, outputs = _classify(
            keys, lambda rel: (bucket / (rel + suffix)).read_text())
        from .cluster import sqs_call   # noqa: E402 (cluster imports the peers module)
        attrs = sqs_call(self.cluster.sqs.endpoint, "GetQueueAttributes", {
            "QueueUrl": self.cluster.env["SQS_QUEUE_URL"],
            "AttributeNames": ["ApproximateNumberOfMessages",
                               "ApproximateNumberOfMessagesNotVisible",
                               "ApproximateNumberOfMessagesDelayed"]})["Attributes"]
        queue_jobs = sum(int(v) for v in attrs.values())
        temps = []
        for role in self.cluster.roles:
            work = Path(role.data_dir) / "work"
            if work.is_dir():
                temps += [f"{role.name}/work/{n}" for n in os.listdir(work)]
        return Snapshot(rows, originals, mirrors, outputs, outbox, queue_jobs, temps)


def _quiet(s: Snapshot) -> bool:
    return (all(r["status"] in SETTLED for r in s.rows.values()) and s.outbox == 0
            and s.queue_jobs == 0 and set(s.rows) == set(s.mirrors) == s.originals
            and all(s.mirrors[v] == r["status"] for v, r in s.rows.items())
            and not s.temp_files)


def wait_quiet(source, timeout: float) -> Snapshot:
    """Polls until every video is settled and the homes agree (or the time is up); returns
    the last snapshot either way (check() says what is wrong)."""
    deadline = time.monotonic() + timeout
    while True:
        snap = source.snapshot()
        if _quiet(snap) or time.monotonic() >= deadline:
            return snap
        time.sleep(0.5)


def check(source, client, answered: Answered, timeout: float = 120.0) -> Snapshot:
    """Waits up to `timeout` for the system to settle, then asserts every invariant; returns
    the final snapshot."""
    s = wait_quiet(source, timeout)
    problems: list[str] = []

    # 1. answered writes
    for vid in answered.uploads - answered.deletes - answered.tried_deletes:
        if vid not in s.rows:
            problems.append(f"answered upload {vid} has no row")
    for vid in answered.deletes:
        for name, present in (("row", vid in s.rows), ("original", vid in s.originals),
                              ("mirror", vid in s.mirrors), ("outputs", vid in s.outputs)):
            if present:
                problems.append(f"deleted video {vid} still has its {name}")
    for vid, n in answered.views.items():
        if vid in s.rows and vid not in answered.deletes and s.rows[vid]["views"] < n:
            problems.append(f"{vid}: {n} views answered, {s.rows[vid]['views']} counted")
    for vid, n in answered.likes.items():
        if vid in s.rows and vid not in answered.deletes and s.rows[vid]["likes"] < n:
            problems.append(f"{vid}: {n} likes answered, {s.rows[vid]['likes']} counted")

    # 2. settled
    stuck = {v: r["status"] for v, r in s.rows.items() if r["status"] not in SETTLED}
    if stuck:
        problems.append(f"not PROCESSED or FAILED after {timeout:.0f}s: {stuck}")

    # 3. the homes agree
    rows = set(s.rows)
    if rows - s.originals:
        problems.append(f"rows without an original: {sorted(rows - s.originals)}")
    if s.originals - rows:
        problems.append(f"originals without a row: {sorted(s.originals - rows)}")
    if rows - set(s.mirrors):
        problems.append(f"rows without a mirror: {sorted(rows - set(s.mirrors))}")
    if set(s.mirrors) - rows:
        problems.append(f"mirrors without a row: {sorted(set(s.mirrors) - rows)}")
    if s.outputs - rows:
        problems.append(f"outputs without a row: {sorted(s.outputs - rows)}")
    stale = {v: (s.mirrors[v], r["status"]) for v, r in s.rows.items()
             if v in s.mirrors and s.mirrors[v] != r["status"]}
    if stale:
        problems.append(f"mirror status != row status: {stale}")
    if s.outbox:
        problems.append(f"{s.outbox} outbox entries never published")
    if s.queue_jobs:
        problems.append(f"{s.queue_jobs} jobs still in the queue")

    # 4. aggregates
    stats = client.get(api.STATS, headers=auth.admin_headers(client)).json()
    by_status: dict[str, int] = {}
    for r in s.rows.values():
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    if stats.get("total_videos") != len(s.rows):
        problems.append(f"/stats total_videos {stats.get('total_videos')} != {len(s.rows)} rows")
    got_by_status = {k: v for k, v in stats.get("videos_by_status", {}).items() if v}
    if got_by_status != by_status:
        problems.append(f"/stats videos_by_status {got_by_status} != rows {by_status}")
    for name, col in (("total_views", "views"), ("total_likes", "likes")):
        want = sum(r[col] for r in s.rows.values())
        if stats.get(name) != want:
            problems.append(f"/stats {name} {stats.get(name)} != sum of rows {want}")

    # 5. temp files
    if s.temp_files:
        problems.append(f"temp files left: {s.temp_files}")

    assert not problems, "invariants broken:\n  " + "\n  ".join(problems)
    return s
