"""Smoke tests of the throw-away peers (peers.py, with_peers.py), with plain HTTP from the stdlib.

They also pin down the peers' behaviour that README.md describes for client implementers, so a
change of s3rver/fauxqs version that breaks an assumption shows up here first.

    /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/peers
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402

S3_NS = "{http://doc.s3.amazonaws.com/2006-03-01/}"  # sic: s3rver's ListBucketResult namespace


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


# ============================================================================================ S3


@pytest.fixture(scope="module")
def s3():
    with peers.s3rver() as peer:
        yield peer


def xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)


def test_s3_put_get_list(s3):
    b = s3.bucket
    assert s3.env["KINORA_TEST_S3_ENDPOINT"] == f"http://127.0.0.1:{s3.port}"
    assert s3.env["KINORA_TEST_S3_BUCKET"] == "kinora-test"
    data = b"kinora \x00\xff bytes"
    st, h, _ = request(s3.port, "PUT", f"/{b}/videos/a.bin", data,
                       {"Content-Type": "video/mp4", "x-amz-meta-owner": "alice"})
    assert st == 200
    assert h["etag"] == '"%s"' % hashlib.md5(data).hexdigest()
    st, h, got = request(s3.port, "GET", f"/{b}/videos/a.bin")
    assert (st, got) == (200, data)
    assert h["content-type"] == "video/mp4" and h["x-amz-meta-owner"] == "alice"
    st, h, _ = request(s3.port, "HEAD", f"/{b}/videos/a.bin")
    assert st == 200 and h["content-length"] == str(len(data))

    st, _, body = request(s3.port, "GET", f"/{b}?list-type=2")
    assert st == 200
    root = xml(body)
    assert root.tag == S3_NS + "ListBucketResult"
    keys = [c.findtext(S3_NS + "Key") for c in root.iter(S3_NS + "Contents")]
    assert "videos/a.bin" in keys
    assert root.findtext(S3_NS + "KeyCount") == str(len(keys))
    assert root.findtext(S3_NS + "IsTruncated") == "false"


def test_s3_list_v2_continuation_prefix_delimiter(s3):
    b = s3.bucket
    for i in range(5):
        assert request(s3.port, "PUT", f"/{b}/page/k{i}", b"%d" % i)[0] == 200
    seen, token, pages = [], None, 0
    while True:
        q = {"list-type": "2", "prefix": "page/", "max-keys": "2"}
        if token:
            q["continuation-token"] = token
        st, _, body = request(s3.port, "GET", f"/{b}?" + urllib.parse.urlencode(q))
        assert st == 200, body  # a 500 here means node ran without --openssl-legacy-provider
        root = xml(body)
        pages += 1
        seen += [c.findtext(S3_NS + "Key") for c in root.iter(S3_NS + "Contents")]
        if root.findtext(S3_NS + "IsTruncated") != "true":
            assert root.find(S3_NS + "NextContinuationToken") is None
            break
        token = root.findtext(S3_NS + "NextContinuationToken")
        assert token
    assert seen == [f"page/k{i}" for i in range(5)] and pages == 3

    st, _, body = request(s3.port, "GET", f"/{b}?list-type=2&delimiter=/&prefix=")
    root = xml(body)
    assert "page/" in [p.findtext(S3_NS + "Prefix") for p in root.iter(S3_NS + "CommonPrefixes")]
    st, _, body = request(s3.port, "GET", f"/{b}?list-type=2&prefix=page/&start-after=page/k2")
    assert [c.findtext(S3_NS + "Key") for c in xml(body).iter(S3_NS + "Contents")] == ["page/k3", "page/k4"]


def test_s3_range_get(s3):
    b = s3.bucket
    request(s3.port, "PUT", f"/{b}/range.txt", b"0123456789")
    st, h, body = request(s3.port, "GET", f"/{b}/range.txt", headers={"Range": "bytes=2-5"})
    assert (st, body, h["content-range"]) == (206, b"2345", "bytes 2-5/10")
    st, h, body = request(s3.port, "GET", f"/{b}/range.txt", headers={"Range": "bytes=7-"})
    assert (st, body, h["content-range"]) == (206, b"789", "bytes 7-9/10")
    st, h, body = request(s3.port, "GET", f"/{b}/range.txt", headers={"Range": "bytes=20-30"})
    assert st == 416 and xml(body).findtext("Code") == "InvalidRange"
    # s3rver bug: a suffix range "bytes=-3" is served as "bytes=0-3" (real S3: the last 3 bytes)
    st, h, body = request(s3.port, "GET", f"/{b}/range.txt", headers={"Range": "bytes=-3"})
    assert (st, body) == (206, b"0123")


def test_s3_multipart_upload(s3):
    b, key = s3.bucket, "mp/video.bin"
    st, _, body = request(s3.port, "POST", f"/{b}/{key}?uploads")
    assert st == 200
    upload_id = xml(body).findtext("UploadId")  # note: s3rver's result has no xmlns
    assert upload_id
    part1 = os.urandom(5 * 1024 * 1024)
    part2 = b"tail"
    etags = []
    for n, part in ((1, part1), (2, part2)):
        st, h, _ = request(s3.port, "PUT", f"/{b}/{key}?partNumber={n}&uploadId={upload_id}", part)
        assert st == 200
        assert h["etag"] == '"%s"' % hashlib.md5(part).hexdigest()
        etags.append(h["etag"])
    complete = "<CompleteMultipartUpload>" + "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in ((1, etags[0]), (2, etags[1]))
    ) + "</CompleteMultipartUpload>"
    st, _, body = request(s3.port, "POST", f"/{b}/{key}?uploadId={upload_id}", complete.encode())
    assert st == 200
    root = xml(body)
    assert root.tag == "CompleteMultipartUploadResult" and root.findtext("Key") == key
    # s3rver's ETag of a multipart object is the MD5 of the whole content (S3: md5-of-md5s "-2")
    assert root.findtext("ETag") == '"%s"' % hashlib.md5(part1 + part2).hexdigest()
    st, _, got = request(s3.port, "GET", f"/{b}/{key}")
    assert st == 200 and got == part1 + part2

    # not supported by s3rver 3.7.1: AbortMultipartUpload and ListParts
    st, _, body = request(s3.port, "POST", f"/{b}/mp/aborted?uploads")
    upload_id = xml(body).findtext("UploadId")
    st, _, body = request(s3.port, "DELETE", f"/{b}/mp/aborted?uploadId={upload_id}")
    assert st == 405 and xml(body).findtext("Code") == "MethodNotAllowed"
    st, _, body = request(s3.port, "GET", f"/{b}/mp/aborted?uploadId={upload_id}")
    assert st == 405


def test_s3_delete_objects(s3):
    b = s3.bucket
    for k in ("del/a", "del/b", "del/keep"):
        request(s3.port, "PUT", f"/{b}/{k}", b"x")
    body = (b"<Delete><Object><Key>del/a</Key></Object><Object><Key>del/b</Key></Object>"
            b"<Object><Key>del/never-existed</Key></Object></Delete>")
    st, _, resp = request(s3.port, "POST", f"/{b}?delete", body, {"Content-Type": "application/xml"})
    assert st == 200, resp
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    root = xml(resp)
    assert root.tag == ns + "DeleteResult"
    assert sorted(d.findtext(ns + "Key") for d in root.iter(ns + "Deleted")) == \
        ["del/a", "del/b", "del/never-existed"]
    assert request(s3.port, "GET", f"/{b}/del/a")[0] == 404
    assert request(s3.port, "GET", f"/{b}/del/keep")[0] == 200
    assert request(s3.port, "DELETE", f"/{b}/del/never-existed")[0] == 204
    # s3rver race: when one DeleteObjects empties a "directory" (all keys under a prefix), the
    # objects are deleted but the answer is usually 500 InternalError; repeating it answers 200.
    for k in ("gone/a", "gone/b"):
        request(s3.port, "PUT", f"/{b}/{k}", b"x")
    body = b"<Delete><Object><Key>gone/a</Key></Object><Object><Key>gone/b</Key></Object></Delete>"
    st, _, resp = request(s3.port, "POST", f"/{b}?delete", body)
    assert st in (200, 500)
    assert request(s3.port, "POST", f"/{b}?delete", body)[0] == 200
    assert request(s3.port, "GET", f"/{b}/gone/a")[0] == request(s3.port, "GET", f"/{b}/gone/b")[0] == 404


def test_s3_error_xml(s3):
    st, h, body = request(s3.port, "GET", f"/{s3.bucket}/no/such/key")
    assert st == 404 and h["content-type"] == "application/xml"
    root = xml(body)
    assert root.tag == "Error"
    assert (root.findtext("Code"), root.findtext("Key")) == ("NoSuchKey", "no/such/key")
    assert root.findtext("Message")
    st, _, body = request(s3.port, "GET", "/no-such-bucket/x")
    assert st == 404 and xml(body).findtext("Code") == "NoSuchBucket"
    assert xml(body).findtext("BucketName") == "no-such-bucket"


def test_s3_sigv4_header_checks(s3):
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())

    def auth(key):
        return (f"AWS4-HMAC-SHA256 Credential={key}/{now[:8]}/us-east-1/s3/aws4_request, "
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0" * 64)

    headers = {"x-amz-date": now, "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "Authorization": auth("S3RVER")}
    # the signature itself is not verified, only its form, the access key id and the clock
    assert request(s3.port, "PUT", f"/{s3.bucket}/signed", b"s", headers)[0] == 200
    st, _, body = request(s3.port, "PUT", f"/{s3.bucket}/signed", b"s", {**headers, "Authorization": auth("AKIDOTHER")})
    assert st == 403 and xml(body).findtext("Code") == "InvalidAccessKeyId"
    no_sha = {k: v for k, v in headers.items() if k != "x-amz-content-sha256"}
    st, _, body = request(s3.port, "PUT", f"/{s3.bucket}/signed", b"s", no_sha)
    assert st == 400 and xml(body).findtext("Code") == "InvalidRequest"
    st, _, body = request(s3.port, "PUT", f"/{s3.bucket}/signed", b"s", {**headers, "x-amz-date": "20200101T000000Z"})
    assert st == 403 and xml(body).findtext("Code") == "RequestTimeTooSkewed"
    # Content-MD5 is not checked either
    bad_md5 = base64.b64encode(b"\0" * 16).decode()
    assert request(s3.port, "PUT", f"/{s3.bucket}/md5", b"abc", {"Content-MD5": bad_md5})[0] == 200


# =========================================================================================== SQS


@pytest.fixture(scope="module")
def sqs():
    with peers.fauxqs() as peer:
        yield peer


def sqs_call(peer, action: str, payload: dict, region: str | None = None, timeout: float = 30):
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"AmazonSQS.{action}"}
    if region:  # fauxqs takes the region from the SigV4 credential scope; it checks nothing else
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential=S3RVER/20260101/{region}/sqs/aws4_request, "
                                    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)
    st, h, body = request(peer.port, "POST", "/", json.dumps(payload).encode(), headers, timeout)
    return st, h, json.loads(body) if body else {}


def ok(peer, action, payload, **kw):
    st, _, doc = sqs_call(peer, action, payload, **kw)
    assert st == 200, (action, doc)
    return doc


def create_queue(peer, name, attributes=None):
    payload = {"QueueName": name}
    if attributes:
        payload["Attributes"] = attributes
    return ok(peer, "CreateQueue", payload)["QueueUrl"]


def test_sqs_send_receive_delete(sqs):
    assert sqs.env["KINORA_TEST_SQS_ENDPOINT"] == f"http://127.0.0.1:{sqs.port}"
    url = create_queue(sqs, "jobs")
    assert url == f"http://sqs.us-east-1.localhost:{sqs.port}/000000000000/jobs"
    assert create_queue(sqs, "jobs") == url  # idempotent with the same attributes
    assert ok(sqs, "GetQueueUrl", {"QueueName": "jobs"})["QueueUrl"] == url
    assert url in ok(sqs, "ListQueues", {})["QueueUrls"]

    body = '{"job":"transcode","video":42}'
    sent = ok(sqs, "SendMessage", {"QueueUrl": url, "MessageBody": body,
                                   "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "t"}}})
    assert sent["MessageId"] and sent["MD5OfMessageBody"] == hashlib.md5(body.encode()).hexdigest()
    got = ok(sqs, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10,
                                     "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]})
    (msg,) = got["Messages"]
    assert msg["MessageId"] == sent["MessageId"] and msg["Body"] == body
    assert msg["Attributes"]["ApproximateReceiveCount"] == "1"
    assert msg["MessageAttributes"]["kind"]["StringValue"] == "t"
    assert ok(sqs, "ReceiveMessage", {"QueueUrl": url}) == {}  # in flight: nothing; no "Messages" key
    assert ok(sqs, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": msg["ReceiptHandle"]}) == {}
    attrs = ok(sqs, "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]})["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0" and attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert attrs["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:jobs"
    # the legacy name AttributeNames works for system attributes too
    ok(sqs, "SendMessage", {"QueueUrl": url, "MessageBody": "b"})
    (msg,) = ok(sqs, "ReceiveMessage", {"QueueUrl": url, "AttributeNames": ["ApproximateReceiveCount"]})["Messages"]
    assert msg["Attributes"] == {"ApproximateReceiveCount": "1"}
    ok(sqs, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": msg["ReceiptHandle"]})


def test_sqs_long_polling(sqs):
    url = create_queue(sqs, "longpoll")
    t0 = time.monotonic()
    assert ok(sqs, "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 1}) == {}
    assert 0.9 <= time.monotonic() - t0 < 3
    # a message sent during the wait ends it early
    threading.Timer(0.3, lambda: ok(sqs, "SendMessage", {"QueueUrl": url, "MessageBody": "late"})).start()
    t0 = time.monotonic()
    got = ok(sqs, "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 10})
    assert got["Messages"][0]["Body"] == "late" and time.monotonic() - t0 < 5
    st, _, err = sqs_call(sqs, "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 21})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#InvalidParameterValue"


def test_sqs_visibility_timeout_and_change(sqs):
    url = create_queue(sqs, "visibility", {"VisibilityTimeout": "30"})
    ok(sqs, "SendMessage", {"QueueUrl": url, "MessageBody": "v"})
    rcv = {"QueueUrl": url, "MessageSystemAttributeNames": ["ApproximateReceiveCount"]}
    (m1,) = ok(sqs, "ReceiveMessage", {**rcv, "VisibilityTimeout": 1})["Messages"]
    assert ok(sqs, "ReceiveMessage", rcv) == {}
    # comes back after its per-receive visibility timeout; a long poll notices that
    t0 = time.monotonic()
    (m2,) = ok(sqs, "ReceiveMessage", {**rcv, "WaitTimeSeconds": 5})["Messages"]
    assert time.monotonic() - t0 < 3
    assert m2["MessageId"] == m1["MessageId"] and m2["ReceiptHandle"] != m1["ReceiptHandle"]
    assert m2["Attributes"]["ApproximateReceiveCount"] == "2"
    # the old receipt handle is dead
    st, _, err = sqs_call(sqs, "ChangeMessageVisibility",
                          {"QueueUrl": url, "ReceiptHandle": m1["ReceiptHandle"], "VisibilityTimeout": 5})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#MessageNotInflight"
    # extending works, and 0 makes the message visible again at once
    ok(sqs, "ChangeMessageVisibility", {"QueueUrl": url, "ReceiptHandle": m2["ReceiptHandle"], "VisibilityTimeout": 60})
    assert ok(sqs, "ReceiveMessage", rcv) == {}
    ok(sqs, "ChangeMessageVisibility", {"QueueUrl": url, "ReceiptHandle": m2["ReceiptHandle"], "VisibilityTimeout": 0})
    (m3,) = ok(sqs, "ReceiveMessage", rcv)["Messages"]
    assert m3["Attributes"]["ApproximateReceiveCount"] == "3"
    ok(sqs, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": m3["ReceiptHandle"]})


def test_sqs_redrive_to_dead_letter_queue(sqs):
    dlq = create_queue(sqs, "jobs-dlq")
    dlq_arn = ok(sqs, "GetQueueAttributes", {"QueueUrl": dlq, "AttributeNames": ["QueueArn"]})["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})
    src = create_queue(sqs, "jobs-src", {"RedrivePolicy": policy})
    got = ok(sqs, "GetQueueAttributes", {"QueueUrl": src, "AttributeNames": ["RedrivePolicy"]})
    assert json.loads(got["Attributes"]["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}

    ok(sqs, "SendMessage", {"QueueUrl": src, "MessageBody": "poison"})
    rcv = {"QueueUrl": src, "VisibilityTimeout": 0, "MessageSystemAttributeNames": ["ApproximateReceiveCount"]}
    for n in (1, 2):  # VisibilityTimeout 0: back at once, as if the worker had failed
        (m,) = ok(sqs, "ReceiveMessage", rcv)["Messages"]
        assert m["Attributes"]["ApproximateReceiveCount"] == str(n)
    assert ok(sqs, "ReceiveMessage", rcv) == {}  # the 3rd receive moves it to the DLQ instead
    (d,) = ok(sqs, "ReceiveMessage", {"QueueUrl": dlq, "MessageSystemAttributeNames": ["All"]})["Messages"]
    assert d["Body"] == "poison" and d["MessageId"] == m["MessageId"]
    assert d["Attributes"]["ApproximateReceiveCount"] == "4"  # the count carries on in the DLQ

    # a policy can be set later too, and a numeric maxReceiveCount is accepted
    later = create_queue(sqs, "jobs-later")
    ok(sqs, "SetQueueAttributes", {"QueueUrl": later, "Attributes": {
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})}})
    ok(sqs, "SendMessage", {"QueueUrl": later, "MessageBody": "p2"})
    assert ok(sqs, "ReceiveMessage", {**rcv, "QueueUrl": later})["Messages"]
    assert ok(sqs, "ReceiveMessage", {**rcv, "QueueUrl": later}) == {}
    assert ok(sqs, "ReceiveMessage", {"QueueUrl": dlq})["Messages"][0]["Body"] == "p2"


def test_sqs_errors_and_quirks(sqs):
    missing = f"http://sqs.us-east-1.localhost:{sqs.port}/000000000000/missing"
    st, h, err = sqs_call(sqs, "SendMessage", {"QueueUrl": missing, "MessageBody": "x"})
    assert st == 400 and h["content-type"].startswith("application/x-amz-json-1.0")
    assert err == {"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist."}
    assert h["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    st, _, err = sqs_call(sqs, "Frobnicate", {})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#InvalidAction"
    st, _, err = sqs_call(sqs, "CreateQueue", {"QueueName": "bad", "Attributes": {"VisibilityTimeout": "99999"}})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#InvalidAttributeValue"
    create_queue(sqs, "attrs", {"VisibilityTimeout": "10"})
    st, _, err = sqs_call(sqs, "CreateQueue", {"QueueName": "attrs", "Attributes": {"VisibilityTimeout": "11"}})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#QueueNameExists"
    # the QueueUrl is matched as an exact string: another spelling of the same queue is "missing"
    create_queue(sqs, "exact")
    st, _, err = sqs_call(sqs, "SendMessage", {"QueueUrl": f"http://127.0.0.1:{sqs.port}/000000000000/exact",
                                               "MessageBody": "x"})
    assert st == 400 and err["__type"] == "com.amazonaws.sqs#QueueDoesNotExist"
    # the region comes from the Authorization header's credential scope
    eu = ok(sqs, "CreateQueue", {"QueueName": "exact"}, region="eu-west-1")["QueueUrl"]
    assert eu == f"http://sqs.eu-west-1.localhost:{sqs.port}/000000000000/exact"
    # a stale receipt handle is fine for DeleteMessage (as in AWS)
    url = create_queue(sqs, "stale")
    assert ok(sqs, "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": "no-such-handle"}) == {}
    # SQS requests must go to "/": a POST to the queue's path is taken for an S3 request
    st, _, body = request(sqs.port, "POST", "/000000000000/stale", b"{}", {
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert not body.startswith(b"{")


# ====================================================================================== Postgres


@pytest.fixture(scope="module")
def pg():
    with peers.postgres() as peer:
        yield peer


def test_postgres_psql_select_1(pg):
    url = pg.env["KINORA_TEST_PG_URL"]
    assert url == f"postgresql://kinora@127.0.0.1:{pg.port}/kinora_test"
    psql = shutil.which("psql")
    if psql:
        out = subprocess.run([psql, url, "-XAtc", "SELECT 1"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "1"
    assert pg.query("SELECT 1") == [("1",)]  # the raw wire-protocol client, no psql needed


def test_postgres_setup(pg):
    (row,) = pg.query("SELECT current_database(), current_user, current_setting('listen_addresses'), "
                      "current_setting('unix_socket_directories'), current_setting('server_encoding')")
    assert row[:3] == ("kinora_test", "kinora", "127.0.0.1")
    assert row[3].startswith(str(pg.dir)) and row[4] == "UTF8"
    pg.query("CREATE TABLE t (id bigserial PRIMARY KEY, v text)")
    pg.query("INSERT INTO t (v) VALUES ('a'), (NULL)")
    assert pg.query("SELECT id, v FROM t ORDER BY id") == [("1", "a"), ("2", None)]
    with pytest.raises(peers.PgError) as e:
        pg.query("SELECT * FROM no_such_table")
    assert e.value.code == "42P01"


# ================================================================================== lifecycle


def test_stop_removes_everything():
    with peers.running(["s3", "sqs", "postgres"]) as found:
        dirs = {n: p.dir for n, p in found.items()}
        pids = {n: p.process.proc.pid for n, p in found.items()}
        ports = {n: p.port for n, p in found.items()}
    for name in found:
        assert not dirs[name].exists(), name
        with pytest.raises(ProcessLookupError):
            os.kill(pids[name], 0)
        with pytest.raises(ConnectionRefusedError):
            request(ports[name], "GET", "/", timeout=2)


WITH_PEERS = [sys.executable, str(HERE / "with_peers.py")]


def test_with_peers_exports_env_and_exit_code():
    check = ("import os, sys; e = os.environ; "
             "assert e['KINORA_TEST_S3_BUCKET'] == 'kinora-test'; "
             "assert e['KINORA_TEST_S3_ENDPOINT'].startswith('http://127.0.0.1:'); "
             "assert e['KINORA_TEST_SQS_ENDPOINT'].startswith('http://127.0.0.1:'); "
             "assert e['KINORA_TEST_PG_URL'].startswith('postgresql://kinora@127.0.0.1:'); "
             "assert e['AWS_ACCESS_KEY_ID'] == e['AWS_SECRET_ACCESS_KEY'] == 'S3RVER'; "
             "assert e['AWS_REGION'] == 'us-east-1'; sys.exit(7)")
    out = subprocess.run([*WITH_PEERS, "--s3", "--sqs", "--postgres", "--", sys.executable, "-c", check],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 7, out.stderr
    assert "AssertionError" not in out.stderr
    assert "with_peers: postgres ready in" in out.stderr


def test_with_peers_fails_loudly_when_a_peer_cannot_start(tmp_path):
    tmp_path = Path(tempfile.mkdtemp(prefix="kinora-fake-pg-"))  # reachable by the postgres user
    tmp_path.chmod(0o755)
    env = {**os.environ, "KINORA_PG_BINDIR": str(tmp_path)}
    out = subprocess.run([*WITH_PEERS, "--postgres", "--", "true"], capture_output=True, text=True,
                         timeout=60, env=env)
    assert out.returncode == 125
    assert "KINORA_PG_BINDIR" in out.stderr and "no executable initdb" in out.stderr
    # a peer that starts but dies: a broken initdb
    (tmp_path / "initdb").write_text("#!/bin/sh\necho 'initdb: simulated failure' >&2\nexit 1\n")
    (tmp_path / "postgres").write_text("#!/bin/sh\nexit 1\n")
    for f in ("initdb", "postgres"):
        (tmp_path / f).chmod(0o755)
    out = subprocess.run([*WITH_PEERS, "--postgres", "--", "true"], capture_output=True, text=True,
                         timeout=60, env=env)
    shutil.rmtree(tmp_path)
    assert out.returncode == 125
    assert "initdb failed" in out.stderr and "simulated failure" in out.stderr


def test_with_peers_cleans_up_on_sigterm():
    p = subprocess.Popen([*WITH_PEERS, "--s3", "--sqs", "--", "sleep", "60"],
                         stderr=subprocess.PIPE, text=True)
    lines = [p.stderr.readline() for _ in range(2)]
    assert all("ready in" in line for line in lines), lines
    ports = [int(line.rsplit(":", 1)[1]) for line in lines]
    p.send_signal(signal.SIGTERM)
    assert p.wait(30) == 128 + signal.SIGTERM
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            request(port, "GET", "/", timeout=2)
