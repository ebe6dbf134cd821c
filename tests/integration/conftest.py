"""Fixtures for Kinora's black-box integration tests.

- kinora_bin: the server binary (env KINORA_BIN, default build/dev/apps/kinora/kinora).
- media: test videos generated with ffmpeg, cached across runs (see media_cache_dir).
- server / module_server: a running `kinora serve` on a free port with a fresh data dir.
- server_factory / module_server_factory: start more servers with their own env and args.
Servers are stopped with SIGTERM at teardown; when a test fails, the report shows the log
tail of every server alive during it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness import cluster as cluster_mod
from harness import server as server_mod
from harness.media import MediaFixtures
from harness.server import KinoraServer

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / "build" / "dev" / "apps" / "kinora" / "kinora"
WEB_FIXTURE = REPO / "tests" / "fixtures" / "web"


@pytest.fixture(scope="session")
def kinora_bin() -> str:
    path = Path(os.environ.get("KINORA_BIN") or DEFAULT_BIN).resolve()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"kinora binary not found or not executable: {path} (set KINORA_BIN)")
    return str(path)


def media_cache_dir() -> Path:
    """KINORA_TEST_CACHE, else ~/.cache/kinora-test-media (outside the work tree)."""
    if os.environ.get("KINORA_TEST_CACHE"):
        return Path(os.environ["KINORA_TEST_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kinora-test-media"


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> MediaFixtures:
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to generate test media")
    try:
        return MediaFixtures(media_cache_dir())
    except OSError:  # no writable cache: generate per session
        return MediaFixtures(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def web_dir() -> Path:
    return WEB_FIXTURE


class ServerFactory:
    """Starts servers under one temporary root; close() stops them all."""

    def __init__(self, binary: str, root: Path):
        self.binary, self.root = binary, Path(root)
        self.servers: list[KinoraServer] = []

    def start(self, env: dict[str, str] | None = None, args: tuple[str, ...] = (),
              data_dir: Path | None = None) -> KinoraServer:
        n = len(self.servers)
        data_dir = Path(data_dir) if data_dir else self.root / f"data{n}"
        srv = KinoraServer(self.binary, data_dir, self.root / f"server{n}.log", env, args)
        self.servers.append(srv)
        return srv.start()

    def close(self) -> None:
        errors = []
        for srv in self.servers:
            try:
                srv.close()
            except AssertionError as e:
                errors.append(str(e))
        assert not errors, "\n".join(errors)


@pytest.fixture
def server_factory(kinora_bin, tmp_path):
    factory = ServerFactory(kinora_bin, tmp_path)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def module_server_factory(kinora_bin, tmp_path_factory):
    factory = ServerFactory(kinora_bin, tmp_path_factory.mktemp("servers"))
    yield factory
    factory.close()


@pytest.fixture
def server(server_factory) -> KinoraServer:
    return server_factory.start()


@pytest.fixture(scope="module")
def module_server(module_server_factory) -> KinoraServer:
    return module_server_factory.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for srv in server_mod.LIVE:
            report.sections.append((f"kinora log ({srv.data_dir.name})", srv.log_tail(60)))
        for cluster in cluster_mod.LIVE:
            report.sections.append(("kinora split cluster logs", cluster.log_tails(30)))
