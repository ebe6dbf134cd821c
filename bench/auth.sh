#!/usr/bin/env bash
# The cost of authentication on the API's hottest read: wrk on /api/analytics/videos?limit=50
# over a 100,000-video catalog (all public, adopted by the first admin), by an anonymous
# caller (the baseline), by a signed-in user's session cookie and by that user's API token
# (videos:read), in the same run and the same server, in interleaved rounds. Prints the median
# of the rounds and the ratio against the anonymous baseline. KINORA_RATE_LIMIT=off.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}/auth"; rm -rf "$OUT"; mkdir -p "$OUT"
N="${API_VIDEOS:-100000}"; DUR="${WRK_SECONDS:-5}"; CONN="${WRK_CONNECTIONS:-32}"
ROUNDS="${RUNS:-5}"
SEED="${SEED:-$ROOT/build/release/bench/seed/kinora_seed_catalog}"
USER_PASSWORD="bench-user-password-0123"

data="$OUT/data"; mkdir -p "$data"
"$SEED" "sqlite://$data/catalog.db" "$N" >/dev/null
start_server "$data"   # KINORA_RATE_LIMIT=off (lib.sh)
trap stop_server EXIT
base="http://127.0.0.1:$PORT"
list="$base/api/analytics/videos?limit=50"

# A user (made by the admin), their session cookie and a videos:read token.
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }
admin_cookie=$(session_cookie "$base" admin "$BENCH_ADMIN_PASSWORD")
curl -fsS -o /dev/null -H 'Content-Type: application/json' -H 'X-Kinora-Request: 1' \
  -H 'Sec-Fetch-Site: same-origin' -H "Cookie: kinora_session=$admin_cookie" \
  -d "{\"username\":\"bench\",\"password\":\"$USER_PASSWORD\",\"role\":\"user\"}" "$base/api/admin/users"
cookie=$(session_cookie "$base" bench "$USER_PASSWORD")
token=$(api_token "$base" "$cookie" videos:read)
[[ -n "$cookie" && "$token" == kin_* ]] || { echo "could not sign in or make a token" >&2; exit 1; }

# Every caller sees the same page of the same N public videos.
declare -A hdr=([anonymous]="X-Bench: anonymous" [session]="Cookie: kinora_session=$cookie"
                [token]="Authorization: Bearer $token")
for who in anonymous session token; do
  got=$(curl -fsS -H "${hdr[$who]}" "$list" | json '(d["total"], d["count"])')
  [[ "$got" == "($N, 50)" ]] || { echo "$who sees $got, not ($N, 50)" >&2; exit 1; }
done
via=$(curl -fsS -H "${hdr[session]}" "$base/api/auth/me" | json 'd["via"]')
[[ "$via" == session ]] || { echo "the cookie does not sign in ($via)" >&2; exit 1; }

# wrk_run NAME HEADER -> "req/s p50_ms p99_ms requests non2xx"
wrk_run() {
  local out; out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "$2" "$list")
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

: > "$OUT/rounds.tsv"
for round in $(seq "$ROUNDS"); do
  for who in anonymous session token; do   # interleaved: drift hits every caller alike
    read -r rps p50 p99 _ bad <<<"$(wrk_run "$who-$round" "${hdr[$who]}")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$who" "$rps" "$p50" "$p99" "$bad" >> "$OUT/rounds.tsv"
  done
done

col() { awk -F'\t' -v w="$1" -v c="$2" '$2==w {print $c}' "$OUT/rounds.tsv" | median; }
base_rps=$(col anonymous 3); base_p50=$(col anonymous 4)
printf 'GET /api/analytics/videos?limit=50 over %s public videos, wrk -t2 -c%s, %s rounds of %s s (medians)\n' \
  "$N" "$CONN" "$ROUNDS" "$DUR"
for who in anonymous session token; do
  rps=$(col "$who" 3); p50=$(col "$who" 4); p99=$(col "$who" 5)
  errors=$(awk -F'\t' -v w="$who" '$2==w {s+=$6} END {print s+0}' "$OUT/rounds.tsv")
  printf '%-10s %8s req/s  p50 %6s ms  p99 %6s ms  non-2xx %s | anonymous baseline %s req/s | ratio %.2f (p50 x%.2f)\n' \
    "$who" "$rps" "$p50" "$p99" "$errors" "$base_rps" \
    "$(python3 -c "print($rps/$base_rps)")" "$(python3 -c "print($p50/$base_p50)")"
done
stop_server; trap - EXIT
rm -rf "$data"
