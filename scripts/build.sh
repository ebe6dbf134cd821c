#!/usr/bin/env bash
# Installs the build dependencies when missing and builds Kinora with warnings as errors.
# Usage: scripts/build.sh [preset [target...]]   (release by default; every target by default)
# The container image's build stage runs `scripts/build.sh release kinora`.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
bash scripts/setup.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" >/dev/null
if [[ $# -gt 0 ]]; then
  cmake --build --preset "$preset" --target "$@"
else
  cmake --build --preset "$preset"
fi
