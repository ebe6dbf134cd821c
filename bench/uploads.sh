#!/usr/bin/env bash
# Resumable uploads (tus 1.0, docs/uploads.md) beside the single multipart POST, measured in the
# same run on the same ~500 MB raw-video MKV as ingest.sh:
#  (a) one multipart POST with curl, (b) `kinora upload` (tus, its defaults: UPLOAD_CHUNK = 64 MiB
#      PATCHes, no checksum), (b') the same with --checksum (sha1 on both ends): MB/s (wall time
#      of the whole exchange, the server's ingest included: curl's time_total, kinora upload's
#      exchange_seconds, first request to last answer, neither process's start-up; kinora loads
#      FFmpeg's ~180 libraries, ~0.15 s), ratio b/a (target >= 0.90), peak RSS
#      growth of the server during each (VmRSS sampled every 20 ms, minus the RSS before);
#  (c) `kinora upload` interrupted with SIGINT at about 40% and run again: bytes re-sent = the
#      PATCH bytes of both runs - the file size (target <= one chunk); then interrupted with
#      SIGKILL and run again (where it resumed; the client cannot count what a killed run sent).
#      Both finished uploads are checked: the stored original's sha256 equals the file's.
# Embedded (`kinora serve` on local files) always; then the split deployment (gateway ->
# uploader -> s3rver, PostgreSQL, fauxqs, from tests/peers/with_peers.py) unless UPLOADS_SPLIT=0.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ "${UPLOADS_SPLIT:-1}" == 1 && -z "${KINORA_TEST_S3_ENDPOINT:-}" ]]; then
  exec python3 "$ROOT/tests/peers/with_peers.py" --s3 --sqs --postgres -- bash "$0" "$@"
fi
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}/uploads"; rm -rf "$OUT"; mkdir -p "$OUT"
SIZE_MB="${INGEST_MB:-500}"; RUNS="${RUNS:-3}"; CHUNK="${UPLOAD_CHUNK:-67108864}"
export XDG_STATE_HOME="$OUT/state"   # kinora upload's resume state, not the user's
export KINORA_MAX_UPLOAD_BYTES=$(( 2 * 1024 * 1024 * 1024 ))

src="${BENCH_OUT:-$ROOT/bench/out}/ingest-source.mkv"   # shared with ingest.sh and split.sh
if [[ ! -f "$src" ]]; then
  frames=$(( SIZE_MB * 1000000 / 3110400 ))
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
    -frames:v "$frames" -c:v rawvideo -pix_fmt yuv420p "$src"
fi
bytes=$(stat -c %s "$src"); mb=$(python3 -c "print($bytes/1e6)")
src_sha=$(sha256sum "$src" | cut -d' ' -f1)

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# -- measuring -----------------------------------------------------------------------------------
# sample_start PID...: records the peak VmRSS (kB) of each PID every 20 ms until sample_stop.
sample_start() {
  python3 - "$OUT/rss" "$@" <<'PY' &
import signal, sys, time
out, pids = sys.argv[1], sys.argv[2:]
peak = {p: 0 for p in pids}
def done(*_):
    with open(out, "w") as f:
        f.write(" ".join(str(peak[p]) for p in pids) + "\n")
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as s:
                for line in s:
                    if line.startswith("VmRSS:"):
                        peak[p] = max(peak[p], int(line.split()[1]))
        except OSError:
            pass
    time.sleep(0.02)
PY
  SAMPLER=$!
  sleep 0.1   # the first sample is taken
}
# sample_stop: the peaks ("kB..." in sample_start's order) are then in $OUT/rss. Not in a
# subshell: it waits for the sampler, its child.
sample_stop() { kill -TERM "$SAMPLER"; wait "$SAMPLER" || true; }
sum() { awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}'; }
rss_now() { for p in "$@"; do proc_kb "$p" VmRSS; done | sum; }

# post BASE TOKEN -> "MB/s video_id" (one multipart POST)
post() {
  local secs id
  secs=$(curl -s -o "$OUT/post.json" -w '%{time_total}' -H "Authorization: Bearer $2" \
    -F "file=@$src;type=video/x-matroska" "$1/api/uploader/upload")
  grep -q '"status":"success"' "$OUT/post.json" || { cat "$OUT/post.json" >&2; exit 1; }
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["video_id"])' "$OUT/post.json")
  echo "$(python3 -c "print($mb/$secs)") $id"
}
# field FILE NAME -> a field of kinora upload's --json line
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# tus BASE TOKEN [FLAG...] -> "MB/s video_id" (kinora upload, a new upload)
tus() {
  "$KINORA" upload "$src" --server "$1" --token "$2" --chunk-size "$CHUNK" --no-resume "${@:3}" --json \
    >"$OUT/tus.json" 2>"$OUT/tus.err" || { cat "$OUT/tus.err" >&2; exit 1; }
  echo "$(python3 -c "print($mb/$(field "$OUT/tus.json" exchange_seconds))") $(field "$OUT/tus.json" video_id)"
}
# interrupted BASE TOKEN SIGNAL -> "bytes_sent_first bytes_sent_second resumed_at video_id"
interrupted() {
  local pid first=0
  "$KINORA" upload "$src" --server "$1" --token "$2" --chunk-size "$CHUNK" --no-resume --json \
    >"$OUT/cut.json" 2>"$OUT/cut.err" &
  pid=$!
  for _ in $(seq 600); do grep -Eq '\((4|5|6)[0-9]%\)' "$OUT/cut.err" && break; sleep 0.05; done
  kill -"$3" "$pid"; wait "$pid" || true
  [[ "$3" == INT ]] && first=$(field "$OUT/cut.json" bytes_sent)
  "$KINORA" upload "$src" --server "$1" --token "$2" --chunk-size "$CHUNK" --json \
    >"$OUT/rest.json" 2>"$OUT/rest.err" || { cat "$OUT/cut.err" "$OUT/rest.err" >&2; exit 1; }
  echo "$first $(field "$OUT/rest.json" bytes_sent) $(field "$OUT/rest.json" resumed_at) $(field "$OUT/rest.json" video_id)"
}
# forget BASE TOKEN ID: deletes the video (keeps the disk from filling over the runs)
forget() { curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $2" "$1/api/uploader/videos/$3" || true; }

# bench NAME BASE TOKEN GET_OBJECT PID...: every measurement against one deployment, printed.
# GET_OBJECT KEY writes a stored object to stdout; the PIDs are the processes whose RSS counts.
bench() {
  local name=$1 base=$2 token=$3 get=$4; shift 4
  local a=() b=() c=() ga=() gb=() resent=() killed=() line r id before peak first second at sha
  for _ in $(seq "$RUNS"); do
    # (a) and (b); an assignment first, so a failed measurement stops the script (set -e)
    before=$(rss_now "$@"); sample_start "$@"
    line=$(post "$base" "$token"); read -r r id <<<"$line"
    sample_stop; peak=$(sum <"$OUT/rss"); a+=("$r"); ga+=("$(( (peak - before) / 1024 ))")
    forget "$base" "$token" "$id"
    before=$(rss_now "$@"); sample_start "$@"
    line=$(tus "$base" "$token"); read -r r id <<<"$line"
    sample_stop; peak=$(sum <"$OUT/rss"); b+=("$r"); gb+=("$(( (peak - before) / 1024 ))")
    forget "$base" "$token" "$id"
    line=$(tus "$base" "$token" --checksum); read -r r id <<<"$line"; c+=("$r")
    forget "$base" "$token" "$id"
    # (c)
    line=$(interrupted "$base" "$token" INT); read -r first second at id <<<"$line"
    resent+=("$(( first + second - bytes ))")
    sha=$(check_sha "$base" "$token" "$get" "$id")
    forget "$base" "$token" "$id"
    line=$(interrupted "$base" "$token" KILL); read -r first second at id <<<"$line"
    killed+=("$at")
    sha="$sha $(check_sha "$base" "$token" "$get" "$id")"
    forget "$base" "$token" "$id"
    [[ "$sha" == "ok ok" ]] || { echo "$name: the stored original differs from the file ($sha)" >&2; exit 1; }
  done
  local ma mb_ mc mga mgb mr
  ma=$(printf '%s\n' "${a[@]}" | median); mb_=$(printf '%s\n' "${b[@]}" | median)
  mc=$(printf '%s\n' "${c[@]}" | median)
  mga=$(printf '%s\n' "${ga[@]}" | median); mgb=$(printf '%s\n' "${gb[@]}" | median)
  mr=$(printf '%s\n' "${resent[@]}" | sort -g | tail -1)
  printf 'uploads %-8s %.0f MB, median of %d: tus %s-byte chunks %.0f MB/s | single POST %.0f MB/s | ratio %.2f (target >= 0.90) | peak RSS growth tus %s MiB, POST %s MiB\n' \
    "$name" "$mb" "$RUNS" "$CHUNK" "$mb_" "$ma" "$(python3 -c "print($mb_/$ma)")" "$mgb" "$mga"
  printf '  with --checksum (sha1 per PATCH): %.0f MB/s, ratio %.2f\n' "$mc" "$(python3 -c "print($mc/$ma)")"
  printf '  interrupted at ~40%%: re-sent after SIGINT, worst of %d: %s bytes (%.2f chunks, target <= 1) | after SIGKILL resumed at %s (MB, each run) | originals sha256 ok\n' \
    "$RUNS" "$mr" "$(python3 -c "print($mr/$CHUNK)")" \
    "$(for k in "${killed[@]}"; do python3 -c "print(round($k/1e6, 1))"; done | paste -sd, -)"
}
# check_sha BASE TOKEN GET_OBJECT ID -> ok | differs (the original's key from its metadata document)
check_sha() {
  local key got
  key=$("$3" "metadata/$4.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["s3_key"])')
  got=$("$3" "$key" | sha256sum | cut -d' ' -f1)
  [[ "$got" == "$src_sha" ]] && echo ok || echo differs
}

# -- embedded -------------------------------------------------------------------------------------
data="$OUT/embedded"
start_server "$data"; PIDS+=("$SERVER_PID")
local_object() { cat "$data/objects/$1"; }
token=$(admin_token "http://127.0.0.1:$PORT")
bench embedded "http://127.0.0.1:$PORT" "$token" local_object "$SERVER_PID"
stop_server

# -- split ----------------------------------------------------------------------------------------
[[ "${UPLOADS_SPLIT:-1}" == 1 ]] || exit 0
QUEUE_URL=$(python3 - "${KINORA_TEST_SQS_ENDPOINT:?}" <<'PY'
import json, sys, urllib.request
ep = sys.argv[1]
req = urllib.request.Request(ep + "/", json.dumps({"QueueName": "bench-uploads"}).encode(), method="POST", headers={
    "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue",
    "Authorization": "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0"})
print(json.load(urllib.request.urlopen(req))["QueueUrl"])
PY
)
export KINORA_STORAGE=s3 S3_BUCKET="$KINORA_TEST_S3_BUCKET" KINORA_QUEUE=sqs SQS_QUEUE_URL="$QUEUE_URL"
export AWS_ENDPOINT_URL_S3="$KINORA_TEST_S3_ENDPOINT" AWS_ENDPOINT_URL_SQS="$KINORA_TEST_SQS_ENDPOINT"
export KINORA_DB="$KINORA_TEST_PG_URL" KINORA_SIGNING_KEY="bench-signing-key-0123456789abcdef0123456789"
export KINORA_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" KINORA_WORKERS=0
export KINORA_RATE_LIMIT=off KINORA_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD"
# role NAME ROLE [ENV=VAL...]: starts `kinora ROLE`; sets PORT and PID.
role() {
  local name=$1 kind=$2; shift 2
  PORT=$(free_port)
  env "$@" "$KINORA" "$kind" --listen "127.0.0.1:$PORT" --data-dir "$OUT/$name" \
    >>"$OUT/$name.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
  for _ in $(seq 150); do
    curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$name did not become ready; see $OUT/$name.log" >&2; return 1
}
role analytics analytics; analytics=$PORT
role uploader uploader; uploader=$PORT; UPLOADER_PID=$PID
role gateway gateway KINORA_UPLOADER_URL="http://127.0.0.1:$uploader" \
  KINORA_ANALYTICS_URL="http://127.0.0.1:$analytics"
gateway=$PORT; GATEWAY_PID=$PID
s3_object() { curl -fsS "$KINORA_TEST_S3_ENDPOINT/$KINORA_TEST_S3_BUCKET/$1"; }
token=$(admin_token "http://127.0.0.1:$gateway")
bench split "http://127.0.0.1:$gateway" "$token" s3_object "$GATEWAY_PID" "$UPLOADER_PID"
echo "  (split: RSS growth is the gateway's plus the uploader's; objects in s3rver)"
