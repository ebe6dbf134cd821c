#!/usr/bin/env bash
# API: list and stats over a 100,000-video catalog, and view counting, under wrk on loopback.
# Baseline in the same run: GET /health (the server's cost with no catalog work).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}"; mkdir -p "$OUT"
N="${API_VIDEOS:-100000}"; DUR="${WRK_SECONDS:-10}"; CONN="${WRK_CONNECTIONS:-32}"
SEED="$ROOT/build/release/bench/seed/kinora_seed_catalog"

data="$OUT/api-data"; rm -rf "$data" "$data.log"; mkdir -p "$data"
"$SEED" "sqlite://$data/catalog.db" "$N" >/dev/null
start_server "$data"
base="http://127.0.0.1:$PORT"

# wrk_run NAME URL [lua] -> "req/s p50_ms p99_ms requests non2xx"
wrk_run() {
  local out; out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency ${3:+-s "$3"} "$2")
  echo "$out" > "$OUT/wrk-$1.txt"
  python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
def ms(label):
    m = re.search(r'^\s*%s\s+([\d.]+)(us|ms|s)\s*$' % label, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
reqs = int(re.search(r'(\d+) requests in', t).group(1))
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {reqs} {bad.group(1) if bad else 0}")
PY
}
report() { read -r rps p50 p99 _ bad <<<"$2"; read -r brps _ <<<"$3"
  printf '%-28s %8s req/s  p50 %6s ms  p99 %6s ms  errors %s | /health baseline %s req/s | ratio %.2f\n' \
    "$1" "$rps" "$p50" "$p99" "$bad" "$brps" "$(python3 -c "print($rps/$brps)")"; }

health=$(wrk_run health "$base/health")
list=$(wrk_run list "$base/api/analytics/videos?limit=50")
list_views=$(wrk_run list-views "$base/api/analytics/videos?limit=50&sort_by=views")
stats=$(wrk_run stats "$base/api/analytics/stats")
report "GET videos?limit=50" "$list" "$health"
report "GET videos?limit=50&sort=views" "$list_views" "$health"
report "GET stats" "$stats" "$health"

# Counters: POST /view/{id} on one video; every answered view must be counted.
id=$(curl -s "$base/api/analytics/videos?limit=1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["videos"][0]["video_id"])')
get_views() { curl -s "$base/api/analytics/video/$id" | python3 -c 'import sys,json; print(json.load(sys.stdin)["views"])'; }
before=$(get_views)
printf 'wrk.method = "POST"\n' > "$OUT/post.lua"
views=$(wrk_run views "$base/api/analytics/view/$id" "$OUT/post.lua")
after=$(get_views)
read -r _ _ _ vreqs vbad <<<"$views"
report "POST view/{id}" "$views" "$health"
counted=$(( after - before ))
# wrk does not count requests still in flight when it stops, so up to CONN more may be counted.
if (( counted >= vreqs - vbad && counted <= vreqs + CONN )); then verdict="none lost"; else verdict="MISMATCH"; fi
printf 'views counted %s for %s answered requests (%s)\n' "$counted" "$vreqs" "$verdict"
stop_server
rm -rf "$data"
