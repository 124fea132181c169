#!/usr/bin/env bash
# Set-up (including the benchmark peers: Boost Graph, networkx, SQLite), a
# Release build, and every benchmark suite. Results as JSON go to
# build/release/bench-results/; benchmarks/README.md records them.
#   scripts/bench.sh [benchmark-name-regex]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh bench
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset release
cmake --build --preset release -j "$jobs"
out=build/release/bench-results
mkdir -p "$out"
filter="${1:-.}"
for bin in build/release/benchmarks/*_benchmark; do
  name="$(basename "$bin")"
  [[ "$name" =~ $filter ]] || continue
  echo "== $name"
  "$bin" --benchmark_out="$out/$name.json" --benchmark_out_format=json
done
