"""Text at every input is valid UTF-8, and every answer is valid JSON whatever a row holds.

Raw bytes go over the wire as a hostile client would send them: invalid UTF-8 in a title or
description is refused (400, the problem names the field), in a filename it is kept with U+FFFD
(docs: README, "Text"), in a JSON body it is refused; a row that already holds invalid bytes
(written before the check) still lists, shows and counts as valid JSON, and `kinora reindex`
keeps a video whose metadata document holds them, and names every video it cannot restore.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid

import pytest

from harness import api, auth
from harness.server import base_env

FFFD = "\ufffd"
# Overlong '/', a lone surrogate, a code point above U+10FFFF, a stray byte, a cut sequence.
BAD = [b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xff", b"caf\xc3"]


def raw_form(file_bytes: bytes, filename: bytes, title: bytes | None = None,
             description: bytes | None = None) -> tuple[bytes, str]:
    boundary = f"kinora-raw-{uuid.uuid4().hex}"
    out = b""
    for name, value in (("title", title), ("description", description)):
        if value is not None:
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                    .encode() + value + b"\r\n")
    out += (f"--{boundary}\r\n".encode()
            + b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            + b"Content-Type: video/mp4\r\n\r\n" + file_bytes + b"\r\n"
            + f"--{boundary}--\r\n".encode())
    return out, f"multipart/form-data; boundary={boundary}"


def raw_upload(server, file_bytes: bytes, filename: bytes, **fields):
    body, content_type = raw_form(file_bytes, filename, **fields)
    headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
    headers.update(auth.admin_headers(server.client))
    return server.client.post(api.UPLOAD, body, headers=headers)


def strict_json(resp):
    """The body decoded as strict UTF-8 JSON (Python's json refuses invalid UTF-8 bytes)."""
    assert resp.status == 200, resp
    return json.loads(resp.body.decode("utf-8", errors="strict"))


@pytest.fixture(scope="module")
def clip_path(media):
    return media.clip("mp4")


@pytest.fixture(scope="module")
def clip(clip_path) -> bytes:
    return clip_path.read_bytes()


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.hex())
def test_invalid_utf8_in_a_form_field_is_refused_naming_the_field(module_server, clip, field,
                                                                   bad):
    server = module_server
    before, total = api.files_under(server.objects_dir), api.total_videos(server.client)
    resp = raw_upload(server, clip, b"clip.mp4", **{field: b"x" + bad + b"y"})
    doc = api.assert_problem(resp, 400)
    assert f"'{field}'" in doc["detail"] and "UTF-8" in doc["detail"], doc
    api.assert_nothing_left_behind(server, before, total)


def test_valid_utf8_text_is_kept_exactly(module_server, clip):
    title = "Café 🎬 — 東京"
    resp = raw_upload(module_server, clip, "clip ✓.mp4".encode(), title=title.encode(),
                      description="naïve".encode())
    assert resp.status == 201, resp
    video = api.get_video(module_server.client, resp.json()["video_id"])
    assert (video["title"], video["description"]) == (title, "naïve"), video
    assert video["original_filename"] == "clip ✓.mp4", video


def test_invalid_utf8_in_a_filename_is_replaced_and_every_answer_stays_json(module_server, clip):
    server = module_server
    resp = raw_upload(server, clip, b"bad\xff\xc0\xafname.mp4")
    assert resp.status == 201, resp
    video = strict_json(api.wait_until(lambda: server.client.get(
        api.video_path(resp.json()["video_id"]))))
    assert video["original_filename"] == f"bad{FFFD}{FFFD}{FFFD}name.mp4", video
    assert video["title"] == f"bad{FFFD}{FFFD}{FFFD}name", video
    listing = strict_json(server.client.get(api.VIDEOS, params={"limit": 100}))
    assert video["video_id"] in {v["video_id"] for v in listing["videos"]}
    strict_json(server.client.get(api.STATS))


@pytest.mark.parametrize("body", [
    b'{"title":"x\xff"}',
    b'{"description":"\xed\xa0\x80"}',
    b'{"title":"\\ud800"}',  # a lone surrogate, escaped
])
def test_invalid_text_in_an_edit_is_refused(module_server, clip_path, body):
    server = module_server
    video = api.upload_ok(server.client, clip_path, title="before")
    resp = server.client.patch(api.delete_path(video["video_id"]), body,
                               headers={"Content-Type": "application/json",
                                        **auth.admin_headers(server.client)})
    doc = api.assert_problem(resp, 400)
    if b"\\ud800" not in body:
        field = "title" if b"title" in body else "description"
        assert f"'{field}'" in doc["detail"] and "UTF-8" in doc["detail"], doc
    assert api.get_video(server.client, video["video_id"])["title"] == "before"


def test_invalid_utf8_in_a_token_name_is_refused(module_server):
    session = auth.admin_session(module_server)
    body = b'{"name":"tok\xff","scopes":["videos:read"]}'
    resp = session.post(auth.TOKENS, body, headers={"Content-Type": "application/json"})
    doc = api.assert_problem(resp, 400)
    assert "UTF-8" in doc["detail"], doc


def test_a_row_holding_invalid_utf8_still_answers_valid_json(module_server, clip_path):
    """The JSON writer's last line of defence: bytes already stored (before the checks, or by
    another writer) are emitted as U+FFFD, never raw."""
    server = module_server
    video = api.upload_ok(server.client, clip_path, title="to be damaged")
    with sqlite3.connect(server.catalog_db, timeout=10) as db:
        db.execute("UPDATE videos SET title = CAST(? AS TEXT), description = CAST(? AS TEXT) "
                   "WHERE video_id = ?", (b"dam\xffaged", b"\xed\xa0\x80", video["video_id"]))
    shown = strict_json(server.client.get(api.video_path(video["video_id"])))
    assert shown["title"] == f"dam{FFFD}aged", shown
    assert shown["description"] == FFFD * 3, shown
    listing = strict_json(server.client.get(api.VIDEOS, params={"limit": 100}))
    assert f"dam{FFFD}aged" in {v["title"] for v in listing["videos"]}
    strict_json(server.client.get(api.VIDEOS, params={"limit": 100, "q": "dam"}))
    strict_json(server.client.get(api.STATS))


def run_reindex(kinora_bin, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run([kinora_bin, "reindex", "--data-dir", str(data_dir)], env=base_env(),
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def test_reindex_keeps_a_video_whose_mirror_holds_invalid_utf8_and_names_what_it_cannot_read(
        server_factory, media, kinora_bin):
    server = server_factory.start()
    kept = api.upload_ok(server.client, media.clip("mp4"), title="old mirror")
    lost = api.upload_ok(server.client, media.clip("webm"), title="unreadable mirror")
    server.stop()
    mirror = server.objects_dir / "metadata" / f"{kept['video_id']}.json"
    # What a writer that did not check text left behind: raw invalid bytes in the title.
    mirror.write_bytes(mirror.read_bytes().replace(b'"old mirror"', b'"old \xff mirror"'))
    (server.objects_dir / "metadata" / f"{lost['video_id']}.json").write_bytes(b"{not json")
    for name in ("catalog.db", "catalog.db-wal", "catalog.db-shm"):
        (server.data_dir / name).unlink(missing_ok=True)

    result = run_reindex(kinora_bin, server.data_dir)
    assert result.returncode == 1, result  # one video could not be restored: say so
    summary = json.loads(result.stdout)
    assert (summary["inserted"], summary["failed"]) == (1, 1), summary
    assert [p["video_id"] for p in summary["not_restored"]] == [lost["video_id"]], summary
    assert summary["not_restored"][0]["error"], summary
    assert lost["video_id"] in result.stderr, result.stderr  # logged too

    server.start()
    assert api.get_video(server.client, kept["video_id"])["title"] == f"old {FFFD} mirror"
