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
# COLLABFLOW_FUZZ_FRESH=1 starts from the seeds alone (new inputs go to a
# scratch directory): what CI's short run does, so its time stays fixed.
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

work_corpus="$build/corpus"
if [[ "${COLLABFLOW_FUZZ_FRESH:-0}" == 1 ]]; then
  work_corpus="$(mktemp -d)"
  trap 'rm -rf "$work_corpus"' EXIT
fi
mkdir -p "$work_corpus" "$build/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
echo "fuzz.sh: fuzzing the C ABI for ${seconds}s"
# libprotobuf logs every string field that is not UTF-8 before the parse
# fails (the library then answers CFLOW_INVALID_ARGUMENT); those lines are
# expected here by the thousand, so they are filtered out of the log.
"$build/tests/fuzz/capi_fuzz" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -max_len=8192 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
  "$work_corpus" tests/fuzz/corpus \
  2> >(grep --line-buffered -v 'libprotobuf ERROR .*contains invalid UTF-8 data' >&2)
