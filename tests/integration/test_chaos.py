"""Chaos: a mixed workload (uploads, processing, views, likes, deletes) against a server that is
killed with SIGKILL at random points, round after round; then one checker
(harness/invariants.py) proves nothing was stuck, lost or left behind. The same checker runs
against split mode with one role killed and restarted mid-work.

CHAOS_ROUNDS and CHAOS_SEED (environment) lengthen or replay a run; bench/chaos.sh runs a long
one. The short one here takes about a minute.
"""
from __future__ import annotations

import os
import random
import signal
import threading
import time

from harness import api, auth
from harness.invariants import Answered, ClusterSource, EmbeddedSource, check

ROUNDS = int(os.environ.get("CHAOS_ROUNDS", "4"))
SEED = int(os.environ.get("CHAOS_SEED", str(random.randrange(1 << 30))))

# Fast repairs and short leases, so a short run sees every kind of recovery.
CHAOS_ENV = {
    "KINORA_WORKERS": "1",
    "KINORA_JOB_LEASE_SECONDS": "3",
    "KINORA_RECONCILE_SECONDS": "1",
    "KINORA_STUCK_GRACE_SECONDS": "5",
    "KINORA_ORPHAN_GRACE_SECONDS": "3",
}


class Workload:
    """Threads doing what users do, recording only what was answered."""

    def __init__(self, client_of, clip, rng: random.Random, answered: Answered):
        self.client_of, self.clip, self.rng, self.answered = client_of, clip, rng, answered
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.liked: set[str] = set()

    def _known(self) -> list[str]:
        with self.lock:
            return sorted(self.answered.uploads - self.answered.deletes)

    def _uploader(self) -> None:
        while not self.stop.is_set():
            try:
                resp = api.upload(self.client_of(), self.clip)
            except Exception:   # the server died under us: nothing was promised
                resp = None
            if resp is not None and resp.status == 201:
                with self.lock:
                    self.answered.uploads.add(resp.json()["video_id"])
            time.sleep(self.rng.uniform(0.1, 0.5))

    def _viewer(self) -> None:
        while not self.stop.is_set():
            known = self._known()
            if known:
                vid = self.rng.choice(known)
                try:
                    client = self.client_of()
                    if self.rng.random() < 0.8:
                        # Each view from its own viewer: a viewer counts once an hour.
                        viewer = {"User-Agent": f"chaos-viewer-{self.rng.random()}"}
                        if client.post(api.view_path(vid), headers=viewer).status == 200:
                            with self.lock:
                                self.answered.view(vid)
                    elif vid not in self.liked and api.like(client, vid).status == 200:
                        with self.lock:
                            self.liked.add(vid)
                            self.answered.like(vid)
                except Exception:   # the server died under us: nothing was promised
                    pass
            time.sleep(self.rng.uniform(0.01, 0.05))

    def _deleter(self) -> None:
        while not self.stop.is_set():
            time.sleep(self.rng.uniform(0.5, 1.5))
            known = [v for v in self._known() if v not in self.answered.tried_deletes]
            if len(known) < 3:
                continue
            vid = self.rng.choice(known)
            with self.lock:
                self.answered.tried_deletes.add(vid)
            try:
                status = api.delete_video(self.client_of(), vid).status
            except Exception:   # the server died under us: nothing was promised
                continue
            if status in (200, 204):
                with self.lock:
                    self.answered.deletes.add(vid)

    def run_for(self, seconds: float) -> None:
        self.stop.clear()
        threads = [threading.Thread(target=f, daemon=True)
                   for f in (self._uploader, self._uploader, self._viewer, self._deleter)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join(timeout=30)


def test_kill_9_at_random_points_loses_nothing_and_leaves_nothing(server_factory, media):
    rng = random.Random(SEED)
    print(f"chaos seed {SEED} (CHAOS_SEED to replay), {ROUNDS} rounds")
    server = server_factory.start(env=CHAOS_ENV)
    answered = Answered()
    holder = {"client": server.client}
    auth.admin(server.client)
    work = Workload(lambda: holder["client"], media.clip("mp4"), rng, answered)
    for _ in range(ROUNDS):
        # Killed in the middle of everything: uploads streaming, jobs running, counters moving.
        timer = threading.Timer(rng.uniform(1.0, 4.0), server.kill)
        timer.start()
        work.run_for(4.5)
        timer.join()
        if server.running:
            server.kill()
        server.start()
        holder["client"] = server.client
        auth.admin(server.client)
    assert answered.uploads, "the workload never got an upload through"
    final = check(EmbeddedSource(server), server.client, answered, timeout=120)
    statuses = [r["status"] for r in final.rows.values()]
    print(f"chaos: {len(answered.uploads)} uploads, {len(answered.deletes)} deletes, "
          f"{sum(answered.views.values())} views answered; final: {len(final.rows)} videos, "
          f"{statuses.count('PROCESSED')} PROCESSED, {statuses.count('FAILED')} FAILED")


def test_a_catalog_rebuilt_by_reindex_keeps_views_and_likes(server_factory, media, kinora_bin):
    """Counters reach metadata/{id}.json (the reconciler mirrors them), so `kinora reindex`
    into an empty catalog restores them instead of zeroing them, and says what it cannot
    recover."""
    import json
    import subprocess
    server = server_factory.start(env={"KINORA_RECONCILE_SECONDS": "1"})
    vid = api.upload_ok(server.client, media.clip("mp4"))["video_id"]
    for n in range(3):
        assert server.client.post(api.view_path(vid),
                                  headers={"User-Agent": f"viewer-{n}"}).status == 200
    assert api.like(server.client, vid).status == 200

    def mirrored():
        doc = json.loads((server.objects_dir / "metadata" / f"{vid}.json").read_text())
        return (doc["views"], doc["likes"]) == (3, 1)
    api.wait_until(mirrored, timeout=10)
    server.stop()
    for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
        (server.data_dir / name).unlink(missing_ok=True)
    result = subprocess.run([kinora_bin, "reindex", "--data-dir", str(server.data_dir)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result
    assert json.loads(result.stdout)["inserted"] == 1, result.stdout
    assert "Not recoverable" in result.stderr, result.stderr
    server.start()
    video = api.get_video(server.client, vid)
    assert (video["views"], video["likes"]) == (3, 1), video


def test_reindex_never_brings_back_a_deleted_video(server_factory, media, kinora_bin):
    """A delete cut short (row gone, mirror left) is not undone by reindex."""
    import json
    import subprocess
    server = server_factory.start()
    gone = api.upload_ok(server.client, media.clip("mp4"))["video_id"]
    kept = api.upload_ok(server.client, media.clip("mp4"))["video_id"]
    mirror = (server.objects_dir / "metadata" / f"{gone}.json").read_bytes()
    assert api.delete_video(server.client, gone).status in (200, 204)
    server.stop()
    # What a delete that lost the race with the end of processing used to leave.
    (server.objects_dir / "metadata" / f"{gone}.json").write_bytes(mirror)
    result = subprocess.run([kinora_bin, "reindex", "--data-dir", str(server.data_dir),
                             "--update"], capture_output=True, text=True, timeout=60)
    summary = json.loads(result.stdout)
    assert summary["deleted"] == 1 and summary["inserted"] == 0, summary
    server.start()
    assert server.client.get(api.video_path(gone)).status == 404
    assert server.client.get(api.video_path(kept)).status == 200
    # And the reconciler finishes the delete.
    api.wait_until(lambda: not (server.objects_dir / "metadata" / f"{gone}.json").exists(),
                   timeout=90)


def test_split_mode_with_a_role_killed_loses_nothing(kinora_bin, media, tmp_path):
    from harness.cluster import split_cluster
    rng = random.Random(SEED)
    answered = Answered()
    extra = {"KINORA_RECONCILE_SECONDS": "1", "KINORA_STUCK_GRACE_SECONDS": "5",
             "KINORA_ORPHAN_GRACE_SECONDS": "3"}
    with split_cluster(kinora_bin, tmp_path, extra) as cluster:
        auth.admin(cluster.client)
        work = Workload(lambda: cluster.client, media.clip("mp4"), rng, answered)
        for victim in (cluster.uploader, cluster.processor):
            timer = threading.Timer(rng.uniform(1.0, 3.0), victim.stop, (signal.SIGKILL,))
            timer.start()
            work.run_for(4.0)
            timer.join()
            victim.start()
            victim.wait_ready()
        assert answered.uploads
        check(ClusterSource(cluster), cluster.client, answered, timeout=120)
