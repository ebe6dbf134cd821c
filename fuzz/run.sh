#!/usr/bin/env bash
# Fuzzes every harness (or the named ones) for longer than the test command does, in turn, each
# from its committed seed corpus plus what earlier runs found (build/fuzz/fuzz/work/NAME).
# Crashes are saved as build/fuzz/fuzz/artifacts/NAME-crash-…; the script stops at the first.
# Usage: fuzz/run.sh [seconds per harness (300)] [name...]   e.g. fuzz/run.sh 600 multipart range
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
flock /tmp/kinora-build.lock bash scripts/build.sh fuzz
out=build/fuzz/fuzz
if [[ $# -gt 0 ]]; then
  names=("$@")
else
  mapfile -t names < <(ls fuzz/corpus)
fi
export ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for name in "${names[@]}"; do
  echo "fuzz: $name for ${seconds} s" >&2
  mkdir -p "$out/work/$name" "$out/artifacts"
  "$out/${name}_fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" \
    "$out/work/$name" "fuzz/corpus/$name"
done
