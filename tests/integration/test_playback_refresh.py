"""Playback outlives signed URLs (issue 14, defect 11) without weakening revocation.

Signed media URLs expire (KINORA_URL_TTL_SECONDS, here a few seconds). The web player fetches
the video's details again before its URLs expire, or on a 403, and carries on from the same
position (web/src/features/watch/VideoPlayer.tsx, refreshDelayMs in playback.ts). On the
wire: a viewer who may watch gets, after the first page's URLs have expired, a playlist whose
segment URLs work; old URLs stay expired; and once the video is revoked (made private: its
media generation changes) every URL handed out before fails at once and the viewer gets no
fresh ones, while the owner still does.
"""
from __future__ import annotations

import time

import pytest

from harness import api, auth, hls, processing
from harness.client import relative_url

TTL = 6  # seconds, both public and private URLs
REVOKED = (403, 404)


def player_urls(client, video: dict) -> dict[str, str]:
    """What a player fetches: the master playlist, a variant, its init and first/last segments."""
    out = {"master": api.signed(video["hls_url"])}
    variants = hls.parse_master(hls.fetch_playlist(client, out["master"]))
    assert variants
    out["variant"] = relative_url(variants[-1].uri)
    playlist = hls.parse_media(hls.fetch_playlist(client, out["variant"]))
    assert playlist.map_uri and playlist.segments, playlist
    out["init"] = relative_url(playlist.map_uri)
    out["first segment"] = relative_url(playlist.segments[0][1])
    out["last segment"] = relative_url(playlist.segments[-1][1])
    return out


def expires(url: str) -> int:
    return int(api.url_query(url)["expires"])


def statuses(client, urls: dict[str, str]) -> dict[str, int]:
    return {name: client.get(url).status for name, url in urls.items()}


@pytest.fixture(scope="module")
def server(module_server_factory):
    return module_server_factory.start(env={"KINORA_WORKERS": "1",
                                            "KINORA_URL_TTL_SECONDS": str(TTL),
                                            "KINORA_PRIVATE_URL_TTL_SECONDS": str(TTL)})


@pytest.fixture(scope="module")
def owner(server):
    return auth.new_user(server, "filmmaker")


@pytest.fixture(scope="module")
def film(server, owner, media) -> str:
    video = api.upload_ok(owner.client, media.clip("mp4"), title="a long film",
                          visibility="public")
    done, _ = processing.wait_settled(owner.client, video["video_id"])
    assert done["status"] == "PROCESSED", done
    return video["video_id"]


def test_a_viewer_who_may_watch_gets_working_segments_after_the_first_page_expired(server,
                                                                                   film):
    viewer = auth.anonymous(server).client
    first = player_urls(viewer, api.get_video(viewer, film))
    assert set(statuses(viewer, first).values()) == {200}
    # The rewritten playlists carry the page's expiry down to every segment.
    assert {expires(u) for u in first.values()} == {expires(first["master"])}

    time.sleep(max(0.0, expires(first["master"]) - time.time()) + 1.5)
    expired = statuses(viewer, first)
    assert set(expired.values()) == {403}, expired  # what makes the player refresh

    # The player's refresh: the details again, then the playlists it names.
    again = player_urls(viewer, api.get_video(viewer, film))
    assert expires(again["master"]) > expires(first["master"])
    assert set(statuses(viewer, again).values()) == {200}, again
    for name in ("first segment", "last segment"):
        assert viewer.get(again[name]).body, name


def test_revocation_still_holds_for_urls_handed_out_before(server, owner, film):
    viewer = auth.anonymous(server).client
    before = player_urls(viewer, api.get_video(viewer, film))
    assert set(statuses(viewer, before).values()) == {200}
    assert api.edit_video(owner.client, film, visibility="private").status == 200
    revoked = statuses(viewer, before)
    assert time.time() < expires(before["master"]), "too slow: the URLs expired on their own"
    assert set(revoked.values()) <= set(REVOKED), revoked  # at once, before they expire
    api.assert_problem(viewer.get(api.video_path(film)), 404)  # and no fresh URLs for them
    mine = player_urls(owner.client, api.get_video(owner.client, film))
    assert set(statuses(owner.client, mine).values()) == {200}
