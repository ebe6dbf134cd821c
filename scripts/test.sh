#!/usr/bin/env bash
# Installs what is missing (including test tools), builds Kinora with warnings as errors, and
# runs every test: unit tests per library, the integration suite against the real binary, and
# the web app's unit tests and its end-to-end tests in Debian's chromium, and the S3/SQS/
# PostgreSQL backends against real peers on loopback (tests/peers), and the deployment checks
# (deploy/tests: yamllint, shellcheck, Dockerfiles, compose, kustomize overlays, Terraform).
# Then the unit tests again under ASan + UBSan (the asan preset), and every libFuzzer harness
# (fuzz/, the fuzz preset) for a bounded time from its seed corpus.
# Usage: scripts/test.sh [preset]   (dev by default; asan runs every test under the sanitizers)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
bash scripts/setup.sh --test
bash scripts/build.sh "$preset"
bash scripts/build_web.sh
# The S3 and SQS peers the scale-out backends are tested against (npm s3rver, fauxqs).
# And the HCL parser the Terraform checks use (deploy/tests).
for dir in tests/peers deploy/tests; do
  if [[ ! -f $dir/node_modules/.package-lock.json ||
        $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
done
ctest --preset "$preset"
if [[ $preset != asan ]]; then
  bash scripts/build.sh asan
  ctest --preset asan -L unit
fi
bash scripts/build.sh fuzz
ctest --preset fuzz
