"""The container images: multi-stage builds from the repository's own scripts, non-root
runtimes with health checks, no secrets, and a build context without build trees."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from dockerfile import exec_form, parse

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
KINORA = DOCKER / "kinora.Dockerfile"
WEB = DOCKER / "web.Dockerfile"
DOCKERFILES = [KINORA, WEB]


def pinned(image: str) -> bool:
    """A tag or digest that is not latest."""
    if "@sha256:" in image:
        return True
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_multi_stage_with_pinned_bases(path: Path) -> None:
    stages = parse(path)
    assert len(stages) >= 2, f"{path.name}: one stage; the build tools must stay out of the runtime"
    for s in stages:
        assert pinned(s.base), f"{path.name}: base image {s.base} is not pinned to a tag"
    runtime = stages[-1]
    assert runtime.all("COPY"), f"{path.name}: the runtime stage copies nothing from the build"
    assert any("--from=" in c for c in runtime.all("COPY")), (
        f"{path.name}: the runtime stage must take its artefacts from the build stage")


@pytest.mark.parametrize("path,uid", [(KINORA, "1000"), (WEB, "101")], ids=["kinora", "web"])
def test_runtime_runs_as_non_root(path: Path, uid: str) -> None:
    runtime = parse(path)[-1]
    users = runtime.all("USER")
    assert users, f"{path.name}: the runtime stage sets no USER (it would run as root)"
    assert users[-1].split(":")[0] == uid, f"{path.name}: runs as {users[-1]}, not uid {uid}"
    assert users[-1].split(":")[0] not in ("0", "root")


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_runtime_has_a_healthcheck_and_one_port(path: Path) -> None:
    runtime = parse(path)[-1]
    checks = runtime.all("HEALTHCHECK")
    assert len(checks) == 1, f"{path.name}: needs exactly one HEALTHCHECK"
    assert "CMD" in checks[0] and "NONE" not in checks[0]
    assert runtime.all("EXPOSE") == ["8080"], f"{path.name}: must expose 8080 only"


def test_kinora_health_check_asks_the_health_endpoint() -> None:
    check = parse(KINORA)[-1].all("HEALTHCHECK")[0]
    assert "http://127.0.0.1:8080/health" in check


def test_kinora_build_stage_uses_the_repository_scripts() -> None:
    build = parse(KINORA)[0]
    assert build.base.startswith("debian:12"), "the builder must be Debian 12, like the README's machine"
    runs = " ".join(build.all("RUN"))
    assert "scripts/setup.sh" in runs, "the build stage must install with scripts/setup.sh"
    assert "scripts/build.sh" in runs, "the build stage must build with scripts/build.sh"
    assert "deploy/docker/runtime-packages.sh" in runs
    assert not re.search(r"\b(cmake|ninja|g\+\+)\b", runs), (
        "the build stage must not repeat what scripts/build.sh does")


def test_web_build_stage_uses_the_repository_script() -> None:
    build = parse(WEB)[0]
    assert "bookworm" in build.base, "the web builder must be Debian 12 (bookworm)"
    runs = " ".join(build.all("RUN"))
    assert "scripts/build_web.sh" in runs
    assert "npm ci" in runs, "dependencies must come from package-lock.json (npm ci)"


def test_kinora_runtime_is_slim_and_has_no_build_tools() -> None:
    runtime = parse(KINORA)[-1]
    assert runtime.base.startswith("debian:12") and runtime.base.endswith("-slim")
    runs = " ".join(runtime.all("RUN"))
    assert "--no-install-recommends" in runs
    assert "runtime-packages.txt" in runs, "the runtime installs the packages the build found"
    for tool in ("build-essential", "cmake", "g++", "-dev ", "npm"):
        assert tool not in runs, f"the runtime stage installs {tool}"
    assert "rm -rf /var/lib/apt/lists" in runs
    assert exec_form(runtime.all("ENTRYPOINT")[0]) == ["kinora"]
    env = " ".join(runtime.all("ENV"))
    assert "KINORA_LISTEN=0.0.0.0:8080" in env


def test_web_runtime_is_nginx_unprivileged() -> None:
    runtime = parse(WEB)[-1]
    assert runtime.base == "nginxinc/nginx-unprivileged:1.27-alpine"
    copies = " ".join(runtime.all("COPY"))
    assert "deploy/docker/nginx/default.conf" in copies
    assert "/src/web/dist" in copies


SECRET_WORDS = re.compile(r"(PASSWORD|SECRET|TOKEN|AWS_ACCESS_KEY_ID|PRIVATE_KEY|SIGNING_KEY)", re.I)


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.name)
def test_no_secrets_in_images(path: Path) -> None:
    for stage in parse(path):
        for keyword in ("ENV", "ARG", "LABEL"):
            for args in stage.all(keyword):
                assert not SECRET_WORDS.search(args), f"{path.name}: {keyword} {args} looks like a secret"
        for args in stage.all("COPY") + stage.all("ADD"):
            assert not re.search(r"\.(pem|key|env)\b|id_rsa|credentials", args), (
                f"{path.name}: copies {args}")


def test_dockerignore_keeps_the_context_small_and_clean() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", "build/", "kinora-data/", "**/node_modules/", "web/dist/", "*.tfstate", ".env"):
        assert entry in ignored, f".dockerignore must exclude {entry}"
    for needed in ("scripts/", "libs/", "web/", "api/", "deploy/docker/"):
        assert needed not in ignored, f".dockerignore must not exclude {needed}: the build needs it"


NGINX = (DOCKER / "nginx" / "default.conf").read_text()


def nginx_location(pattern: str) -> str:
    m = re.search(r"location\s+" + pattern + r"\s*\{(.*?)\n    \}", NGINX, re.S)
    assert m, f"nginx default.conf has no location {pattern}"
    return m.group(1)


def test_nginx_listens_unprivileged_with_spa_fallback() -> None:
    assert re.search(r"^\s*listen 8080;", NGINX, re.M)
    assert "try_files $uri $uri/ /index.html;" in nginx_location("/")
    assert "no-cache" in nginx_location("/"), "index.html must be revalidated so deploys show at once"


def test_nginx_caches_hashed_assets_for_a_year() -> None:
    assets = nginx_location("/assets/")
    assert "max-age=31536000" in assets and "immutable" in assets
    assert "try_files $uri =404;" in assets, "a missing asset must be a 404, not index.html"
    assert "immutable\" always" not in assets, "a 404 must not be cached for a year"


def test_nginx_does_not_serve_the_api() -> None:
    api = nginx_location(r"~ \^/\(api\|media\)\(/\|\$\)")
    assert "return 404" in api
    assert "types { }" in api, "without it /media/x.m3u8 is labelled a playlist, not a problem"
    assert "proxy_pass" not in NGINX, "the web server must not proxy the API (the ALB routes it)"


def test_nginx_health_path_for_the_probes() -> None:
    assert "return 200" in nginx_location("= /healthz")


def test_runtime_packages_of_the_built_binary() -> None:
    """The script the build stage uses, on this tree's own binary: the libraries it links come
    from runtime packages (never -dev ones), FFmpeg's and libpq among them."""
    binary = os.environ.get("KINORA_BIN")
    if not binary or not Path(binary).exists():
        pytest.skip("KINORA_BIN is not set (CTest sets it to the built binary)")
    out = subprocess.run(["bash", str(DOCKER / "runtime-packages.sh"), binary],
                         capture_output=True, text=True, check=True).stdout.split()
    for pkg in ("libavcodec59", "libavformat59", "libpq5", "libsqlite3-0", "libcurl4", "libssl3"):
        assert pkg in out, f"runtime-packages.sh missed {pkg}: {out}"
    assert not [p for p in out if p.endswith("-dev")], out
