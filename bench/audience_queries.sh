#!/usr/bin/env bash
# Audience report queries over 1,000,000 stored view sessions (docs/analytics.md "API"): overview,
# retention, breakdown, qoe and timeseries of the busiest video, p50/p99 with wrk, beside
# GET /health on the same server in the same run. Target: p99 < 20 ms.
#
# The data is written straight into the catalog's SQLite file in one transaction (not through
# HTTP): 1,000,000 view_sessions over 28 days and 10 videos (the benchmarked one holds 40 %), and
# the rollups ingest would keep for them (hourly per video and site-wide, per dimension per day,
# retention, startup histogram, distinct daily viewer keys and their daily counts, per-minute
# concurrency).
#   bash bench/audience_queries.sh       # release build; KINORA=… for another binary
#   AUDIENCE_SESSIONS=200000 bash bench/audience_queries.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}"; mkdir -p "$OUT"
N="${AUDIENCE_SESSIONS:-1000000}"; DUR="${WRK_SECONDS:-5}"; CONN="${WRK_CONNECTIONS:-8}"
SEED="${SEED:-$(dirname "$(dirname "$(dirname "$KINORA")")")/bench/seed/kinora_seed_catalog}"
echo "binary: $KINORA"

data="$OUT/audience-data"; rm -rf "$data" "$data.log"; mkdir -p "$data"
"$SEED" "sqlite://$data/catalog.db" 10 >/dev/null
start_server "$data"
base="http://127.0.0.1:$PORT"
cookie=$(session_cookie "$base" admin "$BENCH_ADMIN_PASSWORD")
token=$(api_token "$base" "$cookie" analytics:read)
mapfile -t ids < <(sqlite3 "$data/catalog.db" "SELECT video_id FROM videos ORDER BY video_id LIMIT 10")
id=${ids[0]}

start=$(date +%s.%N)
python3 - "$data/catalog.db" "$N" "${ids[@]}" <<'PY'
import random, sqlite3, sys, time
db_path, n, videos = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rnd = random.Random(7)
now = int(time.time()); day0 = now // 86400 * 86400 - 27 * 86400
weights = [4] + [0.666] * (len(videos) - 1)
db = sqlite3.connect(db_path, timeout=60)
db.execute("PRAGMA synchronous=OFF")
hourly, dims, ret, hist, viewers, conc = {}, {}, {}, {}, set(), {}
countries, devices = ["FR", "DE", "US", "GB", "JP", "BR", ""], ["Desktop", "Mobile", "Tablet"]
bounds = [100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 20000, 2147483647]
def rows():
    for i in range(n):
        v = rnd.choices(videos, weights)[0]
        started = day0 + rnd.randrange(28 * 86400)
        hour, day = started // 3600 * 3600, started // 86400 * 86400
        watch = rnd.randrange(0, 120000); startup = rnd.randrange(150, 4000)
        stalls = rnd.random() < 0.1
        h = hourly.setdefault((v, hour), [0] * 8)
        h[0] += 1; h[1] += watch >= 10000; h[2] += watch; h[3] += stalls; h[4] += 800 * stalls
        h[5] += startup; h[6] += 1; h[7] += min(watch * 1000000 // 120000, 1000000)
        c, d = rnd.choice(countries), rnd.choice(devices)
        for dim, val in (("country", c), ("device", d)):
            x = dims.setdefault((v, day, dim, val), [0, 0, 0]); x[0] += 1; x[1] += watch >= 10000; x[2] += watch
        for b in range(0, watch * 100 // 120000):
            ret[(v, day, b)] = ret.get((v, day, b), 0) + 1
        le = next(b for b in bounds if startup <= b)
        hist[(v, hour, le)] = hist.get((v, hour, le), 0) + 1
        key = "%032x" % rnd.randrange(50000)
        viewers.add((v, day, key))
        m = started // 60 * 60
        conc[(v, m)] = conc.get((v, m), 0) + 1
        yield ("bench-%016d" % i, v, started * 1000, started * 1000 + watch, started * 1000 + watch,
               120000, watch, 1, startup, int(stalls), 800 * int(stalls), key, c, d)
with db:
    db.executemany("INSERT INTO view_sessions (view_id, video_id, started_at, last_seen_at, "
                   "finalised_at, duration_ms, credited_ms, first_frame, startup_ms, stalls, "
                   "stall_ms, viewer_key, country, device) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   rows())
    db.executemany("INSERT INTO audience_hourly (video_id, hour_start, plays, views, watch_ms, "
                   "stalls, stall_ms, startup_sum_ms, startup_count, first_frames, viewed_ppm_sum) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   ((v, h, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[6], x[7])
                    for (v, h), x in hourly.items()))
    db.executemany("INSERT INTO audience_dimension_daily VALUES (?,?,?,?,?,?,?)",
                   ((v, d, dim, val, x[0], x[1], x[2]) for (v, d, dim, val), x in dims.items()))
    db.executemany("INSERT INTO audience_retention VALUES (?,?,'first','percent',?,?)",
                   ((v, d, b, c) for (v, d, b), c in ret.items()))
    db.executemany("INSERT INTO audience_startup_histogram VALUES (?,?,?,?)",
                   ((v, h, le, c) for (v, h, le), c in hist.items()))
    # The site's rollups, as ingest writes them beside the per-video rows.
    counters = ("plays, views, watch_ms, stalls, stall_ms, startup_sum_ms, startup_count, "
                "first_frames, viewed_ppm_sum")
    db.execute(f"INSERT INTO audience_site_hourly (hour_start, {counters}) SELECT hour_start, "
               + ", ".join(f"SUM({c})" for c in counters.split(", "))
               + " FROM audience_hourly GROUP BY hour_start")
    db.execute("INSERT INTO audience_site_startup SELECT hour_start, le_ms, SUM(count) FROM "
               "audience_startup_histogram GROUP BY hour_start, le_ms")
    db.executemany("INSERT INTO audience_daily_viewers VALUES (?,?,?)", viewers)
    unique = {}
    for v, d, _ in viewers:
        unique[(v, d)] = unique.get((v, d), 0) + 1
    db.executemany("INSERT INTO audience_daily_unique VALUES (?,?,?)",
                   ((v, d, c) for (v, d), c in unique.items()))
    db.executemany("INSERT INTO audience_concurrency VALUES (?,?,?)",
                   ((v, m, c) for (v, m), c in conc.items()))
    db.execute("INSERT INTO audience_site_concurrency SELECT minute_start, SUM(viewers) FROM "
               "audience_concurrency GROUP BY minute_start")
print(f"stored {n} view sessions, {len(hourly)} hourly rollups, {len(viewers)} daily viewer keys")
PY
printf 'generated in %.1f s\n' "$(python3 -c "import time; print(time.time() - $start)")"

wrk_run() {
  local out; out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency -H "Authorization: Bearer $token" "$2")
  echo "$out" > "$OUT/wrk-audience-$1.txt"
  python3 - "$out" <<'PY'
import re, sys
t = sys.argv[1]
def ms(label):
    m = re.search(r'^\s*%s\s+([\d.]+)(us|ms|s)\s*$' % label, t, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', t)
timeouts = re.search(r'timeout (\d+)', t)  # over wrk's 2 s: counted as errors
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} "
      f"{(int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)}")
PY
}
report() { read -r rps p50 p99 bad <<<"$2"; read -r brps bp50 bp99 _ <<<"$3"
  local verdict; verdict=$(python3 -c "print('ok' if $p99 < 20 and $bad == 0 else 'MISSED')")
  printf '%-34s %7s req/s  p50 %6s ms  p99 %6s ms  errors %s  [%s] | /health p50 %s p99 %s ms, %s req/s | p99 ratio %.1f\n' \
    "$1" "$rps" "$p50" "$p99" "$bad" "$verdict" "$bp50" "$bp99" "$brps" \
    "$(python3 -c "print($p99/max($bp99, 0.01))")"; }

v="$base/api/analytics/videos/$id"
health=$(wrk_run health "$base/health")
for q in overview retention breakdown/country qoe "timeseries/watch_time_seconds?interval=day" \
         "timeseries/plays?interval=hour"; do
  report "GET videos/{id}/$q" "$(wrk_run "${q//[\/?=&]/-}" "$v/$q")" "$health"
done
report "GET overview (site)" "$(wrk_run site "$base/api/analytics/overview")" "$health"
report "GET realtime" "$(wrk_run realtime "$base/api/analytics/realtime")" "$health"
stop_server
rm -rf "$data"
