"""Split mode on loopback: `kinora <role>` processes on the scale-out engines (s3rver, fauxqs,
PostgreSQL from tests/peers), configured only through the environment, as on Kubernetes.

    with peers.running(["s3", "sqs", "postgres"]) as p:
        env = split_env(p)
        r = RoleProcess(binary, "analytics", "analytics-1", env, root).start()

SplitCluster starts the smallest whole deployment (one analytics, uploader, processor and
gateway) for tests that run the same checks against `kinora serve` and against split mode;
its `client` is the gateway's, so harness helpers (auth.admin, api.upload_ok, …) take it as
they take a KinoraServer. Every role gets an internal listener (KINORA_INTERNAL_LISTEN) for
its metrics.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from . import auth
from .client import Client
from .server import HOST, base_env, free_port

PEERS_DIR = Path(__file__).resolve().parents[2] / "peers"
if str(PEERS_DIR) not in sys.path:
    sys.path.insert(0, str(PEERS_DIR))
import peers  # noqa: E402

SIGNING_KEY = "cluster-test-signing-key-" + "0123456789abcdef" * 3
READY_TIMEOUT = 30.0

LIVE: list["SplitCluster"] = []   # for the log tails in failure reports (conftest.py)


class RoleProcess:
    """One `kinora <role>` process on a free port, logging to a file."""

    def __init__(self, binary: str, role: str, name: str, env: dict, root: Path):
        self.binary, self.role, self.name = binary, role, name
        self.data_dir = root / name
        self.log_path = root / f"{name}.log"
        self.port = free_port()
        self.internal_port = free_port()
        self.env = {**env, "KINORA_INTERNAL_LISTEN": f"{HOST}:{self.internal_port}"}
        self.proc: subprocess.Popen | None = None

    def start(self) -> "RoleProcess":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        auth.forget(HOST, self.port)   # a token cached for an earlier server on this port
        cmd = [self.binary, self.role, "--listen", f"{HOST}:{self.port}",
               "--data-dir", str(self.data_dir)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log)
        return self

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def client(self) -> Client:
        return Client(HOST, self.port)

    @property
    def internal_client(self) -> Client:
        return Client(HOST, self.internal_port)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}\n"
                                     f"{self.log_tail()}")
            try:
                if self.client.get("/ready").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not ready after {READY_TIMEOUT}s\n{self.log_tail()}")

    def metric(self, name: str, labels: str = "") -> float:
        """A sample's value from the internal listener's /metrics (0 when absent)."""
        text = self.internal_client.get("/metrics").body.decode()
        pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else r"(?:\{\})?")
        m = re.search(r"^" + pattern + r" ([0-9.e+-]+)$", text, re.M)
        return float(m.group(1)) if m else 0.0

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 25) -> str:
        tail = self.log_text().splitlines()[-lines:]
        return "\n".join(tail) if tail else "(no log)"


# -- SQS ----------------------------------------------------------------------------------------

def sqs_call(endpoint: str, action: str, body: dict) -> dict:
    req = urllib.request.Request(
        endpoint + "/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": f"AmazonSQS.{action}",
                 # fauxqs does not verify signatures; it reads the region from the scope.
                 "Authorization": "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/sqs/"
                                  "aws4_request, SignedHeaders=host, Signature=0"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"{}")


def make_queue(endpoint: str) -> str:
    dlq = sqs_call(endpoint, "CreateQueue", {"QueueName": "kinora-jobs-dlq"})["QueueUrl"]
    arn = sqs_call(endpoint, "GetQueueAttributes",
                   {"QueueUrl": dlq, "AttributeNames": ["QueueArn"]})["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "4"})
    return sqs_call(endpoint, "CreateQueue", {
        "QueueName": "kinora-jobs",
        "Attributes": {"RedrivePolicy": policy, "VisibilityTimeout": "30"}})["QueueUrl"]


def split_env(found: dict, queue_url: str, extra: dict | None = None) -> dict[str, str]:
    """Every role's environment for the peers of peers.running(["s3", "sqs", "postgres"])."""
    s3, sqs, pg = found["s3"], found["sqs"], found["postgres"]
    return base_env({
        "AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": s3.endpoint, "AWS_ENDPOINT_URL_SQS": sqs.endpoint,
        "KINORA_STORAGE": "s3", "S3_BUCKET": s3.env["KINORA_TEST_S3_BUCKET"],
        "KINORA_QUEUE": "sqs", "SQS_QUEUE_URL": queue_url,
        "KINORA_DB": pg.url,
        "KINORA_SIGNING_KEY": SIGNING_KEY,
        "KINORA_WORKERS": "1",
        "KINORA_JOB_LEASE_SECONDS": "4",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        **(extra or {}),
    })


class SplitCluster:
    """analytics + uploader + processor + gateway on S3/SQS/PostgreSQL; `client` and `port`
    are the gateway's."""

    def __init__(self, binary: str, root: Path, found: dict, env: dict[str, str],
                 processor: bool = True):
        self.binary, self.root, self.peers, self.env = binary, Path(root), found, env
        self.with_processor = processor
        self.processor: RoleProcess | None = None
        self.roles: list[RoleProcess] = []
        self.s3, self.sqs, self.pg = found["s3"], found["sqs"], found["postgres"]

    def role(self, kind: str, name: str, **extra) -> RoleProcess:
        r = RoleProcess(self.binary, kind, name, {**self.env, **extra}, self.root)
        self.roles.append(r)
        return r

    def start(self) -> "SplitCluster":
        LIVE.append(self)
        # The catalog migrates on first open: one role alone first, then the rest together.
        self.analytics = self.role("analytics", "analytics").start()
        self.analytics.wait_ready()
        self.uploader = self.role("uploader", "uploader").start()
        if self.with_processor:
            self.processor = self.role("processor", "processor").start()
        self.gateway = self.role("gateway", "gateway", KINORA_UPLOADER_URL=self.uploader.url,
                                 KINORA_ANALYTICS_URL=self.analytics.url).start()
        for r in self.roles:
            r.wait_ready()
        return self

    def stop(self) -> None:
        for r in reversed(self.roles):
            r.stop()
        if self in LIVE:
            LIVE.remove(self)

    @property
    def client(self) -> Client:
        return self.gateway.client

    @property
    def port(self) -> int:
        return self.gateway.port

    def log_tails(self, lines: int = 40) -> str:
        return "\n".join(f"--- {r.name} ({r.log_path}) ---\n{r.log_tail(lines)}"
                         for r in self.roles)

    def log_text(self) -> str:
        return "".join(r.log_text() for r in self.roles)


@contextlib.contextmanager
def split_cluster(binary: str, root: Path, extra_env: dict | None = None,
                  processor: bool = True) -> Iterator[SplitCluster]:
    """Peers and the four roles (without a processor uploads stay UPLOADED), stopped (and the
    peers removed) on the way out."""
    with peers.running(["s3", "sqs", "postgres"]) as found:
        env = split_env(found, make_queue(found["sqs"].endpoint), extra_env)
        cluster = SplitCluster(binary, root, found, env, processor)
        try:
            yield cluster.start()
        finally:
            cluster.stop()


# -- `python3 -m harness.cluster`: a split cluster for other test drivers -------------------------

def _main(argv: list[str]) -> int:
    """Starts a split cluster (cwd tests/integration) for a driver that is not pytest, such as the
    web app's browser tests (web/e2e/harness/cluster.ts): prints one JSON line {url, s3_endpoint,
    bucket, root} once every role is ready, then runs until its stdin closes or it gets SIGTERM or
    SIGINT, and stops the roles and the peers."""
    ap = argparse.ArgumentParser(prog="python3 -m harness.cluster", description=_main.__doc__)
    ap.add_argument("--binary", default=os.environ.get("KINORA_BIN"), help="the kinora binary")
    ap.add_argument("--processor", action="store_true", help="run a processor too")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="a setting for every role (repeatable), e.g. KINORA_WEB_DIR=web/dist")
    args = ap.parse_args(argv)
    if not args.binary:
        ap.error("--binary (or KINORA_BIN) is required")
    extra = dict(item.split("=", 1) for item in args.env)

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    root = Path(tempfile.mkdtemp(prefix="kinora-split-"))
    try:
        with split_cluster(args.binary, root, extra, processor=args.processor) as cluster:
            print(json.dumps({"url": cluster.gateway.url, "s3_endpoint": cluster.s3.endpoint,
                              "bucket": cluster.s3.bucket, "root": str(root)}), flush=True)
            sys.stdin.read()   # until the driver closes it (or exits)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
