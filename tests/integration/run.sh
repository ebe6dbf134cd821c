#!/usr/bin/env bash
# Runs Kinora's black-box integration tests against a built binary.
# Usage: tests/integration/run.sh [pytest args...]
#   KINORA_BIN  the kinora binary (default: build/dev/apps/kinora/kinora)
# Needs Debian's python3-pytest, ffmpeg and prometheus (promtool): scripts/setup.sh --test
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export KINORA_BIN="${KINORA_BIN:-$repo/build/dev/apps/kinora/kinora}"
exec /usr/bin/python3 -m pytest -q -x "$here" "$@"
