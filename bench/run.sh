#!/usr/bin/env bash
# Runs every benchmark against a release build and prints each result beside its baseline.
#   bash bench/run.sh            # all
#   bash bench/run.sh ingest     # or: api, process, split, micro, auth, uploads
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --test
cmake --preset release >/dev/null
cmake --build --preset release --target kinora kinora_seed_catalog >/dev/null
for b in "${@:-ingest api process split micro auth uploads}"; do
  for name in $b; do bash "bench/$name.sh"; done
done
