#!/usr/bin/env bash
# Builds the web app (web/ → web/dist) with the locked npm dependencies. Installs them only when
# package-lock.json changed since the last install, so a warm tree rebuilds in seconds.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if ! out=$(npm run --silent build 2>&1); then
  echo "$out" >&2
  exit 1
fi
echo "web: built $(find dist -type f | wc -l) files into web/dist" >&2
