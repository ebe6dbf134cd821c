#!/usr/bin/env bash
# Installs what is missing (including test tools), builds Kinora with warnings as errors, and
# runs every test: unit tests per library, the integration suite against the real binary, and
# the web app's unit tests and its end-to-end tests in Debian's chromium.
# Usage: scripts/test.sh [preset]   (dev by default; asan for the sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
bash scripts/setup.sh --test
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
bash scripts/build_web.sh
ctest --preset "$preset"
