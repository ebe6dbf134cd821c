#!/usr/bin/env bash
# Listing at the speed of the server (issue 18), in one run on this machine with 100,000 videos:
#  - GET /health on `kinora serve` (the baseline every line is divided by: the median of three);
#  - the embedded listing GET /api/analytics/videos?limit=50 for each sort key, its first page
#    and a cursor page (the first page's next_cursor);
#  - the split listing through `kinora gateway` → `kinora analytics` → PostgreSQL (same videos),
#    first page and cursor page by time, plus its ratio to the embedded listing measured beside
#    it (alternate rounds);
#  - a browser revalidating the first page (If-None-Match with its ETag: 304, no body), on both;
#  - title search (q=) on both: a common word, a rare phrase, and a 2-character query.
# Every listing line is measured twice: as served (a repeated page is sent as kept, until the
# catalog changes: kinora/analytics/listing_cache.h, and in the split deployment by the gateway
# itself for anonymous callers: kinora/gateway/kept_listings.h) and computed afresh for every
# request, by a second analytics role (on the same SQLite catalog, and behind a second gateway)
# started, like that gateway, with KINORA_LISTING_CACHE_MS=0.
# The peers (s3rver for the split roles' store, PostgreSQL) come from tests/peers/with_peers.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${KINORA_TEST_PG_URL:-}" ]]; then
  exec python3 "$ROOT/tests/peers/with_peers.py" --s3 --postgres -- bash "$0" "$@"
fi
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}/listing"; rm -rf "$OUT"; mkdir -p "$OUT"
N="${API_VIDEOS:-100000}"; DUR="${WRK_SECONDS:-5}"; CONN="${WRK_CONNECTIONS:-32}"
SEED="${SEED:-$ROOT/build/release/bench/seed/kinora_seed_catalog}"

# -- seed both catalogs with the same kind of videos (in parallel) -----------------------------
mkdir -p "$OUT/embedded"
"$SEED" "$KINORA_TEST_PG_URL" "$N" >"$OUT/seed-postgres.txt" &
seed_pg=$!
"$SEED" "sqlite://$OUT/embedded/catalog.db" "$N" >"$OUT/seed-sqlite.txt"
wait "$seed_pg"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# role NAME ROLE [ENV=VAL...]: starts `kinora ROLE`; sets PORT.
role() {
  local name=$1 kind=$2; shift 2
  PORT=$(free_port)
  env KINORA_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" KINORA_WORKERS=0 KINORA_RATE_LIMIT=off \
    KINORA_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD" \
    KINORA_SIGNING_KEY="bench-signing-key-0123456789abcdef0123456789" "$@" \
    "$KINORA" "$kind" --listen "127.0.0.1:$PORT" --data-dir "$OUT/$name" >>"$OUT/$name.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 600); do  # a first start adopts the 100,000 unowned videos
    curl -fs "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$name did not become ready; see $OUT/$name.log" >&2; return 1
}
split_env=(KINORA_STORAGE=s3 "S3_BUCKET=$KINORA_TEST_S3_BUCKET"
  "AWS_ENDPOINT_URL_S3=$KINORA_TEST_S3_ENDPOINT" "KINORA_DB=$KINORA_TEST_PG_URL")
role embedded serve; embedded="http://127.0.0.1:$PORT"
role analytics analytics "${split_env[@]}"; analytics=$PORT
# No uploader in this run: the gateway needs its URL all the same (nothing listens there).
role gateway gateway "${split_env[@]}" KINORA_ANALYTICS_URL="http://127.0.0.1:$analytics" \
  KINORA_UPLOADER_URL="http://127.0.0.1:$(free_port)"
gateway="http://127.0.0.1:$PORT"
# The same, keeping no page: an analytics role on the embedded catalog, and a second split pair.
role fresh-embedded analytics KINORA_LISTING_CACHE_MS=0 KINORA_DB="sqlite://$OUT/embedded/catalog.db"
fresh_embedded="http://127.0.0.1:$PORT"
role fresh-analytics analytics "${split_env[@]}" KINORA_LISTING_CACHE_MS=0; fresh_analytics=$PORT
role fresh-gateway gateway "${split_env[@]}" KINORA_LISTING_CACHE_MS=0 \
  KINORA_ANALYTICS_URL="http://127.0.0.1:$fresh_analytics" \
  KINORA_UPLOADER_URL="http://127.0.0.1:$(free_port)"
fresh_gateway="http://127.0.0.1:$PORT"

# wrk_run NAME URL [IF_NONE_MATCH] -> "req/s p50_ms p99_ms" (fails on any non-2xx answer; with
# an entity tag, on any answer but 304)
wrk_run() {
  local out hdr=()
  [[ -n "${3:-}" ]] && hdr=(-H "If-None-Match: $3")
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency "${hdr[@]}" "$2")
  echo "$out" >"$OUT/wrk-$1.txt"
  python3 - "$out" "$1" "${3:-}" <<'PY'
import re, sys
t = sys.argv[1]
if sys.argv[3]:  # 304s only: wrk counts 3xx as fine, so the bytes read tell (no 120 KB bodies)
    n = int(re.search(r'(\d+) requests in', t).group(1))
    m = re.search(r'requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read', t)
    read = float(m.group(1)) * {'B': 1, 'KB': 1 << 10, 'MB': 1 << 20, 'GB': 1 << 30}[m.group(2)]
    if read / n > 2000: sys.exit(f"{sys.argv[2]}: answers of {read / n:.0f} bytes, not 304s")
def ms(label):
    m = re.search(r'^\s*%s\s+([\d.]+)(us|ms|s)\s*$' % label, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
if bad: sys.exit(f"{sys.argv[2]}: {bad.group(1)} failed requests")
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f}")
PY
}
# cursor_of URL -> the page's next_cursor, URL-encoded (fails when there is none)
cursor_of() {
  curl -fsS "$1" | python3 -c '
import json, sys, urllib.parse
c = json.load(sys.stdin)["next_cursor"]
if not c: sys.exit("no next_cursor")
print(urllib.parse.quote(c, safe=""))'
}
# etag_of URL -> the answer's ETag, after checking that If-None-Match with it gets a 304
etag_of() {
  local tag
  tag=$(curl -fsS -D - -o /dev/null "$1" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
  [[ -n "$tag" && $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$1") == 304 ]] ||
    { echo "no 304 for $1" >&2; return 1; }
  echo "$tag"
}
# total_of URL -> the answer's total (to show what a search matched)
total_of() { curl -fsS "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

wait_idle "${PIDS[@]}"  # their start-up reconcile passes read every video
# What a bulk load leaves to do later is done before measuring, so it does not run in the middle:
# the embedded server's first start writes a metadata mirror for each of the 100,000 videos (the
# kernel writes those pages back over the next minute), and the gateway's first start gives the
# 100,000 PostgreSQL rows an owner — 100,000 dead row versions and as many titles in the trigram
# index's pending list, which autovacuum took on a minute later, slowing the embedded
# measurements progressively (sort=size ~0.5x sort=timestamp). VACUUM ANALYZE also gives the
# planner its statistics, as pg_restore's users are told to after a bulk load.
sync
psql -q "$KINORA_TEST_PG_URL" -c "VACUUM ANALYZE"
# Warm-up, not measured: each side's first requests open what later ones reuse (the gateway's
# upstream connections, the analytics role's PostgreSQL connections and their prepared
# statements, pages of both catalogs); the numbers below are of a server in its steady state.
for base in "$embedded" "$gateway" "$fresh_embedded" "$fresh_gateway"; do wrk -t2 -c"$CONN" -d2s "$base/api/analytics/videos?limit=50" >/dev/null; done
# The baseline is measured three times (before the embedded listing, before the split one, and
# at the end) and its median divides every line: this machine's speed drifts over minutes, and
# one /health measurement put the same listing numbers at 0.20x in one run and 0.30x in another.
HEALTH=()
health() { local r; r=$(wrk_run "health-$((${#HEALTH[@]} + 1))" "$embedded/health"); HEALTH+=("$r"); }
LINES=()
# line LABEL "rps p50 p99" [REF_RPS REF_NAME]: printed at the end, beside the median baseline
line() { LINES+=("$1|$2|${3:-}|${4:-}"); }
print_lines() {
  local hrps label r ref name rps p50 p99 h
  hrps=$(for h in "${HEALTH[@]}"; do echo "${h%% *}"; done | median)
  printf 'listing bench: %d videos, wrk -t2 -c%d -d%ss, %s\n' "$N" "$CONN" "$DUR" "$(git -C "$ROOT" rev-parse --short HEAD)"
  local all=() i=0
  for h in "${HEALTH[@]}"; do i=$((i + 1)); all+=("GET /health (baseline sample $i)|$h||"); done
  LINES=("${all[@]}" "${LINES[@]}")
  printf 'baseline: GET /health, the median of %s req/s: %s\n' \
    "$(for h in "${HEALTH[@]}"; do echo "${h%% *}"; done | paste -sd/)" "$hrps"
  for l in "${LINES[@]}"; do
    IFS='|' read -r label r ref name <<<"$l"
    read -r rps p50 p99 <<<"$r"
    printf '%-60s %7s req/s  p50 %7s ms  p99 %7s ms  ×health %.3f' "$label" "$rps" "$p50" "$p99" \
      "$(python3 -c "print($rps/$hrps)")"
    [[ -n "$ref" ]] && printf '  ×%s %.2f' "$name" "$(python3 -c "print($rps/$ref)")"
    printf '\n'
  done
}
health

q="/api/analytics/videos?limit=50"
for sort in timestamp views likes engagement duration size; do
  first=$(wrk_run "embedded-$sort" "$embedded$q&sort_by=$sort")
  cur=$(cursor_of "$embedded$q&sort_by=$sort")
  next=$(wrk_run "embedded-$sort-cursor" "$embedded$q&sort_by=$sort&cursor=$cur")
  line "embedded sort=$sort" "$first"
  line "embedded sort=$sort cursor" "$next"
done
# A browser revalidating a page it has (If-None-Match, 304 without a body).
tag=$(etag_of "$embedded$q")
line "embedded revalidated (304)" "$(wrk_run embedded-304 "$embedded$q" "$tag")"
# Each page computed afresh (no kept pages), by time and by views.
for sort in timestamp views; do
  first=$(wrk_run "fresh-embedded-$sort" "$fresh_embedded$q&sort_by=$sort")
  cur=$(cursor_of "$fresh_embedded$q&sort_by=$sort")
  next=$(wrk_run "fresh-embedded-$sort-cursor" "$fresh_embedded$q&sort_by=$sort&cursor=$cur")
  line "embedded, not kept, sort=$sort" "$first"
  line "embedded, not kept, sort=$sort cursor" "$next"
  [[ $sort == timestamp ]] && FRESH_FIRST=$first && FRESH_CURSOR=$next
done

health
# beside NAME EMBEDDED_URL SPLIT_URL LABEL: the split side against the embedded one measured
# beside it, in three alternate rounds (this machine's speed drifts over minutes); each side's
# line is its median round, and the split line's ratio is to the embedded median.
beside() {
  local e=() s=() i em sm
  for i in 1 2 3; do
    e+=("$(wrk_run "embedded-$1-beside-$i" "$2")")
    s+=("$(wrk_run "split-$1-$i" "$3")")
  done
  em=$(printf '%s\n' "${e[@]}" | sort -n | sed -n 2p)
  sm=$(printf '%s\n' "${s[@]}" | sort -n | sed -n 2p)
  line "embedded $4 (beside split, median of 3)" "$em"
  line "split (PostgreSQL) $4 (median of 3)" "$sm" "${em%% *}" embedded
}
t="$q&sort_by=timestamp"
beside timestamp "$embedded$t" "$gateway$t" "sort=timestamp"
beside timestamp-cursor "$embedded$t&cursor=$(cursor_of "$embedded$t")" \
  "$gateway$t&cursor=$(cursor_of "$gateway$t")" "sort=timestamp cursor"
tag=$(etag_of "$gateway$q")
line "split (PostgreSQL) revalidated (304)" "$(wrk_run split-304 "$gateway$q" "$tag")"
first=$(wrk_run split-views "$gateway$q&sort_by=views")
cur=$(cursor_of "$gateway$q&sort_by=views")
line "split (PostgreSQL) sort=views" "$first"
line "split (PostgreSQL) sort=views cursor" \
  "$(wrk_run split-views-cursor "$gateway$q&sort_by=views&cursor=$cur")"
for sort in timestamp views; do
  first=$(wrk_run "fresh-split-$sort" "$fresh_gateway$q&sort_by=$sort")
  cur=$(cursor_of "$fresh_gateway$q&sort_by=$sort")
  next=$(wrk_run "fresh-split-$sort-cursor" "$fresh_gateway$q&sort_by=$sort&cursor=$cur")
  if [[ $sort == timestamp ]]; then
    line "split, not kept, sort=$sort" "$first" "${FRESH_FIRST%% *}" "embedded, not kept"
    line "split, not kept, sort=$sort cursor" "$next" "${FRESH_CURSOR%% *}" "embedded, not kept"
  else
    line "split, not kept, sort=$sort" "$first"
    line "split, not kept, sort=$sort cursor" "$next"
  fi
done

# Searches: a common word (about 7 % of titles), a rare phrase, and a query too short for a
# trigram index.
for term in sunset "speedrun%20finale" ca; do
  for side in embedded split "embedded, not kept," "split, not kept,"; do
    case $side in
      embedded) base=$embedded ;; split) base=$gateway ;;
      "embedded, not kept,") base=$fresh_embedded ;; *) base=$fresh_gateway ;;
    esac
    r=$(wrk_run "search-${side//[ ,]/}-$term" "$base$q&q=$term")
    line "$side search q=$term ($(total_of "$base$q&q=$term") hits)" "$r"
  done
done
health
print_lines
