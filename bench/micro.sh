#!/usr/bin/env bash
# Micro-benchmarks (Google Benchmark) of library building blocks, each printed beside its
# baseline: bench/micro/*_bench.cc. Extra arguments go to every binary (--benchmark_filter=...).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cmake --build --preset release --target kinora_rate_limiter_bench kinora_useragent_bench >/dev/null
"$ROOT/build/release/bench/micro/kinora_rate_limiter_bench" "$@"
"$ROOT/build/release/bench/micro/kinora_useragent_bench" "$@"
