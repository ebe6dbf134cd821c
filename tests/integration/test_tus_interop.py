"""Resumable uploads with the reference client, tus-js-client 4 (tests/integration/tus/upload.mjs,
installed in tests/peers), against `kinora serve` and split mode (uploader behind a gateway,
s3rver, PostgreSQL): a whole upload; one interrupted at ~40% and resumed from its URL; and one
whose server (serve) or uploader role (split) is killed with SIGKILL while a PATCH streams,
then resumed after the restart from the durable offset HEAD reports (docs/uploads.md,
"Durability and crashes"). Every time the original is byte-identical, and nothing is left:
no temp file, no tail object, no unfinished multipart upload, no unfinished uploads row.
"""
from __future__ import annotations

import contextlib
import signal

import pytest

from harness import api, auth, tus
from harness.client import relative_url
from harness.cluster import split_cluster
from harness.media import sha256_file
from harness.tus import ReferenceClient, Tus, run_reference_client

MiB = 1024 * 1024
MAX = 128 * MiB
ENV = {"KINORA_MAX_UPLOAD_BYTES": str(MAX)}


@pytest.fixture(scope="session", autouse=True)
def reference_client_installed():
    if not tus.node_available():
        pytest.fail("node is needed for the reference tus client (Debian's nodejs)")
    if not tus.tus_js_installed():
        pytest.fail("tus-js-client is not installed: `npm ci --prefix tests/peers` "
                    "(scripts/test.sh does it)")


class Deployment:
    def __init__(self, target, mode: str):
        self.target, self.mode = target, mode
        self.store = tus.store_of(target)
        session = auth.new_user(target, "carol")
        self.user = auth.create_token(session, ["videos:read", "videos:write"])
        self.tus = Tus(self.user)

    def __repr__(self) -> str:
        return f"<{self.mode}>"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.target.port}{tus.TUS}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.target.port}{path}"

    def rebind(self) -> None:
        """After `serve` restarted on another port: the same token at the new address."""
        self.user = self.user.on(self.target)
        self.tus = Tus(self.user)


@contextlib.contextmanager
def deployment(mode: str, factory, kinora_bin, root):
    if mode == "embedded":
        yield Deployment(factory.start(env=ENV), "embedded")
        return
    with split_cluster(kinora_bin, root, extra_env=ENV, processor=False) as cluster:
        yield Deployment(cluster, "split")


@pytest.fixture(scope="module", params=["embedded", "split"])
def dep(request, module_server_factory, kinora_bin, tmp_path_factory):
    with deployment(request.param, module_server_factory, kinora_bin,
                    tmp_path_factory.mktemp("split-interop")) as d:
        yield d


def assert_landed(dep: Deployment, run, src, *, title: str | None = None) -> str:
    ok = run.last("success")
    assert run.returncode == 0 and ok, run
    video_id = ok["video_id"]
    assert video_id and api.UUID_RE.match(video_id), run
    video = api.get_video(dep.user.client, video_id)
    assert video["owner_id"] == dep.user.user_id, video
    if title is not None:
        assert video["title"] == title, video
    stored = dep.store.object_path(video["s3_key"])
    assert stored.is_file(), f"original {video['s3_key']} missing"
    assert sha256_file(stored) == sha256_file(src), "the stored original differs from the file"
    return video_id


def assert_nothing_pending(dep: Deployment) -> None:
    assert dep.store.temp_files() == {}, dep.store.temp_files()
    assert dep.store.tail_objects() == set(), dep.store.tail_objects()
    assert dep.store.multipart_uploads() == [], dep.store.multipart_uploads()
    unfinished = [r for r in dep.store.upload_rows().values() if not r.complete]
    assert unfinished == [], f"unfinished uploads rows: {unfinished}"


# -- whole, interrupted, resumed ------------------------------------------------------------

def test_reference_client_uploads_a_file(dep, media):
    src = media.big(seed=41)
    run = run_reference_client(dep.endpoint, src, dep.user.secret, chunk_size=8 * MiB,
                               title="via tus-js-client", visibility="unlisted",
                               filename="interop.mp4")
    video_id = assert_landed(dep, run, src, title="via tus-js-client")
    assert api.get_video(dep.user.client, video_id)["visibility"] == "unlisted"
    assert_nothing_pending(dep)


@pytest.mark.parametrize("chunk_size", [None, 4 * MiB], ids=["one PATCH", "4 MiB PATCHes"])
def test_interrupted_upload_resumes_from_its_url(dep, media, chunk_size):
    src = media.big(seed=42)
    size = src.stat().st_size
    first = run_reference_client(dep.endpoint, src, dep.user.secret, chunk_size=chunk_size,
                                 stop_after=size * 4 // 10, filename="resumed.mp4",
                                 rate=16 * MiB)   # loopback would send it all before a stop
    stopped = first.last("stopped")
    assert first.returncode == 0 and stopped, first
    url = stopped["url"]
    # "A PATCH whose connection breaks keeps what arrived" (docs/uploads.md): the server may
    # need a moment to notice the cut and record it.
    api.wait_until(lambda: dep.tus.offset(url) > 0, timeout=10,
                   message="the bytes of the cut PATCH kept")
    offset = dep.tus.offset(url)
    print(f"{dep.mode}, chunk {chunk_size}: client sent {first.sent}, HEAD {offset}")
    assert 0 < offset <= first.sent < size, (offset, stopped)
    if chunk_size:   # the PATCHes before the cut were answered: their bytes are durable
        assert offset >= (stopped["sent"] - 1) // chunk_size * chunk_size, (offset, stopped)

    second = run_reference_client(None, src, dep.user.secret, chunk_size=chunk_size,
                                  resume_url=url, filename="resumed.mp4")
    assert second.url == url, f"resumed another upload: {second!r}"
    progress = [e for e in second.events if e.get("event") == "progress"]
    assert progress and progress[0]["sent"] >= offset, "the resume started over"
    assert_landed(dep, second, src)
    assert_nothing_pending(dep)

    again = run_reference_client(None, src, dep.user.secret, resume_url=url)
    assert again.last("success") and again.last("success")["video_id"] == \
        second.last("success")["video_id"], f"resuming a finished upload: {again!r}"


# -- kill -9 while a PATCH streams ----------------------------------------------------------

KILL_SIZE = 120 * MiB
RATE = 24 * MiB   # bytes per second: the PATCH streams for about 5 s


@pytest.mark.parametrize("mode", ["embedded", "split"])
def test_kill_9_during_a_patch_then_resume(mode, server_factory, kinora_bin, tmp_path, media):
    src = media.big(seed=43, size=KILL_SIZE)
    with deployment(mode, server_factory, kinora_bin, tmp_path / "split") as dep:
        client = ReferenceClient(dep.endpoint, src, dep.user.secret, rate=RATE,
                                 filename="killed.mp4", title="survived a kill -9")
        try:
            created = client.wait_for(lambda e: e.get("event") == "created", timeout=30)
            assert created, client.result(wait=False)
            path = relative_url(created["url"])

            def durable_offset() -> int:
                resp = dep.tus.head(path)
                return tus.offset_of(resp) if resp.status == 200 else 0
            # A durable point has passed (64 MiB locally, a part on S3): HEAD reports it.
            offset_seen = api.wait_until(durable_offset, timeout=60, interval=0.05,
                                         message="a durable offset during the PATCH")
            sent_before_kill = client.result(wait=False).sent
            if mode == "embedded":
                dep.target.kill()
            else:
                dep.target.uploader.stop(signal.SIGKILL)
            sent_at_kill = max(sent_before_kill, client.result(wait=False).sent)
            client_run = client.result(timeout=60)
        finally:
            client.kill()
        assert client_run.last("error") and not client_run.last("success"), client_run
        assert sent_at_kill < KILL_SIZE, "the upload finished before the kill: raise KILL_SIZE"

        if mode == "embedded":
            dep.target.start()           # same data dir, a new port
            dep.rebind()
        else:
            dep.target.uploader.start()
            dep.target.uploader.wait_ready()
        head = dep.tus.head(path)
        assert head.status == 200, head
        offset = tus.offset_of(head)
        client_total = client_run.sent
        assert offset_seen <= offset <= max(client_total, sent_at_kill), \
            (offset_seen, offset, client_total, sent_at_kill)
        assert offset > 0, "a durable point passed before the kill"
        print(f"{mode}: HEAD during the PATCH {offset_seen}, client sent {client_total} "
              f"(>= {sent_at_kill} at the kill), HEAD after the restart {offset}")

        resumed = run_reference_client(None, src, dep.user.secret, resume_url=dep.url(path),
                                       chunk_size=16 * MiB)
        progress = [e for e in resumed.events if e.get("event") == "progress"]
        assert progress and progress[0]["sent"] >= offset, f"started over: {resumed!r}"
        assert_landed(dep, resumed, src, title="survived a kill -9")
        assert_nothing_pending(dep)
        if mode == "embedded":
            assert not list((dep.target.objects_dir / tus.LOCAL_TEMP_DIR).glob("*")), \
                "a temp file is left"


def test_the_client_retries_through_an_uploader_restart(server_factory, kinora_bin, tmp_path,
                                                        media):
    """Split mode, as in a rolling deploy: the uploader is killed (-9) during a PATCH and comes
    back; tus-js-client with the web app's kind of retry delays carries on by itself (the
    gateway answers 5xx meanwhile) from the durable offset, and the file lands intact."""
    src = media.big(seed=44, size=KILL_SIZE)
    with deployment("split", server_factory, kinora_bin, tmp_path / "split") as dep:
        client = ReferenceClient(dep.endpoint, src, dep.user.secret, rate=RATE,
                                 filename="retried.mp4", retry_delays="0,1000,2000,3000,5000,8000")
        try:
            created = client.wait_for(lambda e: e.get("event") == "created", timeout=30)
            assert created, client.result(wait=False)
            path = relative_url(created["url"])

            def durable_offset() -> int:
                resp = dep.tus.head(path)
                return tus.offset_of(resp) if resp.status == 200 else 0
            api.wait_until(durable_offset, timeout=60, interval=0.05,
                           message="a durable offset during the PATCH")
            dep.target.uploader.stop(signal.SIGKILL)
            dep.target.uploader.start()
            dep.target.uploader.wait_ready()
            run = client.result(timeout=180)
        finally:
            client.kill()
        assert run.url == created["url"], f"the client started another upload: {run!r}"
        assert_landed(dep, run, src)
        assert_nothing_pending(dep)
