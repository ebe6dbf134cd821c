"""api/openapi.json is a sound OpenAPI 3 document, and it is true: every documented operation
exists and answers as documented, and every route the server has is documented."""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

from harness import api, auth, multipart, schema
from harness.client import Response
from harness.cluster import split_cluster

SPEC_PATH = Path(__file__).resolve().parents[2] / "api" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# Every route `kinora serve --web-dir D` answers (method, OpenAPI path template).
SERVER_ROUTES = {
    ("GET", "/health"), ("GET", "/ready"), ("GET", "/metrics"),
    ("POST", "/api/uploader/upload"), ("POST", "/api/upload"),
    ("DELETE", "/api/uploader/videos/{video_id}"), ("PATCH", "/api/uploader/videos/{video_id}"),
    ("GET", "/api/analytics/videos"), ("GET", "/api/analytics/video/{video_id}"),
    ("GET", "/api/analytics/stats"),
    ("POST", "/api/analytics/view/{video_id}"), ("POST", "/api/analytics/like/{video_id}"),
    ("DELETE", "/api/analytics/like/{video_id}"), ("POST", "/api/analytics/beacon"),
    ("GET", "/media/{key}"), ("HEAD", "/media/{key}"),
    ("GET", "/"),
    ("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("POST", "/api/auth/logout-all"),
    ("GET", "/api/auth/me"), ("POST", "/api/auth/password"), ("POST", "/api/auth/signup"),
    ("GET", "/api/auth/tokens"), ("POST", "/api/auth/tokens"),
    ("DELETE", "/api/auth/tokens/{token_id}"),
    ("GET", "/api/admin/users"), ("POST", "/api/admin/users"),
    ("PATCH", "/api/admin/users/{user_id}"), ("POST", "/api/admin/users/{user_id}/reset-password"),
    ("POST", "/api/admin/videos/{video_id}/reprocess"),
    ("GET", "/api/analytics/videos/{video_id}/overview"),
    ("GET", "/api/analytics/videos/{video_id}/timeseries/{metric}"),
    ("GET", "/api/analytics/videos/{video_id}/retention"),
    ("GET", "/api/analytics/videos/{video_id}/breakdown/{dimension}"),
    ("GET", "/api/analytics/videos/{video_id}/qoe"),
    ("GET", "/api/analytics/videos/{video_id}/content"),
    ("GET", "/api/analytics/realtime"), ("GET", "/api/analytics/overview"),
    ("GET", "/api/analytics/sessions/export"),
    ("OPTIONS", "/api/uploads"), ("POST", "/api/uploads"), ("GET", "/api/uploads/config"),
    ("OPTIONS", "/api/uploads/{upload_id}"), ("HEAD", "/api/uploads/{upload_id}"),
    ("GET", "/api/uploads/{upload_id}"), ("PATCH", "/api/uploads/{upload_id}"),
    ("DELETE", "/api/uploads/{upload_id}"),
    ("POST", "/api/uploads/s3/multipart"), ("GET", "/api/uploads/s3/multipart/{uploadId}"),
    ("GET", "/api/uploads/s3/multipart/{uploadId}/{partNumber}"),
    ("POST", "/api/uploads/s3/multipart/{uploadId}/complete"),
    ("DELETE", "/api/uploads/s3/multipart/{uploadId}"),
}

PROBLEM_RESPONSES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
                     409: "Conflict",
                     405: "MethodNotAllowed", 411: "LengthRequired", 413: "PayloadTooLarge",
                     415: "UnsupportedMediaType", 422: "UnprocessableEntity",
                     429: "TooManyRequests", 503: "ServiceUnavailable",
                     507: "InsufficientStorage"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def operations(spec):
    """(METHOD, path, operation) for every documented operation."""
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method.upper(), path, op


# -- the document itself -------------------------------------------------------------------

def test_document_header(spec):
    assert re.match(r"^3\.[01]\.\d+$", spec["openapi"])
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["paths"] and all(p.startswith("/") for p in spec["paths"])


def test_every_reference_resolves(spec):
    dangling = []
    for where, ref in schema.all_refs(spec):
        try:
            schema.resolve_pointer(spec, ref)
        except (KeyError, TypeError):
            dangling.append(f"{where} -> {ref}")
    assert not dangling, dangling


def test_operations_are_well_formed(spec):
    op_ids = []
    for method, path, op in operations(spec):
        where = f"{method} {path}"
        op_ids.append(op.get("operationId"))
        assert op.get("responses"), f"{where}: no responses"
        for status, resp in op["responses"].items():
            assert re.match(r"^([1-5]\d\d|[1-5]XX|default)$", status), f"{where}: {status}"
            assert "description" in schema.deref(spec, resp), f"{where} {status}: no description"
        params = [schema.deref(spec, p) for p in op.get("parameters", [])]
        for p in params:
            assert p.get("in") in {"query", "header", "path", "cookie"}, (where, p)
            assert "schema" in p or "content" in p, (where, p)
        declared = {p["name"] for p in params if p["in"] == "path"}
        assert declared == set(re.findall(r"\{([^}]+)\}", path)), f"{where}: path parameters"
        assert all(p["required"] for p in params if p["in"] == "path"), where
    assert None not in op_ids and len(op_ids) == len(set(op_ids)), "operationIds not unique"


def test_required_schemas_exist(spec):
    schemas = spec["components"]["schemas"]
    for name in ("Video", "VideoList", "Stats", "UploadResponse", "Problem", "CounterResponse",
                 "User", "UserResponse", "Me", "Token", "TokenList", "UserList", "UserCreated",
                 "LikeResponse"):
        assert schemas[name]["type"] == "object", name
    assert set(schemas["Problem"]["required"]) >= set(api.PROBLEM_FIELDS)


def test_problem_responses_per_status(spec):
    for status, name in PROBLEM_RESPONSES.items():
        resp = spec["components"]["responses"][name]
        content = resp["content"]["application/problem+json"]["schema"]
        assert content == {"$ref": "#/components/schemas/Problem"}, (status, name)
    for method, path, op in operations(spec):
        for status, resp in op["responses"].items():
            if status.isdigit() and int(status) >= 400 and path != "/ready":
                content = schema.deref(spec, resp).get("content", {})
                assert "application/problem+json" in content, f"{method} {path} {status}"


def test_listing_parameters_have_enums(spec):
    params = {p["name"]: p for p in map(lambda p: schema.deref(spec, p),
                                        spec["paths"]["/api/analytics/videos"]["get"]["parameters"])}
    assert set(params["sort_by"]["schema"]["enum"]) == {"timestamp", "views", "likes",
                                                        "engagement", "duration", "size"}
    assert set(params["order"]["schema"]["enum"]) == {"asc", "desc"}
    assert set(schema.deref(spec, params["status"]["schema"])["enum"]) == {
        "UPLOADED", "PROCESSING", "PROCESSED", "FAILED"}
    assert (params["limit"]["schema"]["minimum"], params["limit"]["schema"]["maximum"]) == (1, 1000)


def test_every_server_route_is_documented(spec):
    documented = {(method, path) for method, path, _ in operations(spec)}
    assert documented == SERVER_ROUTES, {"undocumented": SERVER_ROUTES - documented,
                                         "not on the server": documented - SERVER_ROUTES}


# -- the document against the server -------------------------------------------------------

@pytest.fixture(scope="module")
def ctx(module_server_factory, media, web_dir):
    srv = module_server_factory.start(args=("--web-dir", str(web_dir)),
                                      env={"KINORA_SIGNUP": "open"})
    video = api.upload_ok(srv.client, media.clip("mp4"), filename="spec.mp4", title="spec")
    user = auth.new_user(srv, "spec-user")
    return SimpleNamespace(server=srv, client=srv.client, media=media, admin=srv.admin,
                           admin_session=auth.admin_session(srv), user=user,
                           video=api.get_video(srv.client, video["video_id"]))


def fresh_upload(ctx) -> str:
    return api.upload_ok(ctx.client, ctx.media.clip("webm"), filename="spare.webm")["video_id"]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def throwaway_user(ctx) -> dict:
    return auth.create_user(ctx.admin, unique("spare"))["user"]


def throwaway_session(ctx) -> auth.Caller:
    return auth.new_user(ctx.server, unique("spare"), admin=ctx.admin)


def revoke_fresh_token(c) -> Response:
    token = auth.create_token(c.admin_session, ["videos:read"], name="to revoke")
    return c.admin_session.delete(auth.token_path(token.token_id))


def change_password(c) -> Response:
    who = throwaway_session(c)
    return who.post(auth.PASSWORD, json_body={"current_password": auth.USER_PASSWORD,
                                              "new_password": "another-strong-password-1"})


def media_target(ctx) -> str:
    return api.signed(ctx.video["original_url"])


def upload_file(ctx, endpoint=api.UPLOAD, path=None, filename="spec.mp4") -> Response:
    return api.upload(ctx.client, path or ctx.media.clip("mp4"), filename=filename,
                      endpoint=endpoint)


TUS = {"Tus-Resumable": "1.0.0"}


def tus_create(c, headers=None) -> Response:
    return c.admin.post("/api/uploads", b"", headers={
        **TUS, "Upload-Length": "10", "Upload-Metadata": "filename c3BlYy5tcDQ=", **(headers or {})})


def tus_upload(c) -> str:
    made = tus_create(c)
    assert made.status == 201, made
    return made.headers["Location"]


def tus_patch(c, offset="0", headers=None) -> Response:
    return c.admin.patch(tus_upload(c), b"abcd", headers={
        **TUS, "Upload-Offset": offset, "Content-Type": "application/offset+octet-stream",
        **(headers or {})})


DIRECT = "/api/uploads/s3/multipart"


def direct_create(c, size: int = 10) -> Response:
    return c.admin.post(DIRECT, json_body={"filename": "spec.mp4", "type": "video/mp4",
                                           "size": size, "metadata": {"name": "spec.mp4"}})


def direct_upload(c, size: int = 10) -> tuple[str, str]:
    made = direct_create(c, size)
    assert made.status == 200, made
    return made.json()["uploadId"], made.json()["key"]


def direct_path(upload_id: str, key: str, suffix: str = "") -> str:
    return f"{DIRECT}/{upload_id}{suffix}?key={urllib.parse.quote(key)}"


def direct_complete(c) -> Response:
    """The whole flow with a real clip in one part: the part goes straight to s3rver."""
    data = c.media.clip("mp4").read_bytes()
    upload_id, key = direct_upload(c, len(data))
    signed = c.admin.get(direct_path(upload_id, key, "/1"))
    assert signed.status == 200, signed
    put = urllib.request.Request(signed.json()["url"], data=data, method="PUT")
    with urllib.request.urlopen(put, timeout=60) as resp:
        etag = resp.headers["ETag"]
    return c.admin.post(direct_path(upload_id, key, "/complete"),
                        json_body={"parts": [{"PartNumber": 1, "ETag": etag}]})


# Direct-to-S3 uploads exist only on an S3 store: these run on a split cluster with s3rver
# (`s3ctx`); `kinora serve` answers them 501 (ERROR_CALLS).
S3_SUCCESS_CALLS: dict[str, Callable[[SimpleNamespace], Response]] = {
    "s3CreateMultipart": direct_create,
    "s3SignPart": lambda c: c.admin.get(direct_path(*direct_upload(c), "/1")),
    "s3ListParts": lambda c: c.admin.get(direct_path(*direct_upload(c))),
    "s3CompleteMultipart": direct_complete,
    "s3AbortMultipart": lambda c: c.admin.delete(direct_path(*direct_upload(c))),
}

SUCCESS_CALLS: dict[str, Callable[[SimpleNamespace], Response]] = {
    "getHealth": lambda c: c.client.get("/health"),
    "getReady": lambda c: c.client.get("/ready"),
    "getMetrics": lambda c: c.admin.get("/metrics"),
    "uploadVideo": lambda c: upload_file(c),
    "uploadVideoAlias": lambda c: upload_file(c, api.UPLOAD_ALIAS),
    "deleteVideo": lambda c: api.delete_video(c.client, fresh_upload(c)),
    "editVideo": lambda c: api.edit_video(c.client, fresh_upload(c), title="edited",
                                          description="by the spec test", visibility="unlisted"),
    "listVideos": lambda c: c.client.get(api.VIDEOS, params={"limit": 10}),
    "getVideo": lambda c: c.client.get(api.video_path(c.video["video_id"])),
    "getStats": lambda c: c.client.get(api.STATS, params={"limit": 1000, "sort_by": "views"}),
    "recordView": lambda c: c.client.post(api.view_path(c.video["video_id"])),
    "recordBeacon": lambda c: beacon(c),
    "recordLike": lambda c: api.like(c.client, c.video["video_id"], auth=c.user),
    "removeLike": lambda c: api.unlike(c.client, c.video["video_id"], auth=c.user),
    "getMedia": lambda c: c.client.get(media_target(c)),
    "headMedia": lambda c: c.client.head(media_target(c)),
    "getWebApp": lambda c: c.client.get("/"),
    "login": lambda c: auth.try_login(c.client, auth.ADMIN_USER, auth.ADMIN_PASSWORD),
    "logout": lambda c: throwaway_session(c).post(auth.LOGOUT),
    "logoutAll": lambda c: throwaway_session(c).post(auth.LOGOUT_ALL),
    "getMe": lambda c: c.user.get(auth.ME),
    "changePassword": change_password,
    "signUp": lambda c: c.client.post(auth.SIGNUP, json_body={
        "username": unique("signup"), "password": "a-strong-sign-up-password"}),
    "listTokens": lambda c: c.admin_session.get(auth.TOKENS),
    "createToken": lambda c: auth.try_create_token(c.admin_session, ["videos:read"],
                                                   expires_in_days=30),
    "revokeToken": revoke_fresh_token,
    "listUsers": lambda c: c.admin.get(auth.USERS),
    "createUser": lambda c: c.admin.post(auth.USERS, json_body={"username": unique("new"),
                                                                "role": "moderator"}),
    "updateUser": lambda c: c.admin.patch(auth.user_path(throwaway_user(c)["user_id"]),
                                          json_body={"quota_bytes": 10**9}),
    "resetPassword": lambda c: c.admin.post(auth.reset_path(throwaway_user(c)["user_id"])),
    "reprocessVideo": lambda c: c.admin.post(reprocess_path(c.video["video_id"])),
    "tusOptions": lambda c: c.client.request("OPTIONS", "/api/uploads"),
    "tusOptionsUpload": lambda c: c.client.request("OPTIONS", "/api/uploads/" + "0" * 32),
    "tusCreate": tus_create,
    "getUploadsConfig": lambda c: c.client.get("/api/uploads/config"),
    "tusHead": lambda c: c.admin.head(tus_upload(c), headers=TUS),
    "getUpload": lambda c: c.admin.get(tus_upload(c)),
    "tusPatch": tus_patch,
    "tusTerminate": lambda c: c.admin.delete(tus_upload(c), headers=TUS),
    "getVideoAudienceOverview": lambda c: c.admin.get(report(c, "overview")),
    "getVideoAudienceTimeseries": lambda c: c.admin.get(report(c, "timeseries/watch_time_seconds"),
                                                        params={"interval": "hour"}),
    "getVideoRetention": lambda c: c.admin.get(report(c, "retention")),
    "getVideoAudienceBreakdown": lambda c: c.admin.get(report(c, "breakdown/device")),
    "getVideoQoe": lambda c: c.admin.get(report(c, "qoe")),
    "getVideoContent": lambda c: c.admin.get(report(c, "content", stored_analysis(c))),
    "getAudienceRealtime": lambda c: c.user.get("/api/analytics/realtime"),
    "getAudienceOverview": lambda c: c.admin.get("/api/analytics/overview"),
    # CSV: the harness reads any *json body as one JSON document, which NDJSON is not.
    "exportViewSessions": lambda c: c.admin.get("/api/analytics/sessions/export",
                                                params={"format": "csv"}),
}


def beacon(c, video_id: str | None = None, events: list | None = None,
           content_type: str = "text/plain;charset=UTF-8") -> Response:
    """One batch of a fresh view (docs/analytics.md "The beacon")."""
    body = {"v": 1, "video_id": video_id or c.video["video_id"],
            "view_id": "spec-" + uuid.uuid4().hex, "surface": "watch", "duration": 2.0,
            "events": events if events is not None else
            [{"seq": 0, "type": "viewstart", "t": 0, "playhead": 0}]}
    return c.client.post("/api/analytics/beacon", json.dumps(body).encode(),
                         headers={"Content-Type": content_type})


def report(c, suffix: str, video_id: str | None = None) -> str:
    return f"/api/analytics/videos/{video_id or c.video['video_id']}/{suffix}"


# The docs' example of analysis.json (docs/content-analysis.md), as the processor publishes it.
EXAMPLE_ANALYSIS = {
    "version": 1, "complete": True, "incomplete": [], "duration_seconds": 30.0,
    "scenes": [{"time": 4.0, "score": 61.2}], "black": [{"start": 0.0, "end": 2.0}],
    "freeze": [{"start": 12.0, "end": 15.5}], "silence": [{"start": 20.0, "end": 24.0}],
    "loudness": {"integrated_lufs": -23.1, "range_lu": 1.2, "true_peak_dbtp": -20.0},
    "waveform": {"interval_seconds": 0.1, "peak": [0.12], "rms": [0.05]},
    "complexity": {"si_mean": 40.1, "si_max": 60.0, "ti_mean": 5.2, "ti_max": 30.0},
    "storyboard": {"vtt": "storyboard/storyboard.vtt", "interval_seconds": 1, "tile_width": 160,
                   "tile_height": 90, "columns": 10, "rows": 10, "tiles": 30,
                   "sprites": ["storyboard/sprite_000.jpg"]},
    "quality": [{"rung": "720p", "copied": False, "ssim": 0.981, "psnr_db": 41.2, "frames": 6}],
    "flags": [{"code": "black_start", "severity": "warning", "start": 0.0, "end": 2.0,
               "message": "starts with 2.0 s of black"}],
}


def stored_analysis(c) -> str:
    """A video with analysis.json in the (file) store: this server does not process."""
    video_id = fresh_upload(c)
    path = c.server.objects_dir / "processed" / video_id / "analysis.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(EXAMPLE_ANALYSIS))
    return video_id


def reprocess_path(video_id: str) -> str:
    return f"/api/admin/videos/{video_id}/reprocess"


def unknown_id() -> str:
    return str(uuid.uuid4())


def json_upload(c) -> Response:
    return c.client.post(api.UPLOAD, b"{}", headers={"Content-Type": "application/json",
                                                     **api.credentials(c.client)})


def upload_without_file(c) -> Response:
    return api.send_multipart(c.client, multipart.MultipartBody([multipart.field("title", "x")]))


ERROR_CALLS: list[tuple[str, int, Callable[[SimpleNamespace], Response]]] = [
    ("getVideo", 404, lambda c: c.client.get(api.video_path(unknown_id()))),
    ("getVideo", 400, lambda c: c.client.get(api.video_path("not-a-uuid"))),
    ("listVideos", 400, lambda c: c.client.get(api.VIDEOS, params={"limit": 0})),
    ("listVideos", 400, lambda c: c.client.get(api.VIDEOS, params={"sort_by": "nope"})),
    ("recordView", 404, lambda c: c.client.post(api.view_path(unknown_id()))),
    ("recordBeacon", 404, lambda c: beacon(c, unknown_id())),
    ("recordBeacon", 400, lambda c: beacon(c, events=[{"seq": 0, "type": "dance", "t": 0}])),
    ("recordBeacon", 415, lambda c: beacon(c, content_type="application/x-www-form-urlencoded")),
    ("recordLike", 404, lambda c: api.like(c.client, unknown_id())),
    ("recordLike", 401, lambda c: api.like(c.client, c.video["video_id"], auth=None)),
    ("removeLike", 401, lambda c: api.unlike(c.client, c.video["video_id"], auth=None)),
    ("deleteVideo", 404, lambda c: api.delete_video(c.client, unknown_id())),
    ("deleteVideo", 401, lambda c: api.delete_video(c.client, c.video["video_id"], auth=None)),
    ("deleteVideo", 403, lambda c: api.delete_video(c.client, c.video["video_id"], auth=c.user)),
    ("editVideo", 404, lambda c: api.edit_video(c.client, unknown_id(), title="x")),
    ("editVideo", 400, lambda c: api.edit_video(c.client, c.video["video_id"],
                                                visibility="secret")),
    ("editVideo", 403, lambda c: api.edit_video(c.client, c.video["video_id"], auth=c.user,
                                                title="not mine")),
    ("uploadVideo", 401, lambda c: api.upload(c.client, c.media.clip("mp4"), auth=None)),
    ("uploadVideoAlias", 401, lambda c: api.upload(c.client, c.media.clip("mp4"), auth=None,
                                                   endpoint=api.UPLOAD_ALIAS)),
    ("getMetrics", 401, lambda c: c.client.get("/metrics")),
    ("getMetrics", 403, lambda c: c.user.get("/metrics")),
    ("getStats", 400, lambda c: c.client.get(api.STATS, params={"scope": "everything"})),
    ("getStats", 400, lambda c: c.client.get(api.STATS, params={"limit": 1001})),
    ("getStats", 401, lambda c: c.client.get(api.STATS, params={"scope": "mine"})),
    ("getStats", 403, lambda c: c.user.get(api.STATS, params={"scope": "all"})),
    ("listVideos", 401, lambda c: c.client.get(api.VIDEOS, params={"mine": "true"})),
    ("login", 401, lambda c: auth.try_login(c.client, auth.ADMIN_USER, "not-the-password")),
    ("login", 400, lambda c: c.client.post(auth.LOGIN, json_body={"username": "admin"})),
    ("getMe", 401, lambda c: c.client.get(auth.ME)),
    ("logoutAll", 401, lambda c: c.client.post(auth.LOGOUT_ALL)),
    ("changePassword", 400, lambda c: throwaway_session(c).post(auth.PASSWORD, json_body={
        "current_password": auth.USER_PASSWORD, "new_password": "short"})),
    ("changePassword", 401, lambda c: c.client.post(auth.PASSWORD, json_body={
        "current_password": "x", "new_password": "another-strong-password-2"})),
    ("signUp", 409, lambda c: c.client.post(auth.SIGNUP, json_body={
        "username": "spec-user", "password": "a-strong-sign-up-password"})),
    ("listTokens", 401, lambda c: c.client.get(auth.TOKENS)),
    ("listTokens", 403, lambda c: c.admin.get(auth.TOKENS)),   # tokens need a session
    ("createToken", 400, lambda c: auth.try_create_token(c.admin_session, [])),
    ("createToken", 403, lambda c: auth.try_create_token(c.user, ["admin"])),
    ("revokeToken", 404, lambda c: c.admin_session.delete(auth.token_path(unknown_id()))),
    ("listUsers", 401, lambda c: c.client.get(auth.USERS)),
    ("listUsers", 403, lambda c: c.user.get(auth.USERS)),
    ("createUser", 409, lambda c: c.admin.post(auth.USERS, json_body={
        "username": "spec-user", "password": "a-strong-password-again"})),
    ("createUser", 400, lambda c: c.admin.post(auth.USERS, json_body={
        "username": "bad name!", "password": "a-strong-password-again"})),
    ("updateUser", 404, lambda c: c.admin.patch(auth.user_path(unknown_id()),
                                                json_body={"disabled": False})),
    ("updateUser", 400, lambda c: c.admin.patch(auth.user_path(c.user.user_id),
                                                json_body={"role": "emperor"})),
    ("resetPassword", 404, lambda c: c.admin.post(auth.reset_path(unknown_id()))),
    ("reprocessVideo", 404, lambda c: c.admin.post(reprocess_path(unknown_id()))),
    ("tusCreate", 412, lambda c: tus_create(c, {"Tus-Resumable": "0.2.2"})),
    ("tusCreate", 413, lambda c: tus_create(c, {"Upload-Length": str(10**15)})),
    ("tusPatch", 409, lambda c: tus_patch(c, "3")),
    ("tusPatch", 460, lambda c: tus_patch(c, headers={"Upload-Checksum": "sha1 " + "A" * 27 + "="})),
    ("tusPatch", 415, lambda c: tus_patch(c, headers={"Content-Type": "application/octet-stream"})),
    ("getUpload", 404, lambda c: c.admin.get("/api/uploads/" + "0" * 32)),
    ("s3CreateMultipart", 501, direct_create),
    ("s3SignPart", 501, lambda c: c.admin.get(f"{DIRECT}/{'0' * 32}/1")),
    ("s3ListParts", 501, lambda c: c.admin.get(f"{DIRECT}/{'0' * 32}")),
    ("s3CompleteMultipart", 501, lambda c: c.admin.post(f"{DIRECT}/{'0' * 32}/complete",
                                                        json_body={"parts": []})),
    ("s3AbortMultipart", 501, lambda c: c.admin.delete(f"{DIRECT}/{'0' * 32}")),
    ("reprocessVideo", 401, lambda c: c.client.with_headers(None).post(
        reprocess_path(c.video["video_id"]))),
    ("reprocessVideo", 403, lambda c: c.user.post(reprocess_path(c.video["video_id"]))),
    ("getMedia", 403, lambda c: c.client.get(media_target(c) + "0")),
    ("getMedia", 416, lambda c: c.client.get(media_target(c), headers={"Range": "bytes=999999999-"})),
    ("getVideoAudienceOverview", 404, lambda c: c.admin.get(report(c, "overview", unknown_id()))),
    ("getVideoAudienceOverview", 404, lambda c: c.user.get(report(c, "overview"))),
    ("getVideoAudienceOverview", 401, lambda c: c.client.with_headers(None).get(
        report(c, "overview"))),
    ("getVideoAudienceOverview", 400, lambda c: c.admin.get(report(c, "overview"), params={
        "from": "2026-02-01", "to": "2026-01-01"})),
    ("getVideoAudienceTimeseries", 404, lambda c: c.admin.get(report(c, "timeseries/likes"))),
    ("getVideoContent", 404, lambda c: c.admin.get(report(c, "content"))),   # not analysed
    ("getVideoContent", 404, lambda c: c.user.get(report(c, "content", stored_analysis(c)))),
    ("getVideoContent", 401, lambda c: c.client.with_headers(None).get(report(c, "content"))),
    ("listVideos", 400, lambda c: c.client.get(api.VIDEOS, params={"flag": "loud"})),
    ("getVideoAudienceTimeseries", 400, lambda c: c.admin.get(
        report(c, "timeseries/unique_viewers"), params={"interval": "hour"})),
    ("getVideoAudienceBreakdown", 404, lambda c: c.admin.get(report(c, "breakdown/city"))),
    ("getAudienceOverview", 400, lambda c: c.admin.get("/api/analytics/overview", params={
        "from": "2024-01-01", "to": "2026-01-01"})),
    ("exportViewSessions", 400, lambda c: c.admin.get("/api/analytics/sessions/export",
                                                      params={"format": "xml"})),
    ("uploadVideo", 400, upload_without_file),
    ("uploadVideo", 415, json_upload),
    ("uploadVideo", 422, lambda c: upload_file(c, path=c.media.text_as_mp4(), filename="t.mp4")),
]


def find_operation(spec, op_id: str) -> dict:
    for _, _, op in operations(spec):
        if op.get("operationId") == op_id:
            return op
    raise AssertionError(f"operation {op_id} not documented")


def assert_conforms(spec, op_id: str, resp: Response) -> None:
    """The answer's status is documented for the operation, its content type is one the
    document lists, and a JSON body validates against the documented schema."""
    op = find_operation(spec, op_id)
    documented = op["responses"].get(str(resp.status))
    assert documented is not None, \
        f"{op_id}: status {resp.status} not documented ({sorted(op['responses'])}): {resp!r}"
    documented = schema.deref(spec, documented)
    if "X-Correlation-ID" in documented.get("headers", {}):
        assert resp.correlation_id, f"{op_id}: no X-Correlation-ID"
    content = documented.get("content")
    if not content or resp.body == b"":
        return
    media_type = resp.content_type
    if media_type not in content:
        assert "*/*" in content, f"{op_id} {resp.status}: {media_type} not in {list(content)}"
        return
    body_schema = content[media_type].get("schema")
    if body_schema and media_type.endswith("json"):
        problems = schema.errors(spec, body_schema, resp.json())
        assert not problems, f"{op_id} {resp.status}:\n" + "\n".join(problems[:20])


def test_every_documented_operation_has_a_success_call(spec):
    documented = {op["operationId"] for _, _, op in operations(spec)}
    called = set(SUCCESS_CALLS) | set(S3_SUCCESS_CALLS)
    assert documented == called, documented ^ called


@pytest.mark.parametrize("op_id", list(SUCCESS_CALLS))
def test_documented_operation_answers_as_documented(spec, ctx, op_id):
    resp = SUCCESS_CALLS[op_id](ctx)
    assert 200 <= resp.status < 300, f"{op_id}: {resp!r}"
    assert_conforms(spec, op_id, resp)


@pytest.fixture(scope="module")
def s3ctx(kinora_bin, tmp_path_factory, media):
    with split_cluster(kinora_bin, tmp_path_factory.mktemp("split-openapi"),
                       processor=False) as cluster:
        yield SimpleNamespace(admin=auth.admin(cluster), media=media)


S3_ERROR_CALLS: list[tuple[str, int, Callable[[SimpleNamespace], Response]]] = [
    ("s3CreateMultipart", 400, lambda c: direct_create(c, 0)),
    ("s3CreateMultipart", 413, lambda c: direct_create(c, 10**15)),
    ("s3SignPart", 400, lambda c: c.admin.get(direct_path(*direct_upload(c), "/10001"))),
    ("s3SignPart", 404, lambda c: c.admin.get(f"{DIRECT}/{'0' * 32}/1")),
    ("s3ListParts", 404, lambda c: c.admin.get(f"{DIRECT}/{'0' * 32}")),
    ("s3CompleteMultipart", 400, lambda c: c.admin.post(
        direct_path(*direct_upload(c), "/complete"), json_body={"parts": []})),
    ("s3AbortMultipart", 404, lambda c: c.admin.delete(f"{DIRECT}/{'0' * 32}")),
]


@pytest.mark.parametrize("op_id", list(S3_SUCCESS_CALLS))
def test_direct_upload_operation_answers_as_documented(spec, s3ctx, op_id):
    resp = S3_SUCCESS_CALLS[op_id](s3ctx)
    assert 200 <= resp.status < 300, f"{op_id}: {resp!r}"
    assert_conforms(spec, op_id, resp)


@pytest.mark.parametrize("op_id,status,call", S3_ERROR_CALLS,
                         ids=[f"{op}-{status}" for op, status, _ in S3_ERROR_CALLS])
def test_direct_upload_errors_answer_as_documented(spec, s3ctx, op_id, status, call):
    resp = call(s3ctx)
    assert resp.status == status, f"{op_id}: expected {status}, got {resp!r}"
    assert_conforms(spec, op_id, resp)


@pytest.mark.parametrize("op_id,status,call", ERROR_CALLS,
                         ids=[f"{op}-{status}" for op, status, _ in ERROR_CALLS])
def test_documented_errors_answer_as_documented(spec, ctx, op_id, status, call):
    resp = call(ctx)
    assert resp.status == status, f"{op_id}: expected {status}, got {resp!r}"
    assert_conforms(spec, op_id, resp)


@pytest.mark.parametrize("path", ["/api/analytics/videos/all", "/api/uploader/videos",
                                  "/api/v2/videos", "/api/analytics/view", "/api/uploader"])
def test_undocumented_paths_are_not_routes(ctx, path):
    api.assert_problem(ctx.client.get(path), 404)
