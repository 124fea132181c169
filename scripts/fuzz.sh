#!/usr/bin/env bash
# Fuzzes the C ABI (tests/fuzz/capi_fuzz.cc) with libFuzzer under ASan+UBSan.
#
#   scripts/fuzz.sh [seconds]     default 60; CI runs a short smoke (scripts/test.sh)
#
# Builds build/fuzz with clang (the library instrumented for coverage), then
# runs from the committed seed corpus (tests/fuzz/corpus/, made by
# tests/fuzz/make_corpus.py). New interesting inputs go to build/fuzz/corpus
# (not committed); a crash is written to build/fuzz/artifacts/ and fails the
# run. Reproduce one with: build/fuzz/tests/fuzz/capi_fuzz build/fuzz/artifacts/<file>
# Promote an input worth keeping by copying it into tests/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds]" >&2; exit 2; }
build=build/fuzz
jobs="$(nproc 2>/dev/null || echo 2)"
cc="$(command -v clang || command -v clang-14 || true)"
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[[ -n "$cc" && -n "$cxx" ]] || { echo "fuzz.sh: clang is required" >&2; exit 1; }

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCOLLABFLOW_FUZZ=ON -DCOLLABFLOW_SANITIZE=address,undefined \
  -DCOLLABFLOW_BUILD_TESTS=OFF -DCOLLABFLOW_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target capi_fuzz

mkdir -p "$build/corpus" "$build/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
echo "fuzz.sh: fuzzing the C ABI for ${seconds}s"
"$build/tests/fuzz/capi_fuzz" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -max_len=8192 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
  "$build/corpus" tests/fuzz/corpus
