"""Throw-away test peers on 127.0.0.1: S3 (s3rver), SQS (fauxqs) and PostgreSQL.

Standard library only (Python 3.11). Each peer runs in its own temporary directory, on a free
loopback port, and is only handed out once it really answers a request. Stopping a peer kills
its processes and removes its directory.

    from peers import s3rver, fauxqs, postgres, running

    with s3rver() as s3:            # s3.endpoint, s3.bucket, s3.env
        ...
    with running(["s3", "sqs", "postgres"]) as found:   # {"s3": S3Peer, ...}, started together
        ...

The S3 and SQS peers are npm packages installed by `npm ci` in this folder (see README.md);
PostgreSQL comes from Debian's `postgresql` package. As root, initdb/postgres run as the
`postgres` system user. A peer that cannot start raises PeerError with the tail of its log.
Peers get a parent-death signal (setpriv --pdeathsig), which Linux ties to the starting
*thread*: start them from a thread that outlives them (e.g. the main thread, as pytest does).
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
LOOPBACK = "127.0.0.1"
TMP_PREFIX = "kinora-peer-"

S3_BUCKET = "kinora-test"
S3_ACCESS_KEY = "S3RVER"  # s3rver's built-in key pair; any other access key id is rejected
S3_SECRET_KEY = "S3RVER"
REGION = "us-east-1"
# The bucket's CORS rule, as a deployment's (docs/deploy.md): a page of any origin may GET, HEAD
# and PUT (the parts of a direct-to-S3 upload) and read the ETag a part PUT answers. (s3rver adds
# the Access-Control-* headers to every object answer, with or without an Origin.)
S3_CORS = ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
           "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
           "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
           "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>"
           "</CORSRule></CORSConfiguration>")
PG_USER = "kinora"
PG_DATABASE = "kinora_test"


def start_timeout() -> float:
    return float(os.environ.get("KINORA_PEERS_START_TIMEOUT", "30"))


class PeerError(RuntimeError):
    """A peer could not be started (the message says why and includes its log tail)."""


# --------------------------------------------------------------------------------------------
# helpers


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    tail = _ANSI.sub("", text).splitlines()[-lines:]
    return "\n".join("    " + line for line in tail) if tail else "    (log is empty)"


def _with_parent_death_signal(argv: list[str], sig: signal.Signals) -> list[str]:
    # Linux: the peer gets `sig` if the process that started it dies without cleaning up (e.g.
    # SIGKILL from a test runner's timeout). util-linux's setpriv sets it right before exec, so
    # no Python code has to run between fork and exec (unsafe with threads). Best effort.
    setpriv = shutil.which("setpriv")
    return [setpriv, f"--pdeathsig={sig.name}", "--", *argv] if setpriv else argv


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_dirs() -> None:
    """Remove temp dirs of earlier runs whose owner died without cleaning up (SIGKILL)."""
    for d in glob.glob(os.path.join(tempfile.gettempdir(), TMP_PREFIX + "*")):
        try:
            owner = int(Path(d, "owner.pid").read_text().strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner):
            continue
        pm = Path(d, "data", "postmaster.pid")
        try:
            if pm.exists() and _pid_alive(int(pm.read_text().split("\n", 1)[0])):
                continue  # an orphaned postgres still runs there; leave it alone
        except (OSError, ValueError):
            pass
        shutil.rmtree(d, ignore_errors=True)


def _make_tmpdir(kind: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{kind}-"))
    (d / "owner.pid").write_text(f"{os.getpid()}\n")
    return d


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _http(method: str, port: int, path: str, body: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 2.0):
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


class _Process:
    """A child process whose output goes to a log file, in its own process group."""

    def __init__(self, argv: list[str], log: Path, cwd: Path, *, env: dict[str, str] | None = None,
                 user: str | None = None, death_signal: signal.Signals = signal.SIGTERM):
        self.log = log
        self.argv = argv
        with open(log, "ab") as out:
            try:
                self.proc = subprocess.Popen(
                    _with_parent_death_signal(argv, death_signal), cwd=cwd, env=env,
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True, user=user, group=user, extra_groups=[] if user else None)
            except OSError as e:
                raise PeerError(f"cannot run {argv[0]}{' as ' + user if user else ''}: {e}") from None

    def exited(self) -> int | None:
        return self.proc.poll()

    def stop(self, sig: int = signal.SIGTERM, grace: float = 5.0) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        # anything left in its group (e.g. postgres backends) goes too
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def _wait_for(what: str, peer: "Peer", probe, deadline: float, interval: float = 0.02):
    """Call probe() until it returns a non-None value; fail if the process dies or time runs out."""
    last_err: Exception | None = None
    while True:
        if peer.process is not None and (rc := peer.process.exited()) is not None:
            raise peer.failure(f"exited with status {rc} while waiting for {what}")
        try:
            result = probe()
            if result is not None:
                return result
        except (OSError, http.client.HTTPException, PgError) as e:
            last_err = e
        if time.monotonic() > deadline:
            why = f" (last error: {last_err})" if last_err else ""
            raise peer.failure(f"timed out after {start_timeout():.0f} s waiting for {what}{why}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------
# peers


@dataclass
class Peer:
    name: str
    dir: Path | None = None
    process: _Process | None = None
    log: Path | None = None
    port: int = 0
    startup_seconds: float = 0.0
    env: dict[str, str] = field(default_factory=dict)
    _t0: float = 0.0

    def failure(self, why: str) -> PeerError:
        log = self.log if self.log else Path("/nonexistent")
        return PeerError(f"{self.name} peer could not start: {why}\n  log tail ({log}):\n{_log_tail(log)}")

    def launch(self) -> None:  # spawn without waiting
        raise NotImplementedError

    def wait_ready(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        if self.dir is not None and not os.environ.get("KINORA_PEERS_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def log_tail(self, lines: int = 30) -> str:
        return _log_tail(self.log, lines) if self.log else ""


def _node() -> str:
    node = shutil.which("node")
    if not node:
        raise PeerError("node (Node.js) is not on PATH; install Debian's nodejs package")
    return node


def _need_module(name: str) -> Path:
    p = NODE_MODULES / name
    if not (p / "package.json").exists():
        raise PeerError(f"{p} is missing: run `npm ci` in {HERE}")
    return p


@dataclass
class S3Peer(Peer):
    name: str = "s3"
    bucket: str = S3_BUCKET

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def launch(self) -> None:
        pkg = _need_module("s3rver")
        self._t0 = time.monotonic()
        self.dir = _make_tmpdir("s3")
        self.log = self.dir / "s3rver.log"
        (self.dir / "data").mkdir()
        # DES (continuation tokens of ListObjectsV2) needs OpenSSL's legacy provider on Node >= 17.
        argv = [_node(), "--openssl-legacy-provider", str(pkg / "bin" / "s3rver.js"),
                "--directory", str(self.dir / "data"), "--address", LOOPBACK, "--port", "0"]
        self.process = _Process(argv, self.log, self.dir)

    def wait_ready(self) -> None:
        deadline = self._t0 + start_timeout()
        pat = re.compile(r"S3rver listening on [\d.]+:(\d+)")

        def port():
            m = pat.search(self.log.read_text(errors="replace"))
            return int(m.group(1)) if m else None

        self.port = _wait_for("its 'listening' line", self, port, deadline)

        def bucket():
            status, _, body = _http("PUT", self.port, f"/{self.bucket}")
            if status != 200:
                raise self.failure(f"creating bucket {self.bucket}: HTTP {status} {body[:300]!r}")
            status, _, _ = _http("HEAD", self.port, f"/{self.bucket}")
            return True if status == 200 else None

        _wait_for(f"bucket {self.bucket}", self, bucket, deadline)
        status, _, body = _http("PUT", self.port, f"/{self.bucket}?cors", body=S3_CORS.encode())
        if status != 200:
            raise self.failure(f"setting the CORS rule of {self.bucket}: HTTP {status} {body[:300]!r}")
        self.startup_seconds = time.monotonic() - self._t0
        self.env = {
            "KINORA_TEST_S3_ENDPOINT": self.endpoint,
            "KINORA_TEST_S3_BUCKET": self.bucket,
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "AWS_REGION": REGION,
        }


@dataclass
class SqsPeer(Peer):
    name: str = "sqs"

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def launch(self) -> None:
        _need_module("fauxqs")
        self._t0 = time.monotonic()
        self.dir = _make_tmpdir("sqs")
        self.log = self.dir / "fauxqs.log"
        argv = [_node(), str(HERE / "fauxqs_server.mjs"), "--host", LOOPBACK, "--port", "0"]
        self.process = _Process(argv, self.log, self.dir)

    def wait_ready(self) -> None:
        deadline = self._t0 + start_timeout()
        pat = re.compile(r"fauxqs listening on http://[\d.]+:(\d+)")

        def port():
            m = pat.search(self.log.read_text(errors="replace"))
            return int(m.group(1)) if m else None

        self.port = _wait_for("its 'listening' line", self, port, deadline)

        def answers():
            status, _, body = _http("POST", self.port, "/", b"{}", {
                "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
            return True if status == 200 and "QueueUrls" in json.loads(body) else None

        _wait_for("an answer to ListQueues", self, answers, deadline)
        self.startup_seconds = time.monotonic() - self._t0
        self.env = {"KINORA_TEST_SQS_ENDPOINT": self.endpoint}
        for k, v in (("AWS_ACCESS_KEY_ID", S3_ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY),
                     ("AWS_REGION", REGION)):
            if not os.environ.get(k):
                self.env[k] = v


# ---- a minimal PostgreSQL wire-protocol client (trust auth, simple query) -------------------


class PgError(Exception):
    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        self.code = fields.get("C", "")
        super().__init__(f"{fields.get('S', 'ERROR')} {self.code}: {fields.get('M', '')}")


def pg_query(host: str, port: int, user: str, database: str, sql: str,
             timeout: float = 5.0) -> list[tuple[str | None, ...]]:
    """Run one simple query over a fresh connection (trust auth only); return the rows as text."""

    def read_exact(s: socket.socket, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = s.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("postgres closed the connection")
            buf += chunk
        return buf

    def read_msg(s):
        head = read_exact(s, 5)
        kind, length = head[:1], struct.unpack("!I", head[1:])[0]
        return kind, read_exact(s, length - 4)

    def fields(payload: bytes) -> dict[str, str]:
        out = {}
        for part in payload.split(b"\0"):
            if part:
                out[chr(part[0])] = part[1:].decode(errors="replace")
        return out

    with socket.create_connection((host, port), timeout=timeout) as s:
        params = f"user\0{user}\0database\0{database}\0client_encoding\0UTF8\0\0".encode()
        body = struct.pack("!I", 196608) + params
        s.sendall(struct.pack("!I", len(body) + 4) + body)
        while True:
            kind, payload = read_msg(s)
            if kind == b"E":
                raise PgError(fields(payload))
            if kind == b"R" and struct.unpack("!I", payload[:4])[0] != 0:
                raise PgError({"M": "server asks for a password; only trust auth is supported"})
            if kind == b"Z":
                break
        q = sql.encode() + b"\0"
        s.sendall(b"Q" + struct.pack("!I", len(q) + 4) + q)
        rows, error = [], None
        while True:
            kind, payload = read_msg(s)
            if kind == b"D":
                n = struct.unpack("!H", payload[:2])[0]
                pos, row = 2, []
                for _ in range(n):
                    ln = struct.unpack("!i", payload[pos:pos + 4])[0]
                    pos += 4
                    if ln < 0:
                        row.append(None)
                    else:
                        row.append(payload[pos:pos + ln].decode())
                        pos += ln
                rows.append(tuple(row))
            elif kind == b"E":
                error = PgError(fields(payload))
            elif kind == b"Z":
                break
        s.sendall(b"X" + struct.pack("!I", 4))
        if error:
            raise error
        return rows


def pg_bindir() -> Path:
    override = os.environ.get("KINORA_PG_BINDIR")
    if override:
        for tool in ("initdb", "postgres"):
            if not os.access(Path(override, tool), os.X_OK):
                raise PeerError(f"KINORA_PG_BINDIR={override} has no executable {tool}")
        return Path(override)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                   key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)))
    if not found:
        raise PeerError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                        "(install Debian's postgresql package, or set KINORA_PG_BINDIR)")
    return Path(found[-1]).parent


@dataclass
class PgPeer(Peer):
    name: str = "postgres"
    user: str = PG_USER
    database: str = PG_DATABASE
    os_user: str | None = None  # the system user postgres runs as (None: the current one)
    sockdir: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{LOOPBACK}:{self.port}/{self.database}"

    def query(self, sql: str, database: str | None = None):
        return pg_query(LOOPBACK, self.port, self.user, database or self.database, sql)

    def launch(self) -> None:
        bindir = pg_bindir()
        self._t0 = time.monotonic()
        if os.geteuid() == 0:
            self.os_user = "postgres"
            try:
                import pwd
                pw = pwd.getpwnam(self.os_user)
            except KeyError:
                raise PeerError("running as root, but there is no 'postgres' system user to run "
                                "PostgreSQL as (Debian's postgresql package creates it)") from None
        self.dir = _make_tmpdir("pg")
        self.log = self.dir / "postgres.log"
        self.log.touch()
        self.sockdir = self.dir / "sock"
        self.sockdir.mkdir()
        if self.os_user:
            for p in (self.dir, self.sockdir):
                os.chown(p, pw.pw_uid, pw.pw_gid)
            # the postgres user has to reach the temp dir through its parents
            for parent in self.dir.parents:
                if not os.stat(parent).st_mode & 0o001:
                    raise PeerError(f"{parent} is not searchable by the postgres user; "
                                    "point TMPDIR at a directory like /tmp")
        env = {"PATH": f"{bindir}:/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC", "HOME": str(self.dir)}
        data = self.dir / "data"
        argv = [str(bindir / "initdb"), "-D", str(data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions"]
        with open(self.log, "ab") as out:
            try:
                initdb = subprocess.run(
                    argv, cwd=self.dir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    user=self.os_user, group=self.os_user, extra_groups=[] if self.os_user else None,
                    timeout=start_timeout())
            except (OSError, subprocess.TimeoutExpired) as e:
                raise self.failure(f"cannot run initdb{' as ' + self.os_user if self.os_user else ''}: {e}") from None
        if initdb.returncode != 0:
            raise self.failure(f"initdb failed with status {initdb.returncode}")
        self._spawn(bindir, env)

    def _spawn(self, bindir: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self._log_start = self.log.stat().st_size
        argv = [str(bindir / "postgres"), "-D", str(self.dir / "data"),
                "-c", f"listen_addresses={LOOPBACK}", "-c", f"port={self.port}",
                "-c", f"unix_socket_directories={self.sockdir}",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=50", "-c", "logging_collector=off"]
        self._bindir, self._env = bindir, env
        self.process = _Process(argv, self.log, self.dir, env=env, user=self.os_user,
                                death_signal=signal.SIGINT)

    def wait_ready(self) -> None:
        deadline = self._t0 + start_timeout()
        for attempt in range(3):
            try:
                _wait_for("a connection to accept SELECT 1", self,
                          lambda: self._probe("postgres"), deadline)
                break
            except PeerError:
                # lost the race for the free port to another process: try another port
                with open(self.log, "rb") as f:
                    f.seek(self._log_start)
                    lost_port = b"already in use" in f.read()
                if attempt < 2 and lost_port:
                    self.process.stop()
                    self._spawn(self._bindir, self._env)
                    continue
                raise
        try:
            self.query(f'CREATE DATABASE "{self.database}"', database="postgres")
            _wait_for(f"database {self.database}", self, lambda: self._probe(self.database), deadline)
        except PgError as e:
            raise self.failure(f"creating database {self.database}: {e}") from None
        self.startup_seconds = time.monotonic() - self._t0
        self.env = {"KINORA_TEST_PG_URL": self.url}

    def _probe(self, database: str):
        try:
            return True if self.query("SELECT 1", database=database) == [("1",)] else None
        except PgError as e:
            if e.code == "57P03":  # the database system is starting up
                return None
            raise self.failure(f"connecting to database {database}: {e}") from None

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(signal.SIGINT, grace=10)  # fast shutdown
            self.process = None
        super().stop()


# --------------------------------------------------------------------------------------------
# context managers


PEER_TYPES = {"s3": S3Peer, "sqs": SqsPeer, "postgres": PgPeer}


@contextlib.contextmanager
def running(names: list[str]) -> Iterator[dict[str, Peer]]:
    """Start the named peers ("s3", "sqs", "postgres") together; yield {name: peer}."""
    sweep_stale_dirs()
    peers: dict[str, Peer] = {}
    try:
        # launch all first (postgres's initdb overlaps the node peers' boot), then wait for each
        for name in sorted(set(names), key=list(PEER_TYPES).index):
            peers[name] = PEER_TYPES[name]()
            peers[name].launch()
        for peer in peers.values():
            peer.wait_ready()
        yield peers
    finally:
        errors = []
        for peer in reversed(list(peers.values())):
            try:
                peer.stop()
            except Exception as e:  # noqa: BLE001 - stop the others regardless
                errors.append(e)
        if errors:
            raise errors[0]


@contextlib.contextmanager
def s3rver() -> Iterator[S3Peer]:
    with running(["s3"]) as p:
        yield p["s3"]


@contextlib.contextmanager
def fauxqs() -> Iterator[SqsPeer]:
    with running(["sqs"]) as p:
        yield p["sqs"]


@contextlib.contextmanager
def postgres() -> Iterator[PgPeer]:
    with running(["postgres"]) as p:
        yield p["postgres"]


# --------------------------------------------------------------------------------------------
# `python3 peers.py [--runs N] [s3 sqs postgres]`: how long each peer takes to start


def _main(argv: list[str]) -> int:
    import argparse
    import statistics
    ap = argparse.ArgumentParser(description="Measure how long each test peer takes to start.")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("names", nargs="*", help="s3, sqs, postgres (default: all three)")
    args = ap.parse_args(argv)
    names = args.names or list(PEER_TYPES)
    if unknown := set(names) - set(PEER_TYPES):
        ap.error(f"unknown peer(s): {', '.join(sorted(unknown))}")
    for name in [*names, "all"]:
        if name == "all" and len(names) < 2:
            continue
        times = []
        for _ in range(args.runs):
            t0 = time.monotonic()
            with running(names if name == "all" else [name]):
                times.append(time.monotonic() - t0)
        label = "+".join(names) + " together" if name == "all" else name
        print(f"{label:28s} median {statistics.median(times):.2f} s  "
              f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} starts)", flush=True)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(_main(sys.argv[1:]))
