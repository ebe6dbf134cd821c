"""Everything survives a restart on the same data directory: catalog, counters, objects and
the signed URLs already handed out."""
from __future__ import annotations

from urllib.parse import urlsplit

from harness import api
from harness.media import sha256_file

URL_FIELDS = ("thumbnail_url", "video_url", "original_url", "hls_url")


def stable(video: dict) -> dict:
    """A video without its signed URLs' query strings (those carry a fresh expiry)."""
    out = dict(video)
    for name in URL_FIELDS:
        if out.get(name):
            out[name] = urlsplit(out[name]).path
    return out


def upload_library(client, media) -> dict[str, tuple]:
    """Uploads one clip per format; returns video_id -> (source path, extension)."""
    library = {}
    for i, ext in enumerate(("mp4", "webm", "mkv", "avi", "wmv")):
        src = media.clip(ext)
        video = api.upload_ok(client, src, filename=f"keep-{i}.{ext}", title=f"Keep {i} {ext}",
                              description=f"restart test {i}")
        library[video["video_id"]] = (src, ext)
    return library


def snapshot(client) -> dict[str, dict]:
    return {v["video_id"]: api.get_video(client, v["video_id"])
            for v in api.walk_cursor(client, limit=100)}


def test_graceful_restart_keeps_everything(server, media):
    client = server.client
    library = upload_library(client, media)
    some = next(iter(library))
    for n in range(3):
        assert client.post(api.view_path(some), headers={"User-Agent": f"viewer-{n}"}).status == 200
    assert api.like(client, some).status == 200
    before = snapshot(client)
    assert set(before) == set(library)

    server.restart(graceful=True)
    client = server.client
    after = snapshot(client)
    assert set(after) == set(before)
    for vid in before:
        assert stable(after[vid]) == stable(before[vid]), f"{vid} changed across the restart"
    assert (after[some]["views"], after[some]["likes"]) == (3, 1)

    for vid, (src, ext) in library.items():
        old = api.media_get(client, before[vid]["original_url"])
        assert old.status == 200, f"URL signed before the restart refused after it: {old!r}"
        assert old.body == src.read_bytes()
        new = api.media_get(client, after[vid]["video_url"], headers={"Range": "bytes=0-1023"})
        assert new.status == 206 and new.body == src.read_bytes()[:1024]


def test_acknowledged_uploads_survive_kill_9(server, media):
    src = media.clip("mov")
    video = api.upload_ok(server.client, src, filename="durable.mov", title="durable")
    vid = video["video_id"]
    server.kill()
    server.start()
    client = server.client
    details = api.get_video(client, vid)
    assert (details["title"], details["size"], details["status"]) == ("durable", src.stat().st_size,
                                                                      "UPLOADED")
    assert sha256_file(server.objects_dir / "videos" / f"{vid}.mov") == sha256_file(src)
    assert api.media_get(client, details["original_url"]).body == src.read_bytes()


def test_server_keeps_working_after_restart(server, media):
    server.restart()
    client = server.client
    video = api.upload_ok(client, media.clip("flv"), filename="after.flv")
    assert client.post(api.view_path(video["video_id"])).json()["views"] == 1
    assert api.total_videos(client) == 1
