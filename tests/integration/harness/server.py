"""Starting and stopping `kinora serve` processes for black-box tests.

Each KinoraServer owns a data directory and a log file (stdout and stderr of every run,
appended, so a restart keeps the earlier lines). Servers register themselves in LIVE so the
test report can show their log tails when a test fails.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from . import auth
from .client import Client

HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

LIVE: list["KinoraServer"] = []


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def base_env(extra: dict[str, str | None] | None = None) -> dict[str, str]:
    """The caller's environment without any KINORA_* setting, plus the test defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINORA_")}
    env["KINORA_WORKERS"] = "0"   # no processing unless a test asks: videos stay UPLOADED
    env["KINORA_WEB_DIR"] = ""    # API only unless a test serves a web app
    env["KINORA_ADMIN_PASSWORD"] = auth.ADMIN_PASSWORD   # the first admin (auth.admin())
    env["KINORA_RATE_LIMIT"] = "off"   # tests of the limits turn them on
    env.update(extra or {})
    return {k: v for k, v in env.items() if v is not None}   # None: leave the variable unset


class ServerError(AssertionError):
    pass


class KinoraServer:
    def __init__(self, binary: str, data_dir: Path, log_path: Path,
                 env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
        self.binary = binary
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.env = dict(env or {})
        self.args = tuple(args)
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> "KinoraServer":
        assert self.proc is None, "already running"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        auth.forget(HOST, self.port)   # a token cached for an earlier server on this port
        cmd = [self.binary, "serve", "--listen", f"{HOST}:{self.port}",
               "--data-dir", str(self.data_dir), *self.args]
        with open(self.log_path, "ab") as log:
            log.write(f"# --- start: {' '.join(cmd)}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(cmd, env=base_env(self.env), stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log)
        if self not in LIVE:
            LIVE.append(self)
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise ServerError(f"server exited with {code} during start\n{self.log_tail()}")
            try:
                if Client(HOST, self.port, timeout=2).get("/health").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise ServerError(f"server not healthy after {timeout}s\n{self.log_tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Sends sig and waits; returns the exit code. Kills the process if it hangs."""
        if self.proc is None:
            return self.returncode
        self.proc.send_signal(sig)
        try:
            self.returncode = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise ServerError(f"server did not exit within {timeout}s of signal {sig}\n"
                              f"{self.log_tail()}")
        self.proc = None
        return self.returncode

    def kill(self) -> int:
        return self.stop(signal.SIGKILL)

    def restart(self, graceful: bool = True) -> "KinoraServer":
        code = self.stop() if graceful else self.kill()
        if graceful:
            assert code == 0, f"graceful stop exited with {code}\n{self.log_tail()}"
        return self.start()

    def close(self) -> None:
        """Teardown: graceful stop (kill if it hangs), unregister."""
        try:
            if self.proc is not None:
                self.stop()
        finally:
            if self in LIVE:
                LIVE.remove(self)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- access -----------------------------------------------------------------------------

    @property
    def client(self) -> Client:
        assert self.port is not None, "server never started"
        return Client(HOST, self.port)

    @property
    def admin(self) -> "auth.Caller":
        """The first admin's API token (every scope), made on first use."""
        return auth.admin(self.client)

    @property
    def internal_client(self) -> Client:
        """The KINORA_INTERNAL_LISTEN listener (start the server with it set to HOST:PORT)."""
        listen = self.env.get("KINORA_INTERNAL_LISTEN")
        assert listen, "started without KINORA_INTERNAL_LISTEN"
        host, port = listen.rsplit(":", 1)
        return Client(host, int(port))

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def queue_db(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def catalog_db(self) -> Path:
        return self.data_dir / "catalog.db"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        tail = self.log_text().splitlines()[-lines:]
        return f"--- {self.log_path} (last {len(tail)} lines) ---\n" + "\n".join(tail)

    def log_records(self) -> list[dict]:
        """The JSON log lines (other lines are skipped)."""
        records = []
        for line in self.log_text().splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                records.append(rec)
        return records
