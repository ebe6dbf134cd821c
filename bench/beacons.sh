#!/usr/bin/env bash
# Audience beacon ingest (docs/analytics.md "The beacon"): concurrent simulated viewers
# (kinora_beacon_load, bench/load/: one thread, asynchronous, so the client costs little CPU) post
# batches of 20 events to POST /api/analytics/beacon over keep-alive connections; events/s,
# batch latency p50/p99, and events lost (sent and answered 202, yet not stored: must be 0,
# checked in the database: every view's stored max_seq + 1 = its events sent), beside
# `wrk` on GET /health against the same server in the same run.
#   embedded: `kinora serve` on SQLite
#   split:    two `kinora analytics` on PostgreSQL (tests/peers), each view's batches alternating
# Target on a 2-core machine: >= 20,000 events/s embedded with p99 < 20 ms.
#   bash bench/beacons.sh               # release build; KINORA=… for another binary
#   BEACON_VIEWERS=64 BEACON_SECONDS=10 BEACON_MODES=embedded bash bench/beacons.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}"; mkdir -p "$OUT"
VIEWERS="${BEACON_VIEWERS:-32}"; SECS="${BEACON_SECONDS:-10}"; DUR="${WRK_SECONDS:-5}"
MODES="${BEACON_MODES:-embedded split}"
LOAD="${BEACON_LOAD:-$(dirname "$(dirname "$(dirname "$KINORA")")")/bench/load/kinora_beacon_load}"
export KINORA ROOT OUT VIEWERS SECS DUR BENCH_ADMIN_PASSWORD LOAD
echo "binary: $KINORA"

# load BASE_URL[,BASE_URL2] VIDEO_ID -> prints "events batches eps p50_ms p99_ms errors" and
# writes the per-view events sent (and acknowledged) to $OUT/beacons-sent.tsv
load() {
  "$LOAD" --urls "$1" --video "$2" --viewers "$VIEWERS" --seconds "$SECS" --per 20 \
    --sent-tsv "$OUT/beacons-sent.tsv"
}

# lost STORED_TSV -> events sent (and acknowledged) but missing from the database
lost() {
  python3 - "$OUT/beacons-sent.tsv" "$1" <<'PY'
import sys
sent = dict(l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l)
stored = dict(l.split("\t") for l in open(sys.argv[2]).read().split("\n") if l)
print(sum(max(0, int(n) - int(stored.get(v, 0))) for v, n in sent.items()))
PY
}

health() {  # BASE_URL -> requests/s of GET /health
  wrk -t2 -c32 -d"${DUR}s" "$1/health" | awk '/Requests\/sec/ {print $2}'
}

report() {  # MODE HEALTH_RPS "events batches eps p50 p99 errors" LOST
  read -r events batches eps p50 p99 errors <<<"$3"
  printf '%-9s beacons: %s events/s (%s events in %s batches, %s refused), p50 %s ms, p99 %s ms, lost %s | GET /health: %s req/s | ratio events/health-requests %.2f\n' \
    "$1" "$eps" "$events" "$batches" "$errors" "$p50" "$p99" "$4" "$2" \
    "$(python3 -c "print($eps / max($2, 1))")"
  [[ "$4" == 0 ]] || { echo "events lost: $4" >&2; return 1; }
}

upload_video() {  # BASE_URL -> video id (a 2 s clip made with ffmpeg)
  local clip="$OUT/beacon-clip.mp4"
  [[ -f "$clip" ]] || ffmpeg -v error -f lavfi -i testsrc2=size=64x64:rate=5:duration=2 \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$clip"
  curl -fsS -H "Authorization: Bearer $(admin_token "$1")" -F "file=@$clip" \
    "$1/api/uploader/upload" | python3 -c 'import json,sys; print(json.load(sys.stdin)["video_id"])'
}

for mode in $MODES; do
  case $mode in
    embedded)
      data="$OUT/beacons-embedded"; rm -rf "$data" "$data.log"; mkdir -p "$data"
      start_server "$data"
      base="http://127.0.0.1:$PORT"
      vid=$(upload_video "$base")
      h=$(health "$base")
      r=$(load "$base" "$vid")
      sqlite3 -separator $'\t' "$data/catalog.db" \
        "SELECT view_id, max_seq + 1 FROM view_sessions" > "$OUT/beacons-stored.tsv"
      stop_server
      report embedded "$h" "$r" "$(lost "$OUT/beacons-stored.tsv")"
      ;;
    split)
      # shellcheck disable=SC2016  # expanded by the inner shell, which with_peers.py starts
      python3 "$ROOT/tests/peers/with_peers.py" --postgres -- bash -c '
        set -euo pipefail; source "$ROOT/bench/lib.sh"
        source <(sed -n "/^load()/,/^}/p; /^lost()/,/^}/p; /^health()/,/^}/p; /^report()/,/^}/p; /^upload_video()/,/^}/p" "$ROOT/bench/beacons.sh")
        data="$OUT/beacons-split"; rm -rf "$data"*; mkdir -p "$data"
        start_server "$data" KINORA_DB="$KINORA_TEST_PG_URL"
        setup_pid=$SERVER_PID; base="http://127.0.0.1:$PORT"
        vid=$(upload_video "$base")
        urls=(); pids=()
        for n in 1 2; do
          p=$(free_port)
          env KINORA_DB="$KINORA_TEST_PG_URL" KINORA_STORAGE="file://$data/objects" \
            KINORA_RATE_LIMIT=off KINORA_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" \
            "$KINORA" analytics --listen "127.0.0.1:$p" --data-dir "$data-a$n" 2>>"$data-a$n.log" &
          pids+=($!); urls+=("http://127.0.0.1:$p")
          for _ in $(seq 100); do curl -fs "http://127.0.0.1:$p/health" >/dev/null && break; sleep 0.1; done
        done
        h=$(health "${urls[0]}")
        r=$(load "${urls[0]},${urls[1]}" "$vid")
        psql "$KINORA_TEST_PG_URL" -AtF $'"'"'\t'"'"' -c "SELECT view_id, max_seq + 1 FROM view_sessions" \
          > "$OUT/beacons-stored.tsv"
        kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
        SERVER_PID=$setup_pid; stop_server
        report split "$h" "$r" "$(lost "$OUT/beacons-stored.tsv")"
      '
      ;;
  esac
done
