"""Breakdown dimensions from maintained data (docs/analytics.md "Breakdowns"): a beacon from an
iPhone's Safari is stored as device `mobile`, browser `Mobile Safari`, OS `iOS`, and its country
comes from the operator's .mmdb (KINORA_GEOIP_DB; the test builds one with
tests/tools/make_mmdb.py: 127.0.0.0/8 is NZ, 192.0.2.0/24 DE). The breakdown API answers the
same values.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from harness import api, auth
from harness.client import Client
from harness.server import HOST

ROOT = Path(__file__).resolve().parents[2]
BEACON = "/api/analytics/beacon"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36")


def make_video(tmp_path: Path) -> Path:
    out = tmp_path / "short.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=64x64:rate=5:duration=30", "-c:v", "libx264", "-preset",
                    "ultrafast", "-pix_fmt", "yuv420p", str(out)], check=True, timeout=120)
    return out


def send_view(client: Client, video_id: str, ua: str, extra: dict | None = None) -> None:
    body = {"v": 1, "video_id": video_id, "view_id": "v" + uuid.uuid4().hex, "surface": "watch",
            "embed_host": None, "referrer": None, "duration": 30,
            "events": [{"seq": 0, "type": "viewstart", "t": 0, "playhead": 0},
                       {"seq": 1, "type": "playing", "t": 200, "playhead": 0,
                        "startup_ms": 200}]}
    headers = {"User-Agent": ua, "Content-Type": "text/plain;charset=UTF-8", **(extra or {})}
    resp = client.post(BEACON, json.dumps(body).encode(), headers=headers)
    assert resp.status == 202, resp


def test_iphone_beacon_gets_device_browser_os_and_country(server_factory, tmp_path):
    mmdb = tmp_path / "country.mmdb"
    subprocess.run([sys.executable, str(ROOT / "tests/tools/make_mmdb.py"), str(mmdb)],
                   check=True, timeout=60)
    srv = server_factory.start(env={"KINORA_GEOIP_DB": str(mmdb),
                                    "KINORA_TRUSTED_PROXIES": "127.0.0.1"})
    video = api.upload_ok(srv.client, make_video(tmp_path), filename="short.mp4", title="short")
    vid = video["video_id"]
    anonymous = Client(HOST, srv.port)
    send_view(anonymous, vid, IPHONE)                                     # from 127.0.0.1: NZ
    send_view(anonymous, vid, WINDOWS, {"X-Forwarded-For": "192.0.2.7"})  # via a proxy: DE

    db = srv.data_dir / "catalog.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = sorted(conn.execute("SELECT device, browser, os, country, bot FROM view_sessions"))
    assert rows == [("desktop", "Chrome", "Windows", "DE", 0),
                    ("mobile", "Mobile Safari", "iOS", "NZ", 0)]

    owner = auth.admin(srv)

    def breakdown(dimension: str) -> dict:
        resp = owner.client.get(f"/api/analytics/videos/{vid}/breakdown/{dimension}")
        assert resp.status == 200, resp
        return {i["value"]: i["plays"] for i in resp.json()["items"]}

    assert breakdown("device") == {"mobile": 1, "desktop": 1}
    assert breakdown("browser") == {"Mobile Safari": 1, "Chrome": 1}
    assert breakdown("os") == {"iOS": 1, "Windows": 1}
    assert breakdown("country") == {"NZ": 1, "DE": 1}


def test_a_geoip_db_that_is_not_one_stops_the_start(kinora_bin, tmp_path):
    bad = tmp_path / "bad.mmdb"
    bad.write_bytes(b"not a MaxMind database\n")
    env = {"KINORA_GEOIP_DB": str(bad), "KINORA_DATA_DIR": str(tmp_path / "data"),
           "KINORA_LISTEN": "127.0.0.1:0", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([kinora_bin, "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode != 0
    assert "KINORA_GEOIP_DB" in proc.stderr, proc.stderr


def test_a_missing_file_is_a_startup_problem(kinora_bin, tmp_path):
    env = {"KINORA_GEOIP_DB": str(tmp_path / "absent.mmdb"),
           "KINORA_UAP_REGEXES": str(tmp_path / "absent.yaml"),
           "KINORA_DATA_DIR": str(tmp_path / "data"), "KINORA_LISTEN": "127.0.0.1:0",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([kinora_bin, "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode != 0
    # Both reported at once, as every settings problem is.
    assert "KINORA_GEOIP_DB" in proc.stderr and "KINORA_UAP_REGEXES" in proc.stderr, proc.stderr

