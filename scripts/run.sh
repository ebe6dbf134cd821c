#!/usr/bin/env bash
# Installs what is missing, builds Kinora (release), and starts `kinora serve` with the
# embedded defaults and the web app at /. Extra arguments go to `kinora serve`
# (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
bash scripts/build_web.sh
# The binary finds web/dist of this tree by itself (KINORA_WEB_DIR overrides).
exec build/release/apps/kinora/kinora serve "$@"
