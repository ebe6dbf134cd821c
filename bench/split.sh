#!/usr/bin/env bash
# Split mode against embedded mode, in one run on this machine:
#  - ingest: a ~500 MB multipart upload through `kinora gateway` → `kinora uploader` → s3rver,
#    beside the same upload into `kinora serve` (local files);
#  - list latency: wrk on /api/analytics/videos?limit=50 through `kinora gateway` →
#    `kinora analytics` → PostgreSQL with 100,000 videos, beside `kinora serve` on SQLite with
#    the same 100,000.
# The peers (s3rver, fauxqs, PostgreSQL) are started by tests/peers/with_peers.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${KINORA_TEST_S3_ENDPOINT:-}" ]]; then
  exec python3 "$ROOT/tests/peers/with_peers.py" --s3 --sqs --postgres -- bash "$0" "$@"
fi
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}/split"; rm -rf "$OUT"; mkdir -p "$OUT"
SIZE_MB="${INGEST_MB:-500}"; RUNS="${RUNS:-3}"
N="${API_VIDEOS:-100000}"; DUR="${WRK_SECONDS:-10}"; CONN="${WRK_CONNECTIONS:-32}"
SEED="$ROOT/build/release/bench/seed/kinora_seed_catalog"

# The SQS queue (fauxqs keeps queues in memory).
QUEUE_URL=$(python3 - "${KINORA_TEST_SQS_ENDPOINT:?}" <<'PY'
import json, sys, urllib.request
ep = sys.argv[1]
def call(action, body):
    req = urllib.request.Request(ep + "/", json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS." + action,
        "Authorization": "AWS4-HMAC-SHA256 Credential=S3RVER/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0"})
    return json.load(urllib.request.urlopen(req))
print(call("CreateQueue", {"QueueName": "bench-jobs"})["QueueUrl"])
PY
)
export KINORA_STORAGE=s3 S3_BUCKET="$KINORA_TEST_S3_BUCKET" KINORA_QUEUE=sqs SQS_QUEUE_URL="$QUEUE_URL"
export AWS_ENDPOINT_URL_S3="$KINORA_TEST_S3_ENDPOINT" AWS_ENDPOINT_URL_SQS="$KINORA_TEST_SQS_ENDPOINT"
export KINORA_DB="$KINORA_TEST_PG_URL" KINORA_SIGNING_KEY="bench-signing-key-0123456789abcdef0123456789"
export KINORA_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" KINORA_WORKERS=0
export KINORA_RATE_LIMIT=off KINORA_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
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

# -- seed both catalogs with the same videos ---------------------------------------------------
"$SEED" "$KINORA_TEST_PG_URL" "$N" | sed 's/^/postgres: /'
mkdir -p "$OUT/embedded"
"$SEED" "sqlite://$OUT/embedded/catalog.db" "$N" | sed 's/^/sqlite:   /'

role analytics analytics; analytics=$PORT
role uploader uploader; uploader=$PORT
role gateway gateway KINORA_UPLOADER_URL="http://127.0.0.1:$uploader" \
  KINORA_ANALYTICS_URL="http://127.0.0.1:$analytics"
gateway=$PORT; GATEWAY_PID=$PID
# The embedded baseline: every role in one process on local files and SQLite.
role embedded serve -u KINORA_STORAGE -u KINORA_QUEUE -u KINORA_DB; embedded=$PORT
# Uploads need a user: the admin's token from each catalog (PostgreSQL's works on every role
# of the split deployment, the uploader included).
declare -A TOKEN
TOKEN[$gateway]=$(admin_token "http://127.0.0.1:$gateway"); TOKEN[$uploader]=${TOKEN[$gateway]}
TOKEN[$embedded]=$(admin_token "http://127.0.0.1:$embedded")

# -- ingest -------------------------------------------------------------------------------------
src="${BENCH_OUT:-$ROOT/bench/out}/ingest-source.mkv"
if [[ ! -f "$src" ]]; then
  frames=$(( SIZE_MB * 1000000 / 3110400 ))
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
    -frames:v "$frames" -c:v rawvideo -pix_fmt yuv420p "$src"
fi
bytes=$(stat -c %s "$src"); mb=$(python3 -c "print($bytes/1e6)")
upload() {  # PORT -> MB/s
  local secs
  secs=$(curl -s -o "$OUT/upload.json" -w '%{time_total}' -F "file=@$src;type=video/x-matroska" \
    -H "Authorization: Bearer ${TOKEN[$1]}" "http://127.0.0.1:$1/api/uploader/upload")
  grep -q '"status":"success"' "$OUT/upload.json" || { cat "$OUT/upload.json" >&2; exit 1; }
  python3 -c "print($mb/$secs)"
}
direct_put() {  # the same bytes PUT straight into s3rver: the store's own ceiling
  local secs
  secs=$(curl -s -o /dev/null -w '%{time_total}' -T "$src" \
    "$KINORA_TEST_S3_ENDPOINT/$KINORA_TEST_S3_BUCKET/bench/direct-put.mkv")
  python3 -c "print($mb/$secs)"
}
split=(); local_=(); growth=(); direct=(); uploader_only=()
for _ in $(seq "$RUNS"); do
  direct+=("$(direct_put)")
  uploader_only+=("$(upload "$uploader")")
  before=$(proc_kb "$GATEWAY_PID" VmRSS)
  split+=("$(upload "$gateway")")
  after=$(proc_kb "$GATEWAY_PID" VmHWM)
  growth+=("$(( (after - before) / 1024 ))")
  local_+=("$(upload "$embedded")")
done
s=$(printf '%s\n' "${split[@]}" | median); e=$(printf '%s\n' "${local_[@]}" | median)
g=$(printf '%s\n' "${growth[@]}" | median); d=$(printf '%s\n' "${direct[@]}" | median)
u=$(printf '%s\n' "${uploader_only[@]}" | median)
printf 'split ingest  %.0f MB via gateway→uploader→s3rver, median of %d: %.0f MB/s | embedded serve→files %.0f MB/s | ratio %.2f | gateway peak RSS growth %s MiB\n' \
  "$mb" "$RUNS" "$s" "$e" "$(python3 -c "print($s/$e)")" "$g"
printf '  same upload straight to the uploader %.0f MB/s (gateway/uploader %.2f); plain PUT into s3rver %.0f MB/s (split/PUT %.2f)\n' \
  "$u" "$(python3 -c "print($s/$u)")" "$d" "$(python3 -c "print($s/$d)")"

# -- list latency -------------------------------------------------------------------------------
wrk_run() {  # NAME URL -> "req/s p50_ms p99_ms"
  local out; out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency "$2")
  echo "$out" > "$OUT/wrk-$1.txt"
  python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
def ms(label):
    m = re.search(r'^\s*%s\s+([\d.]+)(us|ms|s)\s*$' % label, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
if bad: sys.exit(f"{bad.group(1)} failed requests")
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f}")
PY
}
for sort in timestamp views; do
  q="/api/analytics/videos?limit=50&sort_by=$sort"
  split_out=$(wrk_run "split-$sort" "http://127.0.0.1:$gateway$q")
  embedded_out=$(wrk_run "embedded-$sort" "http://127.0.0.1:$embedded$q")
  read -r srps sp50 sp99 <<<"$split_out"
  read -r erps ep50 ep99 <<<"$embedded_out"
  printf 'list sort=%-9s %d videos: gateway→analytics→PostgreSQL p50 %s ms p99 %s ms %s req/s | embedded SQLite p50 %s ms p99 %s ms %s req/s | p50 ratio %.2f\n' \
    "$sort" "$N" "$sp50" "$sp99" "$srps" "$ep50" "$ep99" "$erps" "$(python3 -c "print($sp50/$ep50)")"
done
