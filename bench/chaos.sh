#!/usr/bin/env bash
# The long chaos run: test_chaos.py's workload (uploads, processing, views, likes, deletes)
# against `kinora serve`, killed with SIGKILL at random points for CHAOS_ROUNDS rounds (default
# 30), then the invariants checker (tests/integration/harness/invariants.py); and the split-mode
# run with a role killed. CHAOS_SEED replays a run. Prints the rounds, the seed and the time.
# Usage: bash bench/chaos.sh [pytest -k expression]
set -euo pipefail
cd "$(dirname "$0")/.."
export KINORA_BIN="${KINORA:-$PWD/build/release/apps/kinora/kinora}"
[[ -x "$KINORA_BIN" ]] || KINORA_BIN="$PWD/build/dev/apps/kinora/kinora"
export CHAOS_ROUNDS="${CHAOS_ROUNDS:-30}"
export CHAOS_SEED="${CHAOS_SEED:-$RANDOM$RANDOM}"
start=$SECONDS
echo "chaos: $CHAOS_ROUNDS rounds, seed $CHAOS_SEED, binary $KINORA_BIN"
(cd tests/integration && /usr/bin/python3 -m pytest -q -x -s test_chaos.py -k "${1:-kill_9 or split}")
echo "chaos: passed in $((SECONDS - start)) s (baseline: the short run in the test suite uses 4 rounds)"
