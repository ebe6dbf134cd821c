"""Accounts and credentials for black-box tests (docs/auth.md).

Every test server starts with the first admin `admin` / ADMIN_PASSWORD (server.base_env). A
Caller is who a request comes from, at one server: anonymous, a session (the `kinora_session`
cookie plus `X-Kinora-Request: 1` and `Sec-Fetch-Site: same-origin`, as the web app's own
requests from a browser) or a personal API
token (`Authorization: Bearer kin_…`). Its `client` is a harness Client that sends those
headers with every request, so every helper taking a client (api.get_video, api.upload_ok, …)
acts as that caller.

    admin = auth.admin(server)                       # admin token with every scope, cached
    alice = auth.new_user(server, "alice")           # created by the admin, signed in
    tok = auth.create_token(alice, ["videos:read"])  # a token Caller of alice
    api.get_video(alice.client, vid)

Uploads, deletes and likes made through api.py's helpers use auth.admin(client) unless told
otherwise (their `auth=` argument), which is how the tests written before accounts keep working.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from typing import Iterable, Mapping

from .client import Client, Response, merge_headers

ADMIN_USER = "admin"
ADMIN_PASSWORD = "test-admin-password-123"
USER_PASSWORD = "test-user-password-456"   # every user the helpers create, unless told
SESSION_COOKIE = "kinora_session"
CSRF_HEADER = "X-Kinora-Request"

LOGIN = "/api/auth/login"
LOGOUT = "/api/auth/logout"
LOGOUT_ALL = "/api/auth/logout-all"
ME = "/api/auth/me"
PASSWORD = "/api/auth/password"
SIGNUP = "/api/auth/signup"
TOKENS = "/api/auth/tokens"
USERS = "/api/admin/users"

SCOPES = ("videos:read", "videos:write", "analytics:read", "admin")
USER_SCOPES = ("videos:read", "videos:write", "analytics:read")   # all a non-admin may hold
CREDENTIAL_HEADERS = ("authorization", "cookie")


def token_path(token_id: str) -> str:
    return f"{TOKENS}/{token_id}"


def user_path(user_id: str) -> str:
    return f"{USERS}/{user_id}"


def reset_path(user_id: str) -> str:
    return f"{USERS}/{user_id}/reset-password"


def _client_of(target) -> Client:
    """A plain (anonymous) Client for a server, a role process, a Client or a Caller."""
    if isinstance(target, Caller):
        return target.client.with_headers(None)
    if isinstance(target, Client):
        return target.with_headers(None)
    client = target.client   # KinoraServer, RoleProcess
    return client.with_headers(None)


def has_credentials(headers: Mapping[str, str] | None) -> bool:
    return any(k.lower() in CREDENTIAL_HEADERS for k in (headers or {}))


# -- callers -------------------------------------------------------------------------------

class Caller:
    """Who a request comes from, at one server. kind: "anonymous", "session" or "token"."""

    def __init__(self, target, kind: str = "anonymous", headers: Mapping[str, str] | None = None,
                 *, name: str | None = None, user: dict | None = None, secret: str | None = None,
                 token_id: str | None = None, scopes: Iterable[str] = (),
                 password: str | None = None):
        assert kind in ("anonymous", "session", "token"), kind
        base = _client_of(target)
        self.kind = kind
        self.headers = dict(headers or {})
        self.client = base.with_headers(self.headers)
        self.user = user            # the User document (None for anonymous)
        self.secret = secret        # the session cookie's value or the token
        self.token_id = token_id
        self.scopes = tuple(scopes)
        self.password = password
        self.name = name or (user["username"] if user else kind)

    def __repr__(self) -> str:
        return f"<Caller {self.name} ({self.kind})>"

    @property
    def user_id(self) -> str | None:
        return self.user["user_id"] if self.user else None

    @property
    def username(self) -> str | None:
        return self.user["username"] if self.user else None

    @property
    def role(self) -> str | None:
        return self.user["role"] if self.user else None

    def on(self, target) -> "Caller":
        """The same credentials at another server (e.g. the other gateway of a cluster)."""
        return Caller(target, self.kind, self.headers, name=self.name, user=self.user,
                      secret=self.secret, token_id=self.token_id, scopes=self.scopes,
                      password=self.password)

    def without_csrf_header(self) -> "Caller":
        """A session caller as a plain form post would be: the cookie, no X-Kinora-Request."""
        return Caller(self.client, self.kind, merge_headers(self.headers, {CSRF_HEADER: None}),
                      name=self.name + " (no CSRF header)", user=self.user, secret=self.secret,
                      token_id=self.token_id, scopes=self.scopes, password=self.password)

    # requests as this caller
    def request(self, method: str, path: str, body=None, headers=None, **kw) -> Response:
        return self.client.request(method, path, body, headers, **kw)

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def head(self, path: str, **kw) -> Response:
        return self.request("HEAD", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body, **kw)

    def patch(self, path: str, body=None, **kw) -> Response:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, **kw) -> Response:
        return self.request("DELETE", path, **kw)


def anonymous(target) -> Caller:
    return Caller(target, "anonymous", {}, name="anonymous")


def session_headers(cookie: str) -> dict[str, str]:
    """What the web app's own requests carry: the cookie, the CSRF header, and the
    Sec-Fetch-Site a browser adds to a same-origin fetch (a cookie write with neither it nor
    an Origin is refused: docs/auth.md, CSRF)."""
    return {"Cookie": f"{SESSION_COOKIE}={cookie}", CSRF_HEADER: "1",
            "Sec-Fetch-Site": "same-origin"}


def bearer_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def session_caller(target, cookie: str, user: dict | None = None, *, name: str | None = None,
                   password: str | None = None) -> Caller:
    return Caller(target, "session", session_headers(cookie), name=name, user=user,
                  secret=cookie, password=password)


def token_caller(target, token: str, *, user: dict | None = None, name: str | None = None,
                 token_id: str | None = None, scopes: Iterable[str] = ()) -> Caller:
    return Caller(target, "token", bearer_headers(token), name=name, user=user, secret=token,
                  token_id=token_id, scopes=scopes)


# -- signing in ----------------------------------------------------------------------------

def cookies_set(resp: Response) -> dict[str, str]:
    """name -> value of every Set-Cookie of an answer."""
    out = {}
    for line in resp.headers.get_all("Set-Cookie") or []:
        jar = SimpleCookie()
        jar.load(line)
        out.update({name: morsel.value for name, morsel in jar.items()})
    return out


def set_cookie_line(resp: Response, name: str = SESSION_COOKIE) -> str | None:
    """The raw Set-Cookie line that sets `name` (for checking its attributes)."""
    for line in resp.headers.get_all("Set-Cookie") or []:
        if line.strip().startswith(name + "="):
            return line
    return None


def try_login(target, username: str, password: str, headers=None) -> Response:
    return _client_of(target).post(LOGIN, json_body={"username": username, "password": password},
                                   headers=headers)


def login(target, username: str, password: str) -> str:
    """Signs in; returns the session cookie's value."""
    resp = try_login(target, username, password)
    assert resp.status == 200, f"sign-in as {username} failed: {resp!r}"
    cookie = cookies_set(resp).get(SESSION_COOKIE)
    assert cookie, f"sign-in as {username} set no {SESSION_COOKIE} cookie: {resp.headers}"
    return cookie


def me(caller: Caller) -> Response:
    return caller.get(ME)


def sign_in(target, username: str, password: str = USER_PASSWORD) -> Caller:
    """A session Caller for the user (their User document from /api/auth/me)."""
    cookie = login(target, username, password)
    caller = session_caller(target, cookie, name=username, password=password)
    resp = me(caller)
    assert resp.status == 200, f"/api/auth/me after signing in as {username}: {resp!r}"
    caller.user = resp.json()["user"]
    return caller


# -- users and tokens ----------------------------------------------------------------------

def create_user(admin: Caller, username: str, role: str = "user",
                password: str | None = USER_PASSWORD, **fields) -> dict:
    """POST /api/admin/users as `admin`; returns the answer ({"user", "password"?}). With
    password=None the server generates one (returned once; it must be changed)."""
    body = {"username": username, "role": role, **fields}
    if password is not None:
        body["password"] = password
    resp = admin.post(USERS, json_body=body)
    assert resp.status == 201, f"creating user {username} ({role}) failed: {resp!r}"
    return resp.json()


def new_user(target, username: str, role: str = "user", *, admin: Caller | None = None,
             password: str = USER_PASSWORD, **fields) -> Caller:
    """Creates a user (as the admin) and signs them in: a session Caller."""
    admin = admin or admin_caller(target)
    create_user(admin, username, role, password, **fields)
    return sign_in(target, username, password)


def many_users(target, prefix: str, n: int, role: str = "user", *,
               admin: Caller | None = None, workers: int = 4) -> list[Caller]:
    """n users named prefix-0..n-1, each signed in (hashing is the cost: done in parallel)."""
    admin = admin or admin_caller(target)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda i: new_user(target, f"{prefix}-{i}", role, admin=admin),
                             range(n)))


def try_create_token(session: Caller, scopes: Iterable[str], name: str = "test token",
                     expires_in_days: int | None = None) -> Response:
    return session.post(TOKENS, json_body={"name": name, "scopes": list(scopes),
                                           "expires_in_days": expires_in_days})


def create_token(session: Caller, scopes: Iterable[str], name: str = "test token",
                 expires_in_days: int | None = None) -> Caller:
    """POST /api/auth/tokens with the session; a token Caller of the same user."""
    scopes = list(scopes)
    resp = try_create_token(session, scopes, name, expires_in_days)
    assert resp.status == 201, f"creating a token {scopes} for {session.name} failed: {resp!r}"
    doc = resp.json()
    assert doc["token"].startswith("kin_"), doc
    return token_caller(session.client, doc["token"], user=session.user,
                        name=f"{session.name} token {'+'.join(scopes)}",
                        token_id=doc["token_id"], scopes=doc["scopes"])


def update_user(admin: Caller, user_id: str, **fields) -> dict:
    resp = admin.patch(user_path(user_id), json_body=fields)
    assert resp.status == 200, f"PATCH user {user_id} {fields}: {resp!r}"
    return resp.json()["user"]


# -- the admin of each server, cached ------------------------------------------------------

_admins: dict[tuple[str, int], tuple[Caller, Caller]] = {}
_admins_lock = threading.Lock()


def _admin_pair(target) -> tuple[Caller, Caller]:
    client = _client_of(target)
    key = (client.host, client.port)
    with _admins_lock:
        pair = _admins.get(key)
        if pair is None:
            session = sign_in(client, ADMIN_USER, ADMIN_PASSWORD)
            token = create_token(session, SCOPES, name="integration tests (admin)")
            token.name = "admin token"
            pair = _admins[key] = (session, token)
        return pair


def admin(target) -> Caller:
    """The first admin's API token with every scope, made once per server address."""
    return _admin_pair(target)[1]


admin_caller = admin


def admin_session(target) -> Caller:
    """The first admin's session at this server (made along with admin())."""
    return _admin_pair(target)[0]


def forget(host: str, port: int | None) -> None:
    """Drops the cached admin of an address (a server (re)starting there may have another
    catalog)."""
    with _admins_lock:
        _admins.pop((host, port), None)


def admin_headers(target) -> dict[str, str]:
    return dict(admin(target).headers)
