# shellcheck shell=bash
# Shared helpers for bench/*.sh: start/stop a release `kinora serve`, read its memory, medians.
KINORA="${KINORA:-$ROOT/build/release/apps/kinora/kinora}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The first admin of every benchmark server; rate limits off (a benchmark is one client).
BENCH_ADMIN_PASSWORD="bench-admin-password-0123"

# start_server DATA_DIR [ENV=VAL ...] -> sets SERVER_PID, PORT
start_server() {
  local data="$1"; shift
  PORT=$(free_port)
  env KINORA_WORKERS=0 KINORA_LOG_LEVEL="${BENCH_LOG_LEVEL:-info}" KINORA_RATE_LIMIT=off \
    KINORA_ADMIN_PASSWORD="$BENCH_ADMIN_PASSWORD" "$@" \
    "$KINORA" serve --listen "127.0.0.1:$PORT" --data-dir "$data" 2>>"$data.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start; see $data.log" >&2; return 1
}

stop_server() { kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; }

# kB of a /proc/PID/status field (VmRSS, VmHWM)
proc_kb() { awk -v f="$2:" '$1==f {print $2}' "/proc/$1/status"; }

# wait_idle PID...: waits (up to 5 minutes) until the processes together use under 5 % of a core
# over a second, e.g. a role's start-up reconcile pass over 100,000 videos, which would otherwise
# run during the first measurement.
wait_idle() {
  local before after
  ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
  for _ in $(seq 300); do
    before=$(ticks "$@"); sleep 1; after=$(ticks "$@")
    (( (after - before) * 100 < 5 * $(getconf CLK_TCK) )) && return 0
  done
  echo "still busy after 5 minutes: $*" >&2
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# timed FILE CMD [ARGS...]: runs CMD and writes "wall user sys" (seconds) to FILE; user and sys
# cover CMD and every descendant it waited for (getrusage RUSAGE_CHILDREN). Returns CMD's status.
timed() {
  python3 -c '
import resource, subprocess, sys, time
start = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write(f"{wall:.3f} {r.ru_utime:.3f} {r.ru_stime:.3f}\n")
sys.exit(rc)' "$@"
}

# session_cookie BASE_URL USER PASSWORD -> the kinora_session cookie's value
session_cookie() {
  curl -fsS -o /dev/null -D - -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" "$1/api/auth/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: kinora_session=\([^;]*\).*/\1/p'
}

# api_token BASE_URL COOKIE SCOPE... -> a personal API token made with that session
api_token() {
  local base=$1 cookie=$2; shift 2
  local scopes; scopes=$(printf '"%s",' "$@"); scopes="[${scopes%,}]"
  curl -fsS -H 'Content-Type: application/json' -H 'X-Kinora-Request: 1' \
    -H 'Sec-Fetch-Site: same-origin' -H "Cookie: kinora_session=$cookie" \
    -d "{\"name\":\"bench\",\"scopes\":$scopes}" "$base/api/auth/tokens" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# admin_token BASE_URL -> a videos:write + videos:read token of the first admin (for uploads)
admin_token() {
  api_token "$1" "$(session_cookie "$1" admin "$BENCH_ADMIN_PASSWORD")" videos:write videos:read
}
