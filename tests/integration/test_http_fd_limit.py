"""Out of file descriptors: when accept() fails (EMFILE) the server backs off instead of
spinning on the listener and logs at a bounded rate; connections already open keep being
served, and new ones are accepted again once descriptors are free. At start the soft
RLIMIT_NOFILE is raised to the hard limit."""
from __future__ import annotations

import os
import resource
import socket
import time

import pytest

from harness.client import Client
from harness.server import HOST


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")   # utime + stime


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def nofile_limits(pid: int) -> tuple[int, int]:
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                soft, hard = line.split()[3:5]
                return int(soft), int(hard)
    raise AssertionError("no 'Max open files' line")


def test_accept_failures_back_off_and_open_connections_keep_working(server_factory):
    srv = server_factory.start()
    pid = srv.proc.pid
    keep = Client(HOST, srv.port).connection()   # a keep-alive connection opened beforehand
    assert keep.request("GET", "/health").status == 200
    limit = open_fds(pid) + 6
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
    flood = []
    try:
        for _ in range(40):   # the kernel queues them; the server runs out of descriptors
            flood.append(socket.create_connection((HOST, srv.port), timeout=5))
        time.sleep(0.5)
        assert open_fds(pid) >= limit - 1, "the server never ran out of descriptors"
        log_before = srv.log_path.stat().st_size
        cpu_before = cpu_seconds(pid)
        time.sleep(3)
        cpu = cpu_seconds(pid) - cpu_before
        logged = srv.log_path.stat().st_size - log_before
        print(f"out of descriptors for 3 s: {cpu:.2f} s CPU, {logged} bytes of log")
        assert cpu < 0.3, f"{cpu:.2f} s of CPU in 3 s while out of descriptors"
        assert logged < 4096, f"{logged} bytes of log in 3 s while out of descriptors"
        failures = [r for r in srv.log_records() if r.get("message", "").startswith("accept failed")]
        assert failures, "the accept failures were not logged"
        # The connection opened before is still served, repeatedly.
        for _ in range(3):
            assert keep.request("GET", "/health").status == 200
    finally:
        for s in flood:
            s.close()
    # Descriptors free again: new connections are accepted (within the back-off's 1 s).
    deadline = time.monotonic() + 10
    while True:
        try:
            if Client(HOST, srv.port, timeout=2).get("/health").status == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "new connections were not served after recovery"
        time.sleep(0.1)
    keep.close()


def test_the_soft_open_file_limit_is_raised_to_the_hard_limit_at_start(server_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard <= 256:
        pytest.skip(f"needs a finite hard limit above 256 (have {hard})")
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))   # inherited by the server
    try:
        srv = server_factory.start()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert nofile_limits(srv.proc.pid) == (hard, hard)
    logged = [r for r in srv.log_records() if r.get("message") == "open file limit"]
    assert logged and logged[-1]["soft"] == str(hard) and logged[-1]["raised"] == "true", logged
