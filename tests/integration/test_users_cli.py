"""The operator's account commands: `kinora users …` and `kinora tokens create`.

They run against the catalog's database as `serve` configures it (--data-dir, KINORA_DB), also
while a server runs on the same SQLite file. A secret they make (a generated password, a token)
is the only thing on stdout; messages go to stderr.
"""
from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harness.server import base_env

TIMEOUT = 30
PASSWORD = re.compile(r"[A-Za-z0-9_-]{20}")
TOKEN = re.compile(r"kin_[A-Za-z0-9_-]{43}")


def kinora(kinora_bin, data_dir: Path, *args, stdin: str | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs `kinora ARGS --data-dir DATA_DIR` (the data dir goes last: each command takes it)."""
    try:
        return subprocess.run([kinora_bin, *args, "--data-dir", str(data_dir)],
                              env=base_env(env), input=stdin, capture_output=True, text=True,
                              timeout=TIMEOUT, stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"kinora {' '.join(args)} still running after {TIMEOUT}s; stderr: {e.stderr!r}")


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result


def user_rows(kinora_bin, data_dir: Path) -> list[list[str]]:
    """`users list` as rows of cells, without the header."""
    lines = ok(kinora(kinora_bin, data_dir, "users", "list")).stdout.splitlines()
    assert lines[0].split() == ["USERNAME", "ROLE", "DISABLED", "CREATED"], lines
    return [line.split() for line in lines[1:]]


def test_create_generates_a_password_shown_once(kinora_bin, tmp_path):
    data = tmp_path / "data"   # not there yet: `users create` may run before the first serve
    result = ok(kinora(kinora_bin, data, "users", "create", "Admin", "--role", "admin"))
    assert PASSWORD.fullmatch(result.stdout.strip()), result.stdout
    assert result.stdout.count("\n") == 1, "only the password on stdout"
    assert "Admin" in result.stderr and "once" in result.stderr, result.stderr
    assert (data / "catalog.db").is_file()

    piped = ok(kinora(kinora_bin, data, "users", "create", "bob", "--password-stdin",
                      "--quota-bytes", "1000000", "--daily-quota-bytes", "1000",
                      stdin="correct horse battery\n"))
    assert piped.stdout == "", "a password the operator gave is never printed"

    rows = user_rows(kinora_bin, data)
    assert [r[:3] for r in rows] == [["Admin", "admin", "no"], ["bob", "user", "no"]]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r[3]) for r in rows), rows


def test_duplicate_names_are_refused_in_any_case(kinora_bin, tmp_path):
    data = tmp_path / "data"
    ok(kinora(kinora_bin, data, "users", "create", "alice"))
    for name in ("alice", "ALICE", "Alice"):
        result = kinora(kinora_bin, data, "users", "create", name, "--role", "moderator")
        assert result.returncode == 1, result
        assert "taken" in result.stderr, result.stderr
        assert result.stdout == "", "no password for an account that was not created"
    assert [r[0] for r in user_rows(kinora_bin, data)] == ["alice"]


@pytest.mark.parametrize("args,stdin,message", [
    (("users", "create", "with space"), None, "username"),
    (("users", "create", "carol", "--password-stdin"), "short\n", "at least 10"),
    (("users", "create", "carol", "--password-stdin"), "", "stdin"),
])
def test_bad_input_is_refused_and_creates_nothing(kinora_bin, tmp_path, args, stdin, message):
    data = tmp_path / "data"
    ok(kinora(kinora_bin, data, "users", "create", "first"))
    result = kinora(kinora_bin, data, *args, stdin=stdin)
    assert result.returncode == 1, result
    assert message in result.stderr, result.stderr
    assert [r[0] for r in user_rows(kinora_bin, data)] == ["first"]


def test_bad_role_is_a_usage_error(kinora_bin, tmp_path):
    result = kinora(kinora_bin, tmp_path / "data", "users", "create", "dave", "--role", "root")
    assert result.returncode not in (0, 1), result
    assert "--role" in result.stderr, result.stderr


def test_reset_password_prints_a_fresh_one_unless_given(kinora_bin, tmp_path):
    data = tmp_path / "data"
    first = ok(kinora(kinora_bin, data, "users", "create", "alice")).stdout.strip()
    reset = ok(kinora(kinora_bin, data, "users", "reset-password", "ALICE"))
    assert PASSWORD.fullmatch(reset.stdout.strip()), reset.stdout
    assert reset.stdout.strip() != first
    assert "session" in reset.stderr, reset.stderr

    given = ok(kinora(kinora_bin, data, "users", "reset-password", "alice", "--password-stdin",
                      stdin="a brand new password\n"))
    assert given.stdout == ""

    missing = kinora(kinora_bin, data, "users", "reset-password", "nobody")
    assert missing.returncode == 1 and "nobody" in missing.stderr, missing


def test_disable_and_enable(kinora_bin, tmp_path):
    data = tmp_path / "data"
    ok(kinora(kinora_bin, data, "users", "create", "alice"))
    ok(kinora(kinora_bin, data, "users", "disable", "alice"))
    assert user_rows(kinora_bin, data)[0][:3] == ["alice", "user", "yes"]
    refused = kinora(kinora_bin, data, "tokens", "create", "alice", "--name", "n",
                     "--scope", "videos:read")
    assert refused.returncode == 1 and "disabled" in refused.stderr, refused
    ok(kinora(kinora_bin, data, "users", "enable", "alice"))
    assert user_rows(kinora_bin, data)[0][:3] == ["alice", "user", "no"]


def test_tokens_create_prints_only_the_token(kinora_bin, tmp_path):
    data = tmp_path / "data"
    ok(kinora(kinora_bin, data, "users", "create", "root", "--role", "admin"))
    ok(kinora(kinora_bin, data, "users", "create", "bob"))
    tokens = set()
    for args in (("--scope", "videos:write"),
                 ("--scope", "videos:read", "--scope", "analytics:read", "--expires-in-days", "30"),
                 ("--scope", "admin")):
        result = ok(kinora(kinora_bin, data, "tokens", "create", "root", "--name", "script", *args))
        # What `TOKEN=$(kinora tokens create …)` captures: the token and its newline, nothing else.
        assert TOKEN.fullmatch(result.stdout.rstrip("\n")), result.stdout
        assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1
        token = result.stdout.strip()
        assert len(token) == 4 + 43
        assert token not in result.stderr, "the secret is printed once, on stdout"
        assert token[:8] in result.stderr, "stderr names the token by its hint"
        tokens.add(token)
    assert len(tokens) == 3

    # The database keeps only digests.
    with sqlite3.connect(data / "catalog.db") as db:
        stored = [row[0] for row in db.execute("SELECT hash FROM api_tokens")]
    assert len(stored) == 3 and not tokens & set(stored)
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in stored), stored


@pytest.mark.parametrize("args,code,message", [
    (("nobody", "--name", "n", "--scope", "videos:read"), 1, "nobody"),
    (("bob", "--name", "n", "--scope", "admin"), 1, "admin"),
    (("bob", "--name", "n", "--scope", "videos:delete"), None, "--scope"),
    (("bob", "--name", "n"), None, "--scope"),
    (("bob", "--name", "n", "--scope", "videos:read", "--expires-in-days", "0"), None,
     "--expires-in-days"),
])
def test_tokens_create_refusals_print_no_token(kinora_bin, tmp_path, args, code, message):
    data = tmp_path / "data"
    ok(kinora(kinora_bin, data, "users", "create", "bob"))
    result = kinora(kinora_bin, data, "tokens", "create", *args)
    assert result.returncode != 0, result
    if code is not None:
        assert result.returncode == code, result
    assert message in result.stderr, result.stderr
    assert "kin_" not in result.stdout


def test_commands_need_an_existing_database(kinora_bin, tmp_path):
    for args in (("users", "list"), ("users", "disable", "x"),
                 ("tokens", "create", "x", "--name", "n", "--scope", "videos:read")):
        result = kinora(kinora_bin, tmp_path / "nothing-here", *args)
        assert result.returncode == 1, result
        assert "no database" in result.stderr, result.stderr
    assert not (tmp_path / "nothing-here").exists()


def test_kinora_db_names_the_database(kinora_bin, tmp_path):
    db = tmp_path / "elsewhere" / "catalog.db"
    env = {"KINORA_DB": f"sqlite://{db}"}
    ok(kinora(kinora_bin, tmp_path / "unused", "users", "create", "alice", env=env))
    assert db.is_file()
    assert not (tmp_path / "unused").exists()
    listed = ok(kinora(kinora_bin, tmp_path / "unused", "users", "list", env=env))
    assert "alice" in listed.stdout


def test_commands_work_while_the_server_runs(kinora_bin, server):
    with sqlite3.connect(server.catalog_db) as db:
        catalog_version = db.execute("PRAGMA user_version").fetchone()[0]
    assert catalog_version > 0

    for i in range(5):
        ok(kinora(kinora_bin, server.data_dir, "users", "create", f"user{i}"))
    ok(kinora(kinora_bin, server.data_dir, "users", "create", "root", "--role", "admin"))
    token = ok(kinora(kinora_bin, server.data_dir, "tokens", "create", "root", "--name", "ci",
                      "--scope", "videos:write")).stdout.strip()
    assert TOKEN.fullmatch(token)
    ok(kinora(kinora_bin, server.data_dir, "users", "disable", "user3"))
    assert len(user_rows(kinora_bin, server.data_dir)) == 7  # and the harness's first admin

    # The identity tables sit beside the catalog's, under their own version.
    with sqlite3.connect(server.catalog_db) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == catalog_version
        assert db.execute("SELECT version FROM kinora_migrations WHERE component = 'identity'"
                          ).fetchone() == (1,)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"videos", "users", "sessions", "api_tokens"} <= tables

    assert server.running
    assert server.client.get("/health").status == 200
    assert server.client.get("/api/analytics/videos").status == 200
