"""yamllint on every YAML file and shellcheck on every shell script in the repository."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", "node_modules", "build", "kinora-data", "dist", ".terraform", "__pycache__"}


def files(predicate) -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS for part in rel.parts) or rel.parts[:2] == ("bench", "out"):
            continue
        if path.is_file() and predicate(path):
            found.append(path)
    return sorted(found)


def is_shell_script(path: Path) -> bool:
    if path.suffix == ".sh":
        return True
    if path.suffix:
        return False
    try:
        first = path.open("rb").readline()
    except OSError:
        return False
    return first.startswith(b"#!") and (b"bash" in first or first.rstrip().endswith(b"/sh"))


def run(tool: str, args: list[str]) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: run scripts/setup.sh --test")
    result = subprocess.run([tool, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{tool} found problems:\n{result.stdout}{result.stderr}"


def test_every_yaml_file_passes_yamllint() -> None:
    yamls = files(lambda p: p.suffix in (".yaml", ".yml"))
    names = {str(p.relative_to(ROOT)) for p in yamls}
    for expected in (".github/workflows/pipeline.yml", "deploy/compose/compose.yaml"):
        assert expected in names, f"{expected} is missing"
    run("yamllint", ["--strict", "-c", ".yamllint.yaml", *sorted(names)])


def test_every_shell_script_passes_shellcheck() -> None:
    scripts = files(is_shell_script)
    names = [str(p.relative_to(ROOT)) for p in scripts]
    for expected in ("scripts/setup.sh", "scripts/test.sh", ".ci/run", "deploy/docker/runtime-packages.sh"):
        assert expected in names, f"{expected} was not found as a shell script"
    run("shellcheck", ["--severity=style", *names])
