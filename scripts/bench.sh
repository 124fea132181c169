#!/usr/bin/env bash
# Set-up (including the benchmark peers: Boost Graph, networkx, SQLite), a
# Release build, and one default run of every benchmark suite. Results as
# JSON go to build/release/bench-results/. The figures in
# benchmarks/README.md come from the per-suite commands it gives (with
# repetitions: one default run is noisy on a small VM).
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
# networkx is a Python peer: it times itself and our scheduler_benchmark
# (BM_FileGraph_BuildSortCpm) on the same 100k-task graph in one run.
if [[ "networkx_benchmark" =~ $filter ]] && [[ -x build/release/benchmarks/scheduler_benchmark ]]; then
  echo "== networkx_benchmark"
  /usr/bin/python3 benchmarks/graph/networkx_benchmark.py \
    --binary build/release/benchmarks/scheduler_benchmark --out "$out/networkx_benchmark.json"
fi
