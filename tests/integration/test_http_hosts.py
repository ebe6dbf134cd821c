"""DNS rebinding: the edge answers only the Host names it is known by (KINORA_PUBLIC_URL,
KINORA_ALLOWED_HOSTS; loopback names and IP literals by default on a loopback listener), and
refuses the others with 421 before anything else happens. The internal listener is exempt."""
from __future__ import annotations

import pytest

from harness import api
from harness.client import Client
from harness.server import HOST, free_port


def get(srv, path: str, host: str):
    return srv.client.get(path, headers={"Host": host})


@pytest.fixture(scope="module")
def loopback(module_server_factory):
    return module_server_factory.start()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example",
                                  "127.0.0.1.nip.io:{port}"])
@pytest.mark.parametrize("path", ["/health", api.VIDEOS, "/api/nope", "/"])
def test_a_rebound_name_is_refused_on_a_loopback_listener(loopback, host, path):
    resp = get(loopback, path, host.format(port=loopback.port))
    doc = api.assert_problem(resp, 421)
    assert "Host" in doc["detail"], doc


def test_a_rebound_name_cannot_write(loopback, media):
    before = api.total_videos(loopback.client)
    resp = api.upload(loopback.client, media.clip("mp4"), headers={"Host": "evil.example"})
    api.assert_problem(resp, 421)
    assert api.total_videos(loopback.client) == before


@pytest.mark.parametrize("host", ["localhost:{port}", "localhost", "127.0.0.1:{port}",
                                  "[::1]:{port}", "LOCALHOST:{port}"])
def test_loopback_names_are_answered(loopback, host):
    assert get(loopback, "/health", host.format(port=loopback.port)).status == 200
    assert get(loopback, api.VIDEOS, host.format(port=loopback.port)).status == 200


def test_allowed_hosts_and_the_public_url(server_factory):
    srv = server_factory.start(env={"KINORA_PUBLIC_URL": "http://video.example.org",
                                    "KINORA_ALLOWED_HOSTS": "media.example.org:8443, *.example.net"})
    for ok in ("video.example.org", "video.example.org:8080", "media.example.org:8443",
               "a.example.net", f"127.0.0.1:{srv.port}"):
        assert get(srv, api.VIDEOS, ok).status == 200, ok
    for bad in ("evil.example", "media.example.org", "example.net", "video.example.org.evil"):
        api.assert_problem(get(srv, api.VIDEOS, bad), 421)


def test_star_answers_every_host(server_factory):
    srv = server_factory.start(env={"KINORA_ALLOWED_HOSTS": "*"})
    assert get(srv, api.VIDEOS, "evil.example").status == 200


def test_the_internal_listener_answers_probes_by_any_host(server_factory):
    internal = f"{HOST}:{free_port()}"
    srv = server_factory.start(env={"KINORA_INTERNAL_LISTEN": internal})
    probe = Client(HOST, int(internal.rsplit(":", 1)[1]))
    for path in ("/health", "/ready"):
        assert probe.get(path, headers={"Host": "kinora-0.kinora.svc"}).status == 200


def test_a_bad_allowed_hosts_setting_stops_the_start(kinora_bin, tmp_path):
    import subprocess

    from harness.server import base_env
    proc = subprocess.run([kinora_bin, "serve", "--listen", f"{HOST}:0", "--data-dir",
                           str(tmp_path)], env=base_env({"KINORA_ALLOWED_HOSTS": "exa mple.org"}),
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2, proc
    assert "KINORA_ALLOWED_HOSTS" in proc.stderr + proc.stdout


def test_two_host_headers_are_400(loopback):
    from harness.client import raw_request
    data = (f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{loopback.port}\r\n"
            "Host: evil.example\r\n\r\n").encode()
    api.assert_problem(raw_request(HOST, loopback.port, data, timeout=10), 400)
