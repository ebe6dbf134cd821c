"""Private videos and revocable media (docs/auth.md, visibility and protected media), in both
storage modes: `kinora serve` on files, and split mode with the objects in S3 (s3rver),
PostgreSQL and SQS, where media still goes through the gateway's /media/.

- A's private video is invisible to B and to anonymous callers: not listed, not found by
  search, 404 on details (as an unknown id), not counted in their stats; A, moderators and
  admins see it.
- The signed URLs of A's processed video (original, MP4, thumbnail, poster, HLS master and
  variant playlists, init segments and segments) work, and stop working (404 or 403) the
  moment A changes its visibility from public to private, playlists and segments alike; A's
  fresh URLs work again. A title edit revokes nothing. After a delete, every URL stops.
"""
from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest

from harness import api, auth, hls, processing
from harness.client import relative_url
from harness.cluster import split_cluster

REVOKED = (403, 404)
PUBLIC_TTL = 3600    # KINORA_URL_TTL_SECONDS' default
PRIVATE_TTL = 900    # KINORA_PRIVATE_URL_TTL_SECONDS' default


def assert_public_ttl(url: str) -> None:
    left = expiry_in(url)
    # Expiries are rounded up to a step of an eighth of the lifetime (docs/auth.md).
    assert (PUBLIC_TTL + PRIVATE_TTL) / 2 < left <= PUBLIC_TTL * 9 / 8 + 60, \
        f"{left:.0f} s left: {url}"


def assert_private_ttl(url: str) -> None:
    left = expiry_in(url)
    assert PRIVATE_TTL / 3 < left <= PRIVATE_TTL * 9 / 8 + 60, f"{left:.0f} s left: {url}"
MARK = "zebra" + uuid.uuid4().hex[:6]   # a search term only the private video's title holds


class Deployment:
    def __init__(self, target, media, mode: str):
        self.target, self.media, self.mode = target, media, mode
        self.client = target.client
        self.admin = auth.admin(target)
        self.a = auth.new_user(target, "alice")
        self.b = auth.new_user(target, "bob")
        self.moderator = auth.new_user(target, "mo", "moderator")
        self.anonymous = auth.anonymous(target)

    def upload(self, who: auth.Caller, visibility: str, title: str, clip: str = "mp4") -> str:
        video = api.upload_ok(who.client, self.media.clip(clip), filename=f"{title}.mp4",
                              title=title, visibility=visibility)
        assert (video["visibility"], video["owner_id"]) == (visibility, who.user_id), video
        return video["video_id"]

    def processed(self, who: auth.Caller, video_id: str) -> dict:
        video, _ = processing.wait_settled(who.client, video_id)
        assert video["status"] == "PROCESSED", (video["status"], video.get("error"))
        return api.get_video(who.client, video_id)


@pytest.fixture(scope="module", params=["file", "s3"])
def dep(request, module_server_factory, kinora_bin, media, tmp_path_factory):
    if request.param == "file":
        srv = module_server_factory.start(env={"KINORA_WORKERS": "1"})
        yield Deployment(srv, media, "file")
        return
    with split_cluster(kinora_bin, tmp_path_factory.mktemp("split-media")) as cluster:
        yield Deployment(cluster, media, "s3")


@pytest.fixture(scope="module")
def hidden(dep) -> str:
    """A's private video (plus a public one of A's, so listings are not empty)."""
    dep.upload(dep.a, "public", "alice in public")
    return dep.upload(dep.a, "private", f"{MARK} private diary")


def listed_ids(caller: auth.Caller, **params) -> set[str]:
    return {v["video_id"] for v in api.walk_cursor(caller.client, limit=100, **params)}


# -- invisible to others -------------------------------------------------------------------

def test_not_listed_for_others(dep, hidden):
    for caller in (dep.anonymous, dep.b, auth.create_token(dep.b, ["videos:read"])):
        assert hidden not in listed_ids(caller), caller
        page = api.list_videos(caller.client, limit=100)
        assert hidden not in {v["video_id"] for v in page["videos"]}
        assert page["total"] == len(listed_ids(caller)), "total counts what the caller may see"
    for caller in (dep.a, dep.moderator, dep.admin, auth.admin_session(dep.target)):
        assert hidden in listed_ids(caller), caller
    assert hidden in listed_ids(dep.a, mine="true")
    assert hidden not in listed_ids(dep.b, mine="true")
    assert hidden not in listed_ids(dep.moderator, mine="true")


def test_not_found_by_search_for_others(dep, hidden):
    for caller in (dep.anonymous, dep.b):
        page = api.list_videos(caller.client, q=MARK, limit=100)
        assert (page["videos"], page["total"]) == ([], 0), (caller, page)
        assert hidden not in listed_ids(caller, q="private", sort_by="views")
    for caller in (dep.a, dep.moderator, dep.admin):
        assert [v["video_id"] for v in api.list_videos(caller.client, q=MARK)["videos"]] == \
            [hidden], caller


def test_details_are_404_for_others_as_for_an_unknown_id(dep, hidden):
    unknown = str(uuid.uuid4())
    for caller in (dep.anonymous, dep.b, auth.create_token(dep.b, ["videos:read"])):
        resp = caller.get(api.video_path(hidden))
        problem = api.assert_problem(resp, 404)
        other = api.assert_problem(caller.get(api.video_path(unknown)), 404)
        assert (problem["type"], problem["title"]) == (other["type"], other["title"])
        assert problem["detail"].replace(hidden, "ID") == other["detail"].replace(unknown, "ID")
        assert MARK.encode() not in resp.body
        api.assert_problem(caller.post(api.view_path(hidden)), 404)
    for caller in (dep.a, dep.moderator, dep.admin):
        video = api.get_video(caller.client, hidden)
        assert (video["visibility"], video["owner_id"]) == ("private", dep.a.user_id)
        assert video["can_edit"] is True
    api.assert_problem(dep.b.patch(api.delete_path(hidden), json_body={"title": "mine"}), 404)
    api.assert_problem(dep.b.delete(api.delete_path(hidden)), 404)


def stats(caller: auth.Caller, scope: str | None = None) -> dict:
    resp = caller.get(api.STATS, params={"scope": scope} if scope else None)
    assert resp.status == 200, resp
    return resp.json()


def test_not_counted_in_others_stats(dep, hidden):
    def agrees(caller, scope, listing_of, **params):
        """The stats' total and top videos agree with what the caller may list (the
        public/all documents are cached briefly: wait for them)."""
        def check():
            s = stats(caller, scope)
            listed = listed_ids(listing_of, **params)
            top = {v["video_id"] for v in s["top_videos"]}
            return s["total_videos"] == len(listed) and top <= listed and s
        return api.wait_until(check, timeout=10, interval=0.5,
                              message=f"{caller} stats scope={scope} match their listing")

    for caller, scope in ((dep.anonymous, None), (dep.anonymous, "public"), (dep.b, "public")):
        s = agrees(caller, scope, dep.anonymous)
        assert hidden not in {v["video_id"] for v in s["top_videos"]}
        assert s["scope"] == "public", s
    for caller in (dep.b, auth.create_token(dep.b, ["analytics:read"])):
        for scope in (None, "mine"):   # mine is the default when signed in
            s = stats(caller, scope)
            assert (s["total_videos"], s["scope"], s["top_videos"]) == (0, "mine", []), s
    s = agrees(dep.a, "mine", dep.a, mine="true")
    assert s["total_videos"] >= 2
    s = agrees(dep.admin, "all", dep.admin)
    assert s["scope"] == "all"
    api.assert_problem(dep.b.get(api.STATS, params={"scope": "all"}), 403)
    api.assert_problem(dep.anonymous.get(api.STATS, params={"scope": "mine"}), 401)


# -- revocable media URLs ------------------------------------------------------------------

def media_targets(client, video: dict) -> dict[str, str]:
    """Every media URL a player would fetch: the API's URLs, the first variant playlist, its
    init segment and its first and last segments (the gateway rewrites them, signed)."""
    out = {name: api.signed(video[name]) for name in
           ("original_url", "video_url", "thumbnail_url", "poster_url", "hls_url")}
    for name, url in out.items():
        assert url.startswith("/media/"), (name, url)   # S3 mode too: never the bucket
    master = hls.fetch_playlist(client, out["hls_url"])
    variants = hls.parse_master(master)
    assert variants, master
    out["variant playlist"] = relative_url(variants[0].uri)
    playlist = hls.parse_media(hls.fetch_playlist(client, out["variant playlist"]))
    assert playlist.map_uri and playlist.segments, playlist
    out["init segment"] = relative_url(playlist.map_uri)
    out["first segment"] = relative_url(playlist.segments[0][1])
    out["last segment"] = relative_url(playlist.segments[-1][1])
    for name, url in out.items():
        assert url.startswith("/media/") and "signature=" in url, (name, url)
    return out


def assert_all_served(client, targets: dict[str, str], when: str) -> None:
    for name, url in targets.items():
        resp = client.get(url)
        assert resp.status == 200 and resp.body, f"{when}: {name} {url} -> {resp!r}"


def assert_all_revoked(client, targets: dict[str, str], when: str) -> None:
    for name, url in targets.items():
        for method in ("GET", "HEAD"):
            resp = client.request(method, url, headers={"Range": "bytes=0-99"})
            assert resp.status in REVOKED, f"{when}: {method} {name} {url} -> {resp!r}"
            if method == "GET":
                api.assert_problem(resp, *REVOKED)


def expiry_in(url: str) -> float:
    return int(api.url_query(url)["expires"]) - time.time()


@pytest.fixture(scope="module")
def shown(dep) -> dict:
    """A's public video, processed, and (as another viewer) its media URLs."""
    vid = dep.upload(dep.a, "public", "alice shows")
    return dep.processed(dep.a, vid)


def test_urls_work_then_stop_when_the_video_becomes_private(dep, shown):
    vid = shown["video_id"]
    viewer = dep.anonymous.client
    seen_by_b = api.get_video(dep.b.client, vid)
    public = media_targets(viewer, api.get_video(viewer, vid))
    for_b = media_targets(viewer, seen_by_b)
    assert_public_ttl(public["video_url"])
    assert_all_served(viewer, public, "public video")

    # A title edit changes no visibility: nothing is revoked.
    resp = api.edit_video(dep.a.client, vid, title="alice shows (edited)")
    assert resp.status == 200 and resp.json()["title"] == "alice shows (edited)", resp
    assert_all_served(viewer, public, "after a title edit")

    resp = api.edit_video(dep.a.client, vid, visibility="private")
    assert resp.status == 200 and resp.json()["visibility"] == "private", resp
    assert_all_revoked(viewer, public, "right after the video became private")
    assert_all_revoked(viewer, for_b, "B's URLs after the video became private")
    api.assert_problem(dep.b.get(api.video_path(vid)), 404)
    api.assert_problem(dep.anonymous.get(api.video_path(vid)), 404)
    assert vid not in listed_ids(dep.anonymous)

    # The owner gets new URLs, short-lived, that work (and so do a moderator's).
    mine = media_targets(dep.a.client, api.get_video(dep.a.client, vid))
    assert_private_ttl(mine["video_url"])
    assert_all_served(viewer, mine, "the owner's fresh URLs of the private video")
    assert_all_served(viewer, media_targets(viewer, api.get_video(dep.moderator.client, vid)),
                      "a moderator's URLs of the private video")

    # Any later change of visibility revokes those too.
    resp = api.edit_video(dep.a.client, vid, visibility="unlisted")
    assert resp.status == 200, resp
    assert_all_revoked(viewer, mine, "after private -> unlisted")


def test_listed_urls_die_on_revocation_and_the_listing_signs_anew(dep):
    """The listing reuses its rendering of a video while the row and the signing step are the
    same (docs/decisions.md); a visibility change is a write, so the next listing signs for the
    new generation, and the URLs the listing handed out before are revoked."""
    vid = dep.upload(dep.a, "public", "alice lists")
    dep.processed(dep.a, vid)
    viewer = dep.anonymous.client

    def listed(caller, **params) -> dict:
        found = [v for v in api.walk_cursor(caller.client, limit=100, **params)
                 if v["video_id"] == vid]
        assert len(found) == 1, (caller, params)
        return found[0]

    names = ("original_url", "video_url", "thumbnail_url", "hls_url", "processed_url")
    listed(dep.anonymous)  # rendered once, then reused
    first = listed(dep.anonymous)
    before = {name: api.signed(first[name]) for name in names}
    assert_all_served(viewer, before, "listed URLs")
    resp = api.edit_video(dep.a.client, vid, visibility="unlisted")
    assert resp.status == 200, resp
    assert_all_revoked(viewer, before, "listed URLs after the video became unlisted")
    mine = listed(dep.a, mine="true")
    assert_private_ttl(mine["video_url"])
    after = {name: api.signed(mine[name]) for name in names}
    assert all(after[name] != before[name] for name in names), (before, after)
    assert_all_served(viewer, after, "the owner's listing after the change")


def test_an_owners_listing_revalidates_until_a_row_changes(dep):
    """Private rows too: the owner's page answers If-None-Match with 304 while nothing changed;
    an edit is a write, so the next page (new URLs, new tag) comes whole."""
    vid = dep.upload(dep.a, "private", "alice revalidates")
    dep.processed(dep.a, vid)
    # Only this video (another of alice's still processing would change her page meanwhile).
    params = {"mine": "true", "limit": 100, "q": "alice revalidates"}
    first = dep.a.get(api.VIDEOS, params=params)
    assert first.status == 200 and vid in {v["video_id"] for v in first.json()["videos"]}, first
    tag = first.header("ETag")
    assert tag, first.headers
    again = dep.a.get(api.VIDEOS, params=params, headers={"If-None-Match": f'W/"x", {tag}'})
    assert again.status == 304 and again.body == b"" and again.header("ETag") == tag, again
    # Another caller's page of other rows has another tag.
    assert dep.b.get(api.VIDEOS, params=params).header("ETag") != tag
    assert api.edit_video(dep.a.client, vid, title="alice revalidates again").status == 200
    changed = dep.a.get(api.VIDEOS, params=params, headers={"If-None-Match": tag})
    assert changed.status == 200 and changed.header("ETag") != tag, changed
    titles = {v["video_id"]: v["title"] for v in changed.json()["videos"]}
    assert titles[vid] == "alice revalidates again", titles


def test_urls_stop_after_a_delete(dep):
    vid = dep.upload(dep.a, "public", "alice deletes")
    video = dep.processed(dep.a, vid)
    viewer = dep.anonymous.client
    targets = media_targets(viewer, video)
    assert_all_served(viewer, targets, "before the delete")
    resp = api.delete_video(dep.a.client, vid)
    assert resp.status in (200, 204), resp
    assert_all_revoked(viewer, targets, "after the delete")
    api.assert_problem(dep.a.get(api.video_path(vid)), 404)


def test_a_private_upload_never_shows_others_its_media(dep):
    vid = dep.upload(dep.a, "private", "alice keeps")
    video = dep.processed(dep.a, vid)
    assert_private_ttl(video["hls_url"])
    targets = media_targets(dep.a.client, video)
    assert_all_served(dep.anonymous.client, targets, "the owner's URLs")
    for caller in (dep.anonymous, dep.b):
        api.assert_problem(caller.get(api.video_path(vid)), 404)
    # Unlisted: anyone with the link watches, it is still not listed for others.
    assert api.edit_video(dep.a.client, vid, visibility="unlisted").status == 200
    assert_all_revoked(dep.anonymous.client, targets, "after private -> unlisted")
    by_link = api.get_video(dep.anonymous.client, vid)
    assert by_link["visibility"] == "unlisted"
    assert_all_served(dep.anonymous.client, media_targets(dep.anonymous.client, by_link),
                      "an unlisted video's URLs, from its link")
    assert vid not in listed_ids(dep.anonymous) and vid not in listed_ids(dep.b)
    assert vid in listed_ids(dep.a)


def test_internal_videos_are_for_signed_in_users(dep):
    vid = dep.upload(dep.a, "internal", "alice for colleagues")
    for caller in (dep.b, dep.a, dep.moderator, auth.create_token(dep.b, ["videos:read"])):
        assert api.get_video(caller.client, vid)["visibility"] == "internal", caller
        assert vid in listed_ids(caller), caller
    api.assert_problem(dep.anonymous.get(api.video_path(vid)), 404)
    assert vid not in listed_ids(dep.anonymous)
    api.assert_problem(dep.b.patch(api.delete_path(vid), json_body={"title": "x"}), 403)
    api.assert_problem(dep.b.delete(api.delete_path(vid)), 403)
