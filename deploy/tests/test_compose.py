"""The compose file runs the split deployment locally the way it runs on AWS."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose"
SERVICES = yaml.safe_load((COMPOSE / "compose.yaml").read_text())["services"]
ROLES = ("gateway", "uploader", "analytics", "processor")


def test_peers_for_s3_sqs_and_postgresql() -> None:
    assert SERVICES["minio"]["image"].startswith("minio/minio:RELEASE.")
    assert SERVICES["sqs"]["image"].startswith("softwaremill/elasticmq")
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    conf = (COMPOSE / "elasticmq.conf").read_text()
    assert "kinora-jobs-dlq" in conf and "maxReceiveCount = 5" in conf


def test_each_role_runs_alone_on_the_split_backends() -> None:
    for role in ROLES:
        s = SERVICES[role]
        assert s["command"] == [role]
        assert s["build"]["dockerfile"] == "deploy/docker/kinora.Dockerfile"
        assert s["read_only"] is True, f"{role}: the root filesystem must be read-only"
        env = s["environment"]
        assert env["KINORA_STORAGE"] == "s3" and env["KINORA_QUEUE"] == "sqs"
        assert env["KINORA_DB"].startswith("postgresql://") and "@postgres:5432/" in env["KINORA_DB"]
        assert env["SQS_QUEUE_URL"].endswith("/kinora-jobs")
        assert env["KINORA_UPLOADER_URL"] == "http://uploader:8080"
        assert env["KINORA_ANALYTICS_URL"] == "http://analytics:8080"


def test_edge_routes_like_the_alb() -> None:
    edge = (COMPOSE / "edge.conf").read_text()
    assert "location /api/ { proxy_pass http://gateway:8080; }" in edge
    assert "location /media/ { proxy_pass http://gateway:8080; }" in edge
    assert "location / { proxy_pass http://web:8080; }" in edge
    assert "proxy_request_buffering off;" in edge, "uploads must stream through"
    ports = SERVICES["edge"]["ports"]
    assert ports == ["127.0.0.1:8080:8080"]


def test_every_image_is_pinned() -> None:
    for name, s in SERVICES.items():
        image = s.get("image", "")
        tag = image.rpartition(":")[2]
        assert image and tag and tag != "latest" and "/" not in tag, f"{name}: image {image!r} is not pinned"
