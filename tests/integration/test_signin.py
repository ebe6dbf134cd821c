"""Signing in and what guards it (docs/auth.md): one answer for a wrong password and an
unknown user, per-account back-off and the per-IP sign-in limit (429 + Retry-After), disabled
accounts stopped at once, CSRF on cookie-authenticated writes, session endings (password
change, logout, logout-all), the first admin's generated password and the forced password
change, sign-up modes, personal tokens (scopes, expiry, revocation, the CLI), the session
cookie's attributes and the security headers."""
from __future__ import annotations

import re
import subprocess
import time
import uuid

import pytest

from harness import api, auth
from harness.server import base_env, free_port

WRONG = "not-the-password-at-all"
NEW_PASSWORD = "a-brand-new-password-9"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def srv(module_server_factory):
    return module_server_factory.start()


@pytest.fixture(scope="module")
def video(srv, media) -> str:
    return api.upload_ok(srv.client, media.clip("mp4"), filename="target.mp4")["video_id"]


def retry_after(resp) -> int:
    value = resp.header("Retry-After")
    assert value and value.isdigit() and int(value) >= 1, f"Retry-After: {value!r} in {resp!r}"
    return int(value)


# -- wrong credentials ---------------------------------------------------------------------

def test_a_wrong_password_and_an_unknown_user_get_the_same_401(srv):
    auth.create_user(srv.admin, "carol")
    wrong = auth.try_login(srv, "carol", WRONG)
    unknown = auth.try_login(srv, unique("nobody"), WRONG)
    a, b = api.assert_problem(wrong, 401), api.assert_problem(unknown, 401)
    assert (a["type"], a["title"], a["detail"]) == (b["type"], b["title"], b["detail"])
    assert "kinora_session" not in auth.cookies_set(wrong)
    assert auth.try_login(srv, "carol", auth.USER_PASSWORD).status == 200


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"username": "carol"}',
                                  b'{"username": 5, "password": "x"}'])
def test_a_malformed_sign_in_is_400(srv, body):
    resp = srv.client.post(auth.LOGIN, body, headers={"Content-Type": "application/json"})
    api.assert_problem(resp, 400)


def fail_until_locked(srv, username: str, limit: int = 20) -> tuple[int, object]:
    """Wrong passwords until the answer is 429; returns (failures answered 401, the 429)."""
    for n in range(limit):
        resp = auth.try_login(srv, username, WRONG)
        if resp.status == 429:
            return n, resp
        api.assert_problem(resp, 401)
    raise AssertionError(f"{limit} wrong passwords for {username} and still no 429")


def test_repeated_failures_back_off_per_account(srv):
    auth.create_user(srv.admin, "dave")
    auth.create_user(srv.admin, "erin")
    free, locked = fail_until_locked(srv, "dave")
    assert free >= 3, f"locked after only {free} failures"
    api.assert_problem(locked, 429)
    wait = retry_after(locked)
    # While locked, even the right password is refused; other accounts are not affected.
    api.assert_problem(auth.try_login(srv, "dave", auth.USER_PASSWORD), 429)
    assert auth.try_login(srv, "erin", auth.USER_PASSWORD).status == 200
    # An unknown name backs off alike (its answers reveal nothing).
    unknown_free, unknown_locked = fail_until_locked(srv, unique("ghost"))
    assert unknown_free == free
    assert retry_after(unknown_locked) == wait
    time.sleep(wait + 0.5)
    assert auth.try_login(srv, "dave", auth.USER_PASSWORD).status == 200
    # A success resets the count: the next failure is a plain 401 again.
    api.assert_problem(auth.try_login(srv, "dave", WRONG), 401)


def test_the_per_ip_sign_in_limit(server_factory):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "on", "KINORA_RATE_LOGIN": "3"})
    statuses = [auth.try_login(srv, unique("probe"), WRONG) for _ in range(8)]
    limited = [r for r in statuses if r.status == 429]
    assert [r.status for r in statuses[:3]] == [401, 401, 401], statuses
    assert limited and statuses[-1].status == 429, [r.status for r in statuses]
    api.assert_problem(limited[0], 429)
    assert retry_after(limited[0]) >= 1
    # X-Forwarded-For from an untrusted peer changes nothing.
    spoofed = auth.try_login(srv, unique("probe"), WRONG, headers={"X-Forwarded-For": "203.0.113.9"})
    api.assert_problem(spoofed, 429)
    # Only sign-ins are limited this hard: reads still answer, and the right password too
    # must wait (the limit counts attempts, not failures).
    assert srv.client.get(api.VIDEOS).status == 200
    assert srv.client.get("/health").status == 200
    api.assert_problem(auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD), 429)


def test_forwarded_addresses_count_only_from_trusted_proxies(server_factory):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "on", "KINORA_RATE_LOGIN": "3",
                                    "KINORA_TRUSTED_PROXIES": "127.0.0.1"})
    for n in range(6):   # each client behind the proxy has its own bucket
        resp = auth.try_login(srv, unique("probe"), WRONG,
                              headers={"X-Forwarded-For": f"198.51.100.{n + 1}"})
        api.assert_problem(resp, 401)
    answers = [auth.try_login(srv, unique("probe"), WRONG,
                              headers={"X-Forwarded-For": "198.51.100.200"}).status
               for _ in range(5)]
    assert answers[:3] == [401] * 3 and answers[-1] == 429, answers


def test_without_rate_limits_nothing_is_limited(server_factory):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "off", "KINORA_RATE_LOGIN": "1",
                                    "KINORA_RATE_API": "1"})
    for _ in range(5):
        api.assert_problem(auth.try_login(srv, unique("probe"), WRONG), 401)
    assert all(srv.client.get(api.VIDEOS).status == 200 for _ in range(30))


def test_the_api_limit(server_factory):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "on", "KINORA_RATE_API": "60"})
    answers = [srv.client.get(api.VIDEOS) for _ in range(120)]
    codes = [r.status for r in answers]
    assert codes[0] == 200 and 429 in codes, codes
    first = codes.index(429)
    assert first >= 10, f"limited after {first} requests"
    api.assert_problem(answers[first], 429)
    retry_after(answers[first])
    assert srv.client.get("/health").status == 200   # probes are never limited


def test_the_view_limit(server_factory, media):
    srv = server_factory.start(env={"KINORA_RATE_LIMIT": "on", "KINORA_RATE_VIEW": "10"})
    vid = api.upload_ok(srv.client, media.clip("mp4"), filename="viewed.mp4")["video_id"]
    # From one address (the limit's key) but as many viewers (a viewer counts once an hour).
    answers = [srv.client.post(api.view_path(vid), headers={"User-Agent": f"viewer-{n}"})
               for n in range(30)]
    counted = [r for r in answers if r.status == 200]
    assert 1 <= len(counted) < 30 and answers[-1].status == 429, [r.status for r in answers]
    api.assert_problem(answers[-1], 429)
    assert api.get_video(srv.client, vid)["views"] == len(counted)


# -- disabled accounts ---------------------------------------------------------------------

def test_disabling_a_user_stops_their_session_and_tokens_at_once(srv, video, media):
    frank = auth.new_user(srv, "frank")
    token = auth.create_token(frank, auth.USER_SCOPES)
    for caller in (frank, token):
        assert auth.me(caller).status == 200
        assert api.like(srv.client, video, auth=caller).status == 200
    auth.update_user(srv.admin, frank.user_id, disabled=True)
    for caller in (frank, token):
        api.assert_problem(auth.me(caller), 401)
        api.assert_problem(api.like(srv.client, video, auth=caller), 401)
        api.assert_problem(api.upload(srv.client, media.clip("mp4"), auth=caller), 401)
    refused = auth.try_login(srv, "frank", auth.USER_PASSWORD)
    assert refused.status in (401, 403), refused
    assert "kinora_session" not in auth.cookies_set(refused)


# -- CSRF ----------------------------------------------------------------------------------

EVIL = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}


def cookie_only(caller: auth.Caller) -> dict:
    return {"Cookie": caller.headers["Cookie"]}


def test_a_cross_origin_form_post_with_the_cookie_is_refused(srv, video):
    gina = auth.new_user(srv, "gina")
    form = {**cookie_only(gina), **EVIL, "Content-Type": "application/x-www-form-urlencoded"}
    likes = api.get_video(srv.client, video)["likes"]
    for method, path, body in (("POST", api.like_path(video), b"like=1"),
                               ("POST", auth.LOGOUT_ALL, b"x=1"),
                               ("POST", auth.TOKENS, b"name=evil&scopes=videos:write"),
                               ("DELETE", api.like_path(video), b"")):
        resp = srv.client.request(method, path, body, headers=form)
        api.assert_problem(resp, 403)
        assert resp.header("Access-Control-Allow-Origin") is None, resp.headers
    assert api.get_video(srv.client, video)["likes"] == likes
    assert auth.me(gina).status == 200, "the session survived"
    assert auth.create_token(gina, ["videos:read"])  # and the same-origin JSON request works
    same_origin_json = {**cookie_only(gina), "Sec-Fetch-Site": "same-origin"}
    resp = srv.client.post(api.like_path(video), json_body={}, headers=same_origin_json)
    assert resp.status == 200 and resp.json()["liked"] is True, resp


@pytest.fixture(scope="module")
def csrf_probe(srv) -> auth.Caller:
    return auth.new_user(srv, "csrf-probe")


@pytest.mark.parametrize("case,headers,ok", [
    ("same-origin, X-Kinora-Request", {"Sec-Fetch-Site": "same-origin", "X-Kinora-Request": "1"},
     True),
    ("typed by the user (none), X-Kinora-Request", {"Sec-Fetch-Site": "none",
                                                    "X-Kinora-Request": "1"}, True),
    ("no Sec-Fetch-Site, Origin of the site, X-Kinora-Request", {"Origin": "SITE",
                                                                  "X-Kinora-Request": "1"}, True),
    ("same-origin, form content type without X-Kinora-Request",
     {"Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"},
     False),
    ("same-site (a sibling subdomain)", {"Sec-Fetch-Site": "same-site",
                                         "X-Kinora-Request": "1"}, False),
    ("cross-site with X-Kinora-Request", {"Sec-Fetch-Site": "cross-site",
                                          "X-Kinora-Request": "1"}, False),
    ("no Sec-Fetch-Site, another Origin", {"Origin": "http://evil.example",
                                           "X-Kinora-Request": "1"}, False),
    ("Origin null", {"Origin": "null", "X-Kinora-Request": "1"}, False),
])
def test_what_a_cookie_write_needs(srv, video, csrf_probe, case, headers, ok):
    sent = {**cookie_only(csrf_probe), **headers}
    if sent.get("Origin") == "SITE":
        sent["Origin"] = f"http://127.0.0.1:{srv.port}"
    body = b"x=1" if "Content-Type" in sent else None
    resp = srv.client.post(api.like_path(video), body, headers=sent)
    if ok:
        assert resp.status == 200, (case, resp)
    else:
        api.assert_problem(resp, 403)


def test_bearer_requests_need_no_csrf_proof(srv, video):
    token = auth.create_token(auth.new_user(srv, "hank"), ["videos:write"])
    resp = srv.client.post(api.like_path(video), b"x=1", headers={
        **token.headers, **EVIL, "Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 200, resp


def test_reads_with_the_cookie_need_no_csrf_proof(srv, video):
    ivy = auth.new_user(srv, "ivy")
    resp = srv.client.get(api.video_path(video), headers={**cookie_only(ivy), **EVIL})
    assert resp.status == 200 and resp.json()["can_edit"] is False, resp
    assert resp.header("Access-Control-Allow-Origin") is None


# -- ending sessions -----------------------------------------------------------------------

def test_a_password_change_ends_the_other_sessions(srv):
    auth.create_user(srv.admin, "jack")
    first, second = auth.sign_in(srv, "jack"), auth.sign_in(srv, "jack")
    token = auth.create_token(first, ["videos:read"])
    resp = first.post(auth.PASSWORD, json_body={"current_password": auth.USER_PASSWORD,
                                                "new_password": NEW_PASSWORD})
    assert resp.status == 204, resp
    assert auth.me(first).status == 200, "the session that changed it stays"
    api.assert_problem(auth.me(second), 401)
    assert auth.me(token).status == 200, "tokens outlive a password change"
    api.assert_problem(auth.try_login(srv, "jack", auth.USER_PASSWORD), 401)
    assert auth.try_login(srv, "jack", NEW_PASSWORD).status == 200


@pytest.mark.parametrize("body,status", [
    ({"current_password": WRONG, "new_password": NEW_PASSWORD}, 403),
    ({"current_password": auth.USER_PASSWORD, "new_password": "short"}, 400),
    ({"current_password": auth.USER_PASSWORD}, 400),
])
def test_a_refused_password_change_changes_nothing(srv, body, status):
    kim = auth.new_user(srv, unique("kim"))
    api.assert_problem(kim.post(auth.PASSWORD, json_body=body), status)
    assert auth.me(kim).status == 200
    assert auth.try_login(srv, kim.username, auth.USER_PASSWORD).status == 200


def test_logout_ends_this_session_only(srv):
    auth.create_user(srv.admin, "liam")
    first, second = auth.sign_in(srv, "liam"), auth.sign_in(srv, "liam")
    resp = first.post(auth.LOGOUT)
    assert resp.status == 204, resp
    cleared = auth.set_cookie_line(resp)
    assert cleared and re.search(r"max-age=0|expires=", cleared, re.I), cleared
    api.assert_problem(auth.me(first), 401)
    assert auth.me(second).status == 200


def test_logout_all_ends_every_session_but_not_tokens(srv):
    auth.create_user(srv.admin, "mia")
    sessions = [auth.sign_in(srv, "mia") for _ in range(3)]
    token = auth.create_token(sessions[0], ["videos:read"])
    assert sessions[1].post(auth.LOGOUT_ALL).status == 204
    for s in sessions:
        api.assert_problem(auth.me(s), 401)
    me = auth.me(token)
    assert me.status == 200 and me.json()["via"] == "token", me
    assert auth.sign_in(srv, "mia"), "signing in again works"


def test_an_unknown_session_cookie_is_anonymous(srv):
    stranger = auth.session_caller(srv, "x" * 43)
    api.assert_problem(auth.me(stranger), 401)
    assert stranger.get(api.VIDEOS).status == 200   # reads stay open
    api.assert_problem(stranger.post(api.UPLOAD), 401)


# -- the first admin -----------------------------------------------------------------------

CANDIDATE_RE = re.compile(r"[A-Za-z0-9_\-+/=.!]{12,}")


def password_candidates(log: str) -> list[str]:
    """Words of the log's lines about a password that could be a generated one (the format of
    the line is not the contract; the password is tried)."""
    candidates = []
    for line in (l for l in log.splitlines() if "password" in l.lower()):
        for word in CANDIDATE_RE.findall(line):
            if word.upper() == word or "password" in word.lower() or "kinora" in word.lower():
                continue
            if word not in candidates:
                candidates.append(word)
    return candidates


def test_first_admin_with_a_generated_password(server_factory, media):
    srv = server_factory.start(env={"KINORA_ADMIN_PASSWORD": None})
    candidates = password_candidates(srv.log_text())
    assert candidates, f"no generated password in the log:\n{srv.log_tail()}"
    password = None
    for word in candidates[:4]:   # a few wrong guesses stay under the back-off
        if auth.try_login(srv, auth.ADMIN_USER, word).status == 200:
            password = word
            break
    assert password, f"none of {candidates[:4]} signs in as admin:\n{srv.log_tail()}"
    assert srv.log_text().count(password) == 1, "the password is printed more than once"

    admin = auth.sign_in(srv, auth.ADMIN_USER, password)
    assert admin.user["must_change_password"] is True
    assert admin.user["role"] == "admin"
    # Until it is changed, only the routes for changing it (and me, logout) answer.
    for method, path in (("GET", auth.TOKENS), ("GET", auth.USERS), ("GET", "/metrics"),
                         ("POST", auth.TOKENS), ("GET", api.VIDEOS)):
        api.assert_problem(admin.request(method, path, json_body={} if method == "POST"
                                         else None), 403)
    api.assert_problem(api.upload(srv.client, media.clip("mp4"), auth=admin), 403)
    assert auth.me(admin).status == 200
    resp = admin.post(auth.PASSWORD, json_body={"current_password": password,
                                                "new_password": auth.ADMIN_PASSWORD})
    assert resp.status == 204, resp
    assert auth.me(admin).json()["user"]["must_change_password"] is False
    assert admin.get(auth.USERS).status == 200
    assert auth.create_token(admin, ["videos:write"])

    srv.restart()   # users exist now: no new admin, no password printed again
    assert srv.log_text().count(password) == 1
    assert len(auth.sign_in(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD).get(auth.USERS)
               .json()["users"]) == 1


def test_first_admin_name_and_password_from_the_settings(server_factory):
    srv = server_factory.start(env={"KINORA_ADMIN_USER": "root", "KINORA_ADMIN_PASSWORD":
                                    "a-configured-admin-password"})
    root = auth.sign_in(srv, "root", "a-configured-admin-password")
    assert (root.user["role"], root.user["must_change_password"]) == ("admin", False)
    assert "a-configured-admin-password" not in srv.log_text()
    api.assert_problem(auth.try_login(srv, "admin", auth.ADMIN_PASSWORD), 401)


def test_an_admin_reset_password_must_be_changed(srv):
    nina = auth.new_user(srv, "nina")
    resp = srv.admin.post(auth.reset_path(nina.user_id))
    assert resp.status == 200, resp
    temporary = resp.json()["password"]
    api.assert_problem(auth.me(nina), 401)   # her sessions ended
    again = auth.sign_in(srv, "nina", temporary)
    assert again.user["must_change_password"] is True
    api.assert_problem(again.get(auth.TOKENS), 403)
    assert again.post(auth.PASSWORD, json_body={"current_password": temporary,
                                                "new_password": NEW_PASSWORD}).status == 204
    assert again.get(auth.TOKENS).status == 200


def test_a_user_created_without_a_password_gets_one_to_change(srv):
    made = auth.create_user(srv.admin, "oscar", password=None)
    assert made["user"]["must_change_password"] is True and len(made["password"]) >= 12
    oscar = auth.sign_in(srv, "oscar", made["password"])
    api.assert_problem(oscar.get(api.VIDEOS), 403)
    assert oscar.post(auth.PASSWORD, json_body={"current_password": made["password"],
                                                "new_password": NEW_PASSWORD}).status == 204
    assert oscar.get(api.VIDEOS).status == 200


# -- sign-up -------------------------------------------------------------------------------

def signup(srv, username: str):
    return srv.client.post(auth.SIGNUP, json_body={"username": username,
                                                   "password": "a-sign-up-password-1"})


def test_sign_up_is_closed_by_default(srv):
    api.assert_problem(signup(srv, "paul"), 403)
    api.assert_problem(auth.try_login(srv, "paul", "a-sign-up-password-1"), 401)


def test_open_sign_up(server_factory):
    srv = server_factory.start(env={"KINORA_SIGNUP": "open"})
    resp = signup(srv, "quinn")
    assert resp.status == 201, resp
    user = resp.json()["user"]
    assert (user["role"], user["approved"], user["must_change_password"]) == ("user", True, False)
    assert auth.sign_in(srv, "quinn", "a-sign-up-password-1").user["user_id"] == user["user_id"]
    assert signup(srv, "quinn").status == 409
    api.assert_problem(srv.client.post(auth.SIGNUP, json_body={"username": "rita",
                                                               "password": "short"}), 400)


def test_sign_up_awaiting_approval(server_factory):
    srv = server_factory.start(env={"KINORA_SIGNUP": "approval"})
    resp = signup(srv, "sam")
    assert resp.status == 201 and resp.json()["user"]["approved"] is False, resp
    refused = auth.try_login(srv, "sam", "a-sign-up-password-1")
    assert refused.status in (401, 403) and "kinora_session" not in auth.cookies_set(refused)
    auth.update_user(srv.admin, resp.json()["user"]["user_id"], approved=True)
    assert auth.try_login(srv, "sam", "a-sign-up-password-1").status == 200


# -- tokens --------------------------------------------------------------------------------

def test_tokens_are_shown_once_listed_by_hint_and_revocable(srv):
    tina = auth.new_user(srv, "tina")
    resp = auth.try_create_token(tina, ["videos:read", "analytics:read"], name="dashboard",
                                 expires_in_days=7)
    assert resp.status == 201, resp
    made = resp.json()
    secret = made["token"]
    assert re.fullmatch(r"kin_[A-Za-z0-9_\-]{20,}", secret), secret
    assert made["expires_at"] == pytest.approx(time.time() + 7 * 86400, abs=120)
    assert resp.header("Cache-Control") == "no-store"
    token = auth.token_caller(srv, secret)
    me = auth.me(token).json()
    assert (me["via"], sorted(me["scopes"]), me["user"]["username"]) == \
        ("token", ["analytics:read", "videos:read"], "tina")
    listed = tina.get(auth.TOKENS).json()["tokens"]
    [entry] = [t for t in listed if t["token_id"] == made["token_id"]]
    assert secret not in str(listed)
    assert entry["hint"].startswith("kin_") and entry["hint"] != secret
    assert entry["hint"][-4:] == secret[-4:]
    assert entry["revoked"] is False and entry["last_used_at"] is not None
    # Another user cannot revoke it; its owner can, and it stops at once.
    api.assert_problem(auth.new_user(srv, "uma").delete(auth.token_path(made["token_id"])), 404)
    assert tina.delete(auth.token_path(made["token_id"])).status == 204
    api.assert_problem(auth.me(token), 401)
    assert [t["revoked"] for t in tina.get(auth.TOKENS).json()["tokens"]
            if t["token_id"] == made["token_id"]] in ([True], [])


@pytest.mark.parametrize("body", [
    {"name": "x", "scopes": []}, {"name": "x", "scopes": ["videos:everything"]},
    {"name": "", "scopes": ["videos:read"]}, {"scopes": ["videos:read"]},
    {"name": "x", "scopes": ["videos:read"], "expires_in_days": 0},
    {"name": "x", "scopes": ["videos:read"], "expires_in_days": 366}])
def test_malformed_token_requests_are_400(srv, body):
    api.assert_problem(auth.admin_session(srv).post(auth.TOKENS, json_body=body), 400)


def test_only_admins_make_admin_tokens_and_tokens_make_no_tokens(srv):
    vera = auth.new_user(srv, "vera")
    api.assert_problem(auth.try_create_token(vera, ["admin"]), 403)
    api.assert_problem(auth.try_create_token(srv.admin, ["videos:read"]), 403)
    api.assert_problem(srv.admin.get(auth.TOKENS), 403)


@pytest.mark.parametrize("header", ["Bearer kin_" + "A" * 43, "Bearer not-a-kinora-token",
                                    "Basic YWRtaW46dGVzdA==", "Bearer "])
def test_bad_bearer_credentials_are_401_even_on_open_routes(srv, header):
    resp = srv.client.get(api.VIDEOS, headers={"Authorization": header})
    api.assert_problem(resp, 401)
    assert (resp.header("WWW-Authenticate") or "").lower().startswith("bearer")


def test_kinora_tokens_create_makes_a_working_bearer(srv, media, kinora_bin):
    """`kinora tokens create` against the running server's data directory, as in the README:
    its output goes straight into an Authorization header."""
    result = subprocess.run([kinora_bin, "tokens", "create", auth.ADMIN_USER, "--name",
                             "uploader-script", "--scope", "videos:write", "--scope",
                             "videos:read", "--data-dir", str(srv.data_dir)],
                            env=base_env(), capture_output=True, text=True, timeout=30,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result
    token = result.stdout.strip()
    assert re.fullmatch(r"kin_[A-Za-z0-9_\-]+", token), \
        f"stdout should be the token alone: {result.stdout!r}"
    video = api.upload_ok(srv.client, media.clip("mov"), filename="cli.mov",
                          auth=auth.token_caller(srv, token))
    assert video["owner_id"] == auth.admin_session(srv).user_id
    assert sorted(auth.me(auth.token_caller(srv, token)).json()["scopes"]) == \
        ["videos:read", "videos:write"]


def test_kinora_users_commands(srv, kinora_bin):
    def kinora(*args, stdin=None):
        return subprocess.run([kinora_bin, *args, "--data-dir", str(srv.data_dir)],
                              env=base_env(), capture_output=True, text=True, timeout=30,
                              input=stdin)
    made = kinora("users", "create", "wendy", "--role", "moderator", "--password-stdin",
                  stdin="wendys-own-password\n")
    assert made.returncode == 0, made
    wendy = auth.sign_in(srv, "wendy", "wendys-own-password")
    assert (wendy.user["role"], wendy.user["must_change_password"]) == ("moderator", False)
    listed = kinora("users", "list")
    assert listed.returncode == 0 and "wendy" in listed.stdout and "admin" in listed.stdout
    reset = kinora("users", "reset-password", "wendy")
    assert reset.returncode == 0, reset
    api.assert_problem(auth.me(wendy), 401)   # her sessions ended
    words = [w for w in CANDIDATE_RE.findall(reset.stdout) if w != "wendy"]
    assert any(auth.try_login(srv, "wendy", w).status == 200 for w in words[:3]), reset.stdout
    bad = kinora("users", "create", "xena", "--role", "emperor", "--password-stdin",
                 stdin="xenas-own-password\n")
    assert bad.returncode != 0 and bad.stderr.strip()


# -- cookie and headers --------------------------------------------------------------------

def test_the_session_cookie_attributes(srv):
    resp = auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD)
    line = auth.set_cookie_line(resp)
    assert line, resp.headers
    attrs = {a.strip().split("=")[0].lower(): a.strip() for a in line.split(";")[1:]}
    assert "httponly" in attrs and attrs.get("samesite", "").lower() == "samesite=lax", line
    assert attrs.get("path") == "Path=/", line
    assert "secure" not in attrs, f"Secure over plain http: {line}"
    value = auth.cookies_set(resp)["kinora_session"]
    assert len(value) >= 43, "a session secret of 256 random bits"
    assert resp.header("Cache-Control") == "no-store"
    # An X-Forwarded-Proto from an untrusted peer does not make it Secure.
    forwarded = auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD,
                               headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in auth.set_cookie_line(forwarded).lower()


def test_the_cookie_is_secure_behind_a_trusted_https_proxy(server_factory):
    srv = server_factory.start(env={"KINORA_TRUSTED_PROXIES": "127.0.0.1/32"})
    resp = auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD,
                          headers={"X-Forwarded-Proto": "https"})
    assert resp.status == 200 and "; secure" in auth.set_cookie_line(resp).lower(), resp.headers


def test_the_cookie_is_secure_with_an_https_public_url(server_factory):
    srv = server_factory.start(env={"KINORA_PUBLIC_URL": "https://video.example.org"})
    resp = auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD)
    assert resp.status == 200 and "; secure" in auth.set_cookie_line(resp).lower(), resp.headers


def test_security_headers_on_every_answer(srv, video):
    details = api.get_video(srv.client, video)
    answers = {
        "details": srv.client.get(api.video_path(video)),
        "404": srv.client.get("/api/nope"),
        "401": srv.client.post(api.UPLOAD),
        "media": srv.client.get(api.signed(details["original_url"])),
        "login": auth.try_login(srv, auth.ADMIN_USER, auth.ADMIN_PASSWORD),
        "health": srv.client.get("/health"),
    }
    for name, resp in answers.items():
        csp = resp.header("Content-Security-Policy") or ""
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, (name, csp)
        assert resp.header("X-Content-Type-Options") == "nosniff", name
        assert resp.header("Referrer-Policy") == "strict-origin-when-cross-origin", name
        assert resp.header("Access-Control-Allow-Origin") is None, name


def test_only_the_embed_player_may_be_framed(server_factory, srv, video):
    page = srv.client.get("/watch/" + video)
    assert "frame-ancestors 'none'" in (page.header("Content-Security-Policy") or "")
    assert page.header("X-Frame-Options") == "DENY"
    embed = srv.client.get("/embed/" + video)
    assert "frame-ancestors *" in (embed.header("Content-Security-Policy") or ""), embed.headers
    assert embed.header("X-Frame-Options") is None

    listed = server_factory.start(env={"KINORA_EMBED_ORIGINS": "https://blog.example.org"})
    csp = listed.client.get("/embed/" + video).header("Content-Security-Policy") or ""
    assert "frame-ancestors https://blog.example.org" in csp, csp
    nobody = server_factory.start(env={"KINORA_EMBED_ORIGINS": "none"})
    csp = nobody.client.get("/embed/" + video).header("Content-Security-Policy") or ""
    assert "frame-ancestors 'none'" in csp, csp


def test_cors_only_for_configured_origins(server_factory):
    srv = server_factory.start(env={"KINORA_CORS_ORIGINS": "https://app.example.org"})
    allowed = srv.client.get(api.VIDEOS, headers={"Origin": "https://app.example.org"})
    assert allowed.header("Access-Control-Allow-Origin") == "https://app.example.org", \
        allowed.headers
    other = srv.client.get(api.VIDEOS, headers={"Origin": "https://evil.example"})
    assert other.header("Access-Control-Allow-Origin") is None
