"""The authorization matrix: every route of the authorization table (`kinora routes --json`)
called by every kind of caller, each answer checked against what the table and docs/auth.md
say it must be. Runs against `kinora serve` (SQLite, files) and against split mode (gateway,
uploader and analytics on PostgreSQL, S3 and SQS: the uploader and analytics roles
authenticate the credentials the gateway forwards).

Callers: anonymous; users A and B, a moderator and an admin, each signed in (a session);
tokens of A with and without the scope the route needs; an admin's token with it; and a user
who must change their password. Targets: A's public and A's private video for the routes on
a video, one of A's tokens, a user. Expected:

- 401: anonymous on a route that needs a signed-in user or a right;
- 403: the role lacks the right; a token lacks the scope; a token on a session-only route;
  a user who must change their password, except on the routes the table allows meanwhile;
- video_watch: a caller who may not watch the video (A's private one: B, anonymous) → 404;
- video_edit: 404 when the caller may not watch it, else 403 unless owner/moderator/admin;
- own_token: another user's token → 404;
- otherwise allowed: 2xx (every request sends a valid body).

Requests that would destroy a fixture use throw-away objects per check (videos to delete,
tokens to revoke, users whose password is reset) or a throw-away twin of the caller (same role
and kind) for logout, logout-all and password changes. Every check is made and every mismatch
listed at once; a route of the table without a request here fails the coverage test.
"""
from __future__ import annotations

import json
import subprocess
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import api, auth
from harness.client import Response
from harness.cluster import split_cluster

NEEDS = {"anyone", "signed_in", "right", "upstream"}
TARGETS = {"none", "video_watch", "video_edit", "own_token", "user", "video_analytics"}
LIMITS = {"none", "api", "login", "upload", "view"}
RIGHTS = {   # docs/auth.md, roles and rights
    "user": {"upload", "like", "edit_own_videos"},
    "moderator": {"upload", "like", "edit_own_videos", "edit_any_video", "see_any_video"},
    "admin": {"upload", "like", "edit_own_videos", "edit_any_video", "see_any_video",
              "manage_users", "manage_settings"},
}
STRONG = "matrix-strong-password-1"


def load_table(kinora_bin: str) -> list[dict]:
    result = subprocess.run([kinora_bin, "routes", "--json"], capture_output=True, text=True,
                            timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    table = json.loads(result.stdout)
    assert isinstance(table, list) and table, result.stdout[:500]
    return table


def route_key(rule: dict) -> str:
    return f"{rule['method']} {rule['pattern']}"


@pytest.fixture(scope="module")
def table(kinora_bin) -> list[dict]:
    return load_table(kinora_bin)


# -- callers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Who:
    """A kind of caller: who (person) holding what (kind; for tokens which scopes)."""
    key: str
    kind: str                 # anonymous | session | token
    person: str | None = None  # A | B | moderator | admin | must_change
    token: str | None = None   # with | without: the route's scope


WHO = [
    Who("anonymous", "anonymous"),
    Who("A (session)", "session", "A"),
    Who("B (session)", "session", "B"),
    Who("moderator (session)", "session", "moderator"),
    Who("admin (session)", "session", "admin"),
    Who("A token with the scope", "token", "A", "with"),
    Who("A token without the scope", "token", "A", "without"),
    Who("admin token with the scope", "token", "admin", "with"),
    Who("must-change-password (session)", "session", "must_change"),
]
ROLE_OF = {"A": "user", "B": "user", "moderator": "moderator", "admin": "admin",
           "must_change": "user"}


def token_scopes(who: Who, rule: dict) -> tuple[str, ...]:
    """The scopes of `who`'s token for this route. A user cannot hold 'admin': A's token
    'with' an admin scope holds every scope a user may."""
    scope = rule["scope"]
    allowed = auth.SCOPES if ROLE_OF[who.person] == "admin" else auth.USER_SCOPES
    if who.token == "with":
        return (scope,) if scope in allowed else tuple(allowed)
    if scope is None:   # no scope needed: "without" is a token with a single unrelated scope
        return ("analytics:read",)
    return tuple(s for s in auth.USER_SCOPES if s != scope)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class World:
    """The deployment, its users, A's videos and the callers, made once per deployment."""

    def __init__(self, target, media, name: str):
        self.target, self.media, self.name = target, media, name
        self.admin_token = auth.admin(target)
        self.sessions = {
            "admin": auth.admin_session(target),
            "A": auth.new_user(target, "alice"),
            "B": auth.new_user(target, "bob"),
            "moderator": auth.new_user(target, "mo", "moderator"),
            "must_change": self.must_change_user("mustchange"),
        }
        self.login_user = auth.create_user(self.admin_token, "login-probe")["user"]["username"]
        self.target_user = auth.create_user(self.admin_token, "patch-target")["user"]
        self.a_write = auth.create_token(self.sessions["A"], ["videos:write", "videos:read"],
                                         name="matrix fixtures")
        self.videos = {"public": self.upload("public"), "private": self.upload("private")}
        details = api.get_video(self.sessions["A"].client, self.videos["private"])
        self.private_media_url = details["original_url"]
        self.tokens: dict[tuple, auth.Caller] = {}

    def must_change_user(self, name: str) -> auth.Caller:
        created = auth.create_user(self.admin_token, unique(name), password=None)
        assert created["user"]["must_change_password"] is True, created
        caller = auth.sign_in(self.target, created["user"]["username"], created["password"])
        assert caller.user["must_change_password"] is True, caller.user
        return caller

    def upload(self, visibility: str) -> str:
        video = api.upload_ok(self.a_write.client, self.media.clip("mp4"),
                              filename=f"{visibility}.mp4", title=f"A's {visibility} video",
                              visibility=visibility)
        assert video["visibility"] == visibility and video["owner_id"] == self.user_id("A")
        return video["video_id"]

    def user_id(self, person: str) -> str:
        return self.sessions[person].user_id

    def caller(self, who: Who, rule: dict) -> auth.Caller:
        if who.kind == "anonymous":
            return auth.anonymous(self.target)
        session = self.sessions[who.person]
        if who.kind == "session":
            return session
        scopes = token_scopes(who, rule)
        key = (who.person, frozenset(scopes))
        if key not in self.tokens:
            self.tokens[key] = auth.create_token(session, scopes, name=f"matrix {who.key}")
        return self.tokens[key]

    def twin(self, who: Who, rule: dict) -> auth.Caller:
        """A throw-away caller like `who` (same role, kind and scopes), for requests that end
        sessions or change passwords."""
        if who.kind == "anonymous":
            return auth.anonymous(self.target)
        if who.person == "must_change":
            session = self.must_change_user("twin-mc")
        else:
            session = auth.new_user(self.target, unique(f"twin-{who.person}"),
                                    ROLE_OF[who.person], admin=self.admin_token)
        if who.kind == "session":
            return session
        return auth.create_token(session, token_scopes(who, rule), name="twin")

    def fresh_video(self, variant: str) -> str:
        return self.upload(variant)

    def fresh_token_of_a(self) -> str:
        return auth.create_token(self.sessions["A"], ["videos:read"], name="to revoke").token_id

    def fresh_user(self) -> str:
        return auth.create_user(self.admin_token, unique("reset"))["user"]["user_id"]


# -- what each caller may do ---------------------------------------------------------------

def can_watch(person: str | None, visibility: str) -> bool:
    if visibility == "public":
        return True
    return person == "A" or ROLE_OF.get(person) in ("moderator", "admin")


def can_edit(person: str | None) -> bool:
    return person == "A" or ROLE_OF.get(person) in ("moderator", "admin")


def expected(rule: dict, who: Who, caller: auth.Caller, variant: str | None):
    """401, 403, 404 or "2xx" for `who` calling the route (variant: the video's visibility)."""
    need, person = rule["need"], who.person
    if need in ("signed_in", "right") and who.kind == "anonymous":
        return 401
    if need == "right" and rule["right"] not in RIGHTS[ROLE_OF[person]]:
        return 403
    if who.kind == "token":
        if rule["session_only"]:
            return 403
        if rule["scope"] is not None and rule["scope"] not in caller.scopes:
            return 403
    if person == "must_change" and not rule["while_must_change"]:
        return 403
    target = rule["target"]
    if target == "video_watch" and not can_watch(person, variant):
        return 404
    if target == "video_edit":
        if not can_watch(person, variant):
            return 404
        if not can_edit(person):
            return 403
    if target == "own_token" and person != "A":
        return 404
    if target == "video_analytics" and not can_edit(person):   # owner, moderators, admins
        return 404
    return "2xx"


# -- one request per route -----------------------------------------------------------------

def video_routes(fn):
    fn.variants = ("public", "private")
    return fn


def plain(path):
    return lambda w, rule, who, c, v: c.get(path)


@video_routes
def edit_video(w, rule, who, c, v):
    return c.patch(api.delete_path(w.videos[v]), json_body={"title": f"edited by {who.key}"})


@video_routes
def delete_video(w, rule, who, c, v):
    return c.delete(api.delete_path(w.fresh_video(v)))


@video_routes
def get_video(w, rule, who, c, v):
    return c.get(api.video_path(w.videos[v]))


@video_routes
def view(w, rule, who, c, v):
    return c.post(api.view_path(w.videos[v]))


@video_routes
def beacon(w, rule, who, c, v):
    """The first batch of a fresh view (docs/analytics.md): the video is in the body."""
    return c.post("/api/analytics/beacon", json_body={
        "v": 1, "video_id": w.videos[v], "view_id": unique("matrix-view"),
        "surface": "watch", "duration": 2.0,
        "events": [{"seq": 0, "type": "viewstart", "t": 0, "playhead": 0}]})


@video_routes
def like(w, rule, who, c, v):
    return c.post(api.like_path(w.videos[v]))


@video_routes
def unlike(w, rule, who, c, v):
    return c.delete(api.like_path(w.videos[v]))


def video_report(suffix):
    @video_routes
    def request(w, rule, who, c, v):
        return c.get(f"/api/analytics/videos/{w.videos[v]}/{suffix}")
    return request


def upload_to(endpoint):
    return lambda w, rule, who, c, v: api.upload(c.client, w.media.clip("mp4"),
                                                 filename="matrix.mp4", title=f"by {who.key}",
                                                 endpoint=endpoint, auth=None)


# Resumable uploads (docs/uploads.md): each request acts on an upload of the caller's own when
# the caller may create one, else on one of A's (the guard refuses before it matters).
TUS = {"Tus-Resumable": "1.0.0"}


def tus_create(c):
    return c.post("/api/uploads", b"", headers={**TUS, "Upload-Length": "4",
                                               "Upload-Metadata": "filename bWF0cml4Lm1wNA=="})


def own_upload(w, c) -> str:
    made = tus_create(c)
    if made.status != 201:
        made = tus_create(w.a_write)
        assert made.status == 201, made
    return made.headers["Location"].rsplit("/", 1)[1]


def tus_status(w, rule, who, c, v):
    return c.get(f"/api/uploads/{own_upload(w, c)}")  # the JSON twin of HEAD: errors have bodies


def tus_patch(w, rule, who, c, v):
    return c.patch(f"/api/uploads/{own_upload(w, c)}", b"ab", headers={
        **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})


def tus_terminate(w, rule, who, c, v):
    return c.delete(f"/api/uploads/{own_upload(w, c)}", headers=TUS)


# Direct-to-S3 uploads (docs/uploads.md): on `serve` (local store) every route answers 501
# "direct uploads need an S3 store" once the guard let the caller through; on split (s3rver)
# each request acts on a direct upload of the caller's own, or of A's when the caller may not
# create one.
DIRECT = "/api/uploads/s3/multipart"
NEEDS_S3 = "direct uploads need an S3 store"


def direct_create(c, size: int = 4):
    return c.post(DIRECT, json_body={"filename": "matrix.mp4", "type": "video/mp4",
                                     "size": size, "metadata": {}})


def own_direct(w, c, size: int = 4):
    """(upload id, its owner's client); a made-up id on serve, where nothing is created."""
    owner, made = c, direct_create(c, size)
    if made.status != 200:
        owner, made = w.a_write, direct_create(w.a_write, size)
    if made.status == 501:
        return "0123456789abcdef0123456789abcdef", owner
    assert made.status == 200, made
    return made.json()["uploadId"], owner


def direct_sign(w, rule, who, c, v):
    upload_id, _ = own_direct(w, c)
    return c.get(f"{DIRECT}/{upload_id}/1")


def direct_list(w, rule, who, c, v):
    upload_id, _ = own_direct(w, c)
    return c.get(f"{DIRECT}/{upload_id}")


def direct_abort(w, rule, who, c, v):
    upload_id, _ = own_direct(w, c)
    return c.delete(f"{DIRECT}/{upload_id}")


def direct_complete(w, rule, who, c, v):
    data = w.media.clip("mp4").read_bytes()
    upload_id, owner = own_direct(w, c, len(data))
    etag = "\"0\""
    signed = owner.get(f"{DIRECT}/{upload_id}/1")
    if signed.status == 200:   # split: the part goes straight to s3rver
        put = urllib.request.Request(signed.json()["url"], data=data, method="PUT")
        with urllib.request.urlopen(put, timeout=30) as resp:
            etag = resp.headers["ETag"]
    return c.post(f"{DIRECT}/{upload_id}/complete",
                  json_body={"parts": [{"PartNumber": 1, "ETag": etag}]})


def logout(w, rule, who, c, v):
    return w.twin(who, rule).post(auth.LOGOUT)


def logout_all(w, rule, who, c, v):
    return w.twin(who, rule).post(auth.LOGOUT_ALL)


def change_password(w, rule, who, c, v):
    twin = w.twin(who, rule)
    current = twin.password or auth.USER_PASSWORD
    return twin.post(auth.PASSWORD, json_body={"current_password": current,
                                               "new_password": unique("new-password")})


REQUESTS = {
    "GET /health": plain("/health"),
    "GET /ready": plain("/ready"),
    "GET /metrics": plain("/metrics"),
    "GET /media/*": lambda w, rule, who, c, v: c.get(api.signed(w.private_media_url)),
    "GET (static)": plain("/"),
    "POST /api/uploader/upload": upload_to(api.UPLOAD),
    "POST /api/upload": upload_to(api.UPLOAD_ALIAS),
    "OPTIONS /api/uploads": lambda w, rule, who, c, v: c.request("OPTIONS", "/api/uploads"),
    "OPTIONS /api/uploads/{id}": lambda w, rule, who, c, v: c.request(
        "OPTIONS", "/api/uploads/0123456789abcdef0123456789abcdef"),
    "POST /api/uploads": lambda w, rule, who, c, v: tus_create(c),
    "GET /api/uploads/config": plain("/api/uploads/config"),
    "GET /api/uploads/{id}": tus_status,
    "PATCH /api/uploads/{id}": tus_patch,
    "DELETE /api/uploads/{id}": tus_terminate,
    "POST /api/uploads/s3/multipart": lambda w, rule, who, c, v: direct_create(c),
    "GET /api/uploads/s3/multipart/{uploadId}/{partNumber}": direct_sign,
    "GET /api/uploads/s3/multipart/{uploadId}": direct_list,
    "POST /api/uploads/s3/multipart/{uploadId}/complete": direct_complete,
    "DELETE /api/uploads/s3/multipart/{uploadId}": direct_abort,
    "PATCH /api/uploader/videos/{id}": edit_video,
    "DELETE /api/uploader/videos/{id}": delete_video,
    "GET /api/analytics/videos": lambda w, rule, who, c, v: c.get(api.VIDEOS,
                                                                  params={"limit": 5}),
    "GET /api/analytics/video/{id}": get_video,
    "GET /api/analytics/stats": plain(api.STATS),
    "POST /api/analytics/view/{id}": view,
    "POST /api/analytics/beacon": beacon,
    "POST /api/analytics/like/{id}": like,
    "DELETE /api/analytics/like/{id}": unlike,
    "GET /api/analytics/videos/{id}/overview": video_report("overview"),
    "GET /api/analytics/videos/{id}/timeseries/{metric}": video_report("timeseries/plays"),
    "GET /api/analytics/videos/{id}/retention": video_report("retention"),
    "GET /api/analytics/videos/{id}/breakdown/{dimension}": video_report("breakdown/country"),
    "GET /api/analytics/videos/{id}/qoe": video_report("qoe"),
    "GET /api/analytics/videos/{id}/content": video_report("content"),
    "GET /api/analytics/realtime": plain("/api/analytics/realtime"),
    "GET /api/analytics/overview": plain("/api/analytics/overview"),
    "GET /api/analytics/sessions/export": plain("/api/analytics/sessions/export?format=csv"),
    "POST /api/auth/login": lambda w, rule, who, c, v: c.post(auth.LOGIN, json_body={
        "username": w.login_user, "password": auth.USER_PASSWORD}),
    "POST /api/auth/signup": lambda w, rule, who, c, v: c.post(auth.SIGNUP, json_body={
        "username": unique("signup"), "password": STRONG}),
    "POST /api/auth/logout": logout,
    "POST /api/auth/logout-all": logout_all,
    "GET /api/auth/me": plain(auth.ME),
    "POST /api/auth/password": change_password,
    "GET /api/auth/tokens": plain(auth.TOKENS),
    "POST /api/auth/tokens": lambda w, rule, who, c, v: c.post(auth.TOKENS, json_body={
        "name": "matrix", "scopes": ["videos:read"]}),
    "DELETE /api/auth/tokens/{id}": lambda w, rule, who, c, v: c.delete(
        auth.token_path(w.fresh_token_of_a())),
    "GET /api/admin/users": plain(auth.USERS),
    "POST /api/admin/users": lambda w, rule, who, c, v: c.post(auth.USERS, json_body={
        "username": unique("made"), "password": STRONG, "role": "user"}),
    "PATCH /api/admin/users/{id}": lambda w, rule, who, c, v: c.patch(
        auth.user_path(w.target_user["user_id"]), json_body={"quota_bytes": 10**12}),
    "POST /api/admin/users/{id}/reset-password": lambda w, rule, who, c, v: c.post(
        auth.reset_path(w.fresh_user())),
    "POST /api/admin/videos/{id}/reprocess": lambda w, rule, who, c, v: c.post(
        f"/api/admin/videos/{w.videos['public']}/reprocess"),
}


# Routes whose allowed callers may get a 404 that says the thing asked for does not exist yet (the
# fixture videos are never processed here), told apart from the 404 of a video the caller may
# not see by its detail.
NOT_YET = {"GET /api/analytics/videos/{id}/content": "this video has no content analysis yet"}


def allowed(key: str, resp: Response) -> bool:
    if 200 <= resp.status < 300:
        return True
    if resp.status == 501 and DIRECT in key:
        try:   # serve: the direct-to-S3 routes exist but need an S3 store
            return NEEDS_S3 in resp.json().get("detail", "")
        except ValueError:
            return False
    if resp.status != 404 or key not in NOT_YET:
        return False
    try:
        return NOT_YET[key] in resp.json().get("detail", "")
    except ValueError:
        return False


def checked_rules(table: list[dict]) -> list[dict]:
    return [r for r in table if r["need"] != "upstream"]


def run_matrix(world: World, table: list[dict]) -> tuple[list[str], set[tuple[str, str]], int]:
    """Every check; returns (mismatches, (route, caller) pairs exercised, number of checks)."""
    mismatches, exercised, n = [], set(), 0
    for rule in checked_rules(table):
        key = route_key(rule)
        make = REQUESTS.get(key)
        if make is None:
            mismatches.append(f"{key}: no request in the matrix for this route")
            continue
        for who in WHO:
            caller = world.caller(who, rule)
            for variant in getattr(make, "variants", (None,)):
                want = expected(rule, who, caller, variant)
                try:
                    resp: Response = make(world, rule, who, caller, variant)
                except AssertionError as e:   # a throw-away object could not be made
                    mismatches.append(f"{key} [{who.key}{'/' + variant if variant else ''}]: "
                                      f"setup failed: {e}")
                    continue
                n += 1
                exercised.add((key, who.key))
                ok = allowed(key, resp) if want == "2xx" else resp.status == want
                if ok and want != "2xx":
                    try:
                        api.assert_problem(resp, want)
                    except AssertionError as e:
                        ok, resp = False, f"{resp!r} is not a problem document: {e}"
                if not ok:
                    scopes = f" scopes={list(caller.scopes)}" if who.kind == "token" else ""
                    mismatches.append(
                        f"{rule['method']} {rule['pattern']} [{who.key}{scopes}"
                        f"{', ' + variant + ' video' if variant else ''}]: expected {want}, "
                        f"got {resp!r}")
    return mismatches, exercised, n


# -- deployments ---------------------------------------------------------------------------

MATRIX_ENV = {"KINORA_SIGNUP": "open"}


@pytest.fixture(scope="module", params=["serve", "split"])
def world(request, module_server_factory, kinora_bin, media, web_dir, tmp_path_factory):
    if request.param == "serve":
        srv = module_server_factory.start(args=("--web-dir", str(web_dir)), env=MATRIX_ENV)
        yield World(srv, media, "serve")
        return
    root = tmp_path_factory.mktemp("split-matrix")
    with split_cluster(kinora_bin, root, {**MATRIX_ENV, "KINORA_WEB_DIR": str(web_dir)},
                       processor=False) as cluster:
        yield World(cluster, media, "split")


def test_the_table_is_well_formed(table):
    keys = [route_key(r) for r in table]
    assert len(keys) == len(set(keys)), "a route appears twice"
    for r in table:
        assert r["need"] in NEEDS and r["target"] in TARGETS and r["limit"] in LIMITS, r
        assert (r["right"] is not None) == (r["need"] == "right"), r
        assert r["right"] is None or r["right"] in RIGHTS["admin"], r
        assert r["scope"] is None or r["scope"] in auth.SCOPES, r
        assert isinstance(r["session_only"], bool) and isinstance(r["while_must_change"], bool)
        if r["target"] in ("video_watch", "video_edit", "own_token", "user", "video_analytics"):
            # The audience beacon names its video in the body, not the path.
            assert "{id}" in r["pattern"] or r["pattern"] == "/api/analytics/beacon", r
    by_key = {route_key(r): r for r in table}
    # What docs/auth.md states outright.
    assert by_key["GET /metrics"]["need"] == "right"
    assert by_key["GET /metrics"]["scope"] == "admin"
    assert by_key["POST /api/analytics/view/{id}"]["need"] == "anyone"
    for key in ("POST /api/uploader/upload", "POST /api/upload", "POST /api/analytics/like/{id}",
                "DELETE /api/analytics/like/{id}"):
        assert by_key[key]["need"] == "right" and by_key[key]["scope"] == "videos:write", key
    for key in ("GET /api/auth/tokens", "POST /api/auth/tokens", "DELETE /api/auth/tokens/{id}"):
        assert by_key[key]["session_only"], key
    assert by_key["POST /api/auth/password"]["while_must_change"]


def test_every_route_of_the_table_has_a_request(table):
    missing = [route_key(r) for r in checked_rules(table) if route_key(r) not in REQUESTS]
    assert not missing, f"routes the matrix does not exercise: {missing}"
    stale = set(REQUESTS) - {route_key(r) for r in table}
    assert not stale, f"requests for routes no longer in the table: {sorted(stale)}"


def test_roles_carry_the_documented_rights(world):
    for person, session in world.sessions.items():
        assert set(session.user["rights"]) == RIGHTS[ROLE_OF[person]], (person, session.user)
        assert session.user["role"] == ROLE_OF[person]


def test_authorization_matrix(world, table):
    mismatches, exercised, n = run_matrix(world, table)
    want = {(route_key(r), w.key) for r in checked_rules(table) for w in WHO}
    not_exercised = sorted(want - exercised)
    print(f"{world.name}: {n} checks over {len(checked_rules(table))} routes "
          f"and {len(WHO)} callers")
    assert not mismatches and not not_exercised, (
        f"{len(mismatches)} of {n} checks on {world.name} differ from the table:\n"
        + "\n".join(mismatches)
        + (f"\nnot exercised: {not_exercised}" if not_exercised else ""))
