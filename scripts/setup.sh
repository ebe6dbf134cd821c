#!/usr/bin/env bash
# Installs what Kinora needs on Debian 12, idempotently and quietly when nothing is missing.
# Usage: scripts/setup.sh [--test]   (--test also installs what the test suite and benchmarks use)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev
  libsqlite3-dev libpq-dev libssl-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libsodium-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libmaxminddb-dev uap-core libyaml-cpp-dev
)
test_pkgs=(
  ffmpeg prometheus wrk python3 python3-pytest python3-yaml curl procps chromium postgresql
  yamllint shellcheck clang-format
  clang-14 libclang-rt-14-dev  # the fuzz preset: clang++-14 and libFuzzer (libclang_rt.fuzzer)
)
# The deployment checks also render the Kubernetes overlays with the machine's kubectl
# (>= 1.27, kustomize v5): Debian 12's own kubernetes-client (1.20) is too old for them.
# The web app is built with Node.js and npm; use the machine's own if it has them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  build_pkgs+=(nodejs npm)
fi

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq)
[[ $(id -u) -ne 0 ]] && apt=(sudo "${apt[@]}")
"${apt[@]}" update >/dev/null
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
