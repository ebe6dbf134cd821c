#!/usr/bin/env bash
# Upload ingest: one 500 MB multipart upload through `kinora serve` on loopback, against the
# fsync'd sequential write speed of the same filesystem measured in the same run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; source "$ROOT/bench/lib.sh"
OUT="${BENCH_OUT:-$ROOT/bench/out}"; mkdir -p "$OUT"
SIZE_MB="${INGEST_MB:-500}"; RUNS="${RUNS:-3}"

src="$OUT/ingest-source.mkv"
if [[ ! -f "$src" ]]; then
  # Raw 1080p frames in Matroska: a real, probe-able video of about SIZE_MB, made in seconds.
  frames=$(( SIZE_MB * 1000000 / 3110400 ))
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
    -frames:v "$frames" -c:v rawvideo -pix_fmt yuv420p "$src"
fi
bytes=$(stat -c %s "$src")
mb=$(python3 -c "print($bytes/1e6)")

disk=(); ingest=(); growth=()
for i in $(seq "$RUNS"); do
  # Baseline: write the same number of bytes sequentially and fsync, on the same filesystem.
  t=$( { /usr/bin/time -f %e dd if=/dev/zero of="$OUT/dd.bin" bs=1M count=$(( bytes / 1048576 )) conv=fsync status=none; } 2>&1 )
  rm -f "$OUT/dd.bin"
  disk+=("$(python3 -c "print($mb/$t)")")

  data="$OUT/ingest-data-$i"; rm -rf "$data" "$data.log"
  start_server "$data"
  token=$(admin_token "http://127.0.0.1:$PORT")
  before=$(proc_kb "$SERVER_PID" VmRSS)
  secs=$(curl -s -o "$OUT/ingest-response.json" -w '%{time_total}' \
    -H "Authorization: Bearer $token" \
    -F "file=@$src;type=video/x-matroska" "http://127.0.0.1:$PORT/api/uploader/upload")
  peak=$(proc_kb "$SERVER_PID" VmHWM)
  grep -q '"status":"success"' "$OUT/ingest-response.json" || { cat "$OUT/ingest-response.json"; exit 1; }
  stop_server; rm -rf "$data"
  ingest+=("$(python3 -c "print($mb/$secs)")")
  growth+=("$(( (peak - before) / 1024 ))")
done
d=$(printf '%s\n' "${disk[@]}" | median); u=$(printf '%s\n' "${ingest[@]}" | median)
g=$(printf '%s\n' "${growth[@]}" | median)
printf 'ingest  %.0f MB upload, median of %d: %.0f MB/s | fsync write baseline %.0f MB/s | ratio %.2f | peak RSS growth %s MiB\n' \
  "$mb" "$RUNS" "$u" "$d" "$(python3 -c "print($u/$d)")" "$g"
