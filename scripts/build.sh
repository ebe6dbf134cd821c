#!/usr/bin/env bash
# Installs the build dependencies when missing and builds Kinora with warnings as errors and a
# silent log: the compiler's output is kept aside and shown only when the build fails or says
# anything at all (a warning, a note, a #pragma message), which fails the build too.
# Usage: scripts/build.sh [preset [target...]]   (release by default; every target by default)
# The container image's build stage runs `scripts/build.sh image`.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
bash scripts/setup.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
args=(--build --preset "$preset")
[[ $# -gt 0 ]] && args+=(--target "$@")
start=$SECONDS
if ! cmake "${args[@]}" >"$log" 2>&1; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2 || true
  echo "build: FAILED ($preset)" >&2
  exit 1
fi
if grep -Eq 'warning:|note:|#pragma message|Warning' "$log"; then
  grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2 || true
  echo "build: the compiler printed diagnostics ($preset); the build log must be clean" >&2
  exit 1
fi
echo "build: $preset done in $((SECONDS - start)) s" >&2
