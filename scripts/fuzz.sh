#!/usr/bin/env bash
# Fuzzes the C ABI with libFuzzer under ASan+UBSan, with two harnesses:
#   capi_fuzz        commands, requests and calendars (tests/fuzz/capi_fuzz.cc)
#   task_graph_fuzz  the scheduler's readers: edge list, JSON plan, saved
#                    graph bytes (tests/fuzz/task_graph_fuzz.cc)
#
#   scripts/fuzz.sh [seconds [harness]]   default 60, split evenly between the
#                                         harnesses; with a harness, it alone
#                                         for all the seconds. CI runs a short
#                                         smoke (scripts/test.sh)
#
# Builds build/fuzz with clang (the library instrumented for coverage), then
# runs each harness from its committed seed corpus (tests/fuzz/corpus/ and
# tests/fuzz/task_graph_corpus/, made by tests/fuzz/make_corpus.py). New
# interesting inputs go to build/fuzz/corpus/<harness> (not committed); a
# crash is written to build/fuzz/artifacts/<harness>/ and fails the run.
# Reproduce one with: build/fuzz/tests/fuzz/<harness> build/fuzz/artifacts/<harness>/<file>
# Promote an input worth keeping by copying it into the harness's seed corpus.
# COLLABFLOW_FUZZ_FRESH=1 starts from the seeds alone (new inputs go to a
# scratch directory): what CI's short run does, so its time stays fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
usage="usage: scripts/fuzz.sh [seconds [capi_fuzz|task_graph_fuzz]]"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "$usage" >&2; exit 2; }
declare -A seeds=([capi_fuzz]=tests/fuzz/corpus [task_graph_fuzz]=tests/fuzz/task_graph_corpus)
if [[ $# -ge 2 ]]; then
  [[ -n "${seeds[$2]:-}" ]] || { echo "$usage" >&2; exit 2; }
  harnesses=("$2")
else
  harnesses=(capi_fuzz task_graph_fuzz)
fi
share=$((seconds / ${#harnesses[@]}))
((share > 0)) || share=1
build=build/fuzz
jobs="$(nproc 2>/dev/null || echo 2)"
cc="$(command -v clang || command -v clang-14 || true)"
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[[ -n "$cc" && -n "$cxx" ]] || { echo "fuzz.sh: clang is required" >&2; exit 1; }

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCOLLABFLOW_FUZZ=ON -DCOLLABFLOW_SANITIZE=address,undefined \
  -DCOLLABFLOW_BUILD_TESTS=OFF -DCOLLABFLOW_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target "${harnesses[@]}"

scratch=""
if [[ "${COLLABFLOW_FUZZ_FRESH:-0}" == 1 ]]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for harness in "${harnesses[@]}"; do
  work_corpus="${scratch:-$build/corpus}/$harness"
  artifacts="$build/artifacts/$harness"
  mkdir -p "$work_corpus" "$artifacts"
  echo "fuzz.sh: fuzzing $harness for ${share}s"
  # libprotobuf logs every string field that is not UTF-8 before the parse
  # fails (the library then answers CFLOW_INVALID_ARGUMENT); those lines are
  # expected here by the thousand, so they are filtered out of the log.
  "$build/tests/fuzz/$harness" -max_total_time="$share" -timeout=20 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$work_corpus" "${seeds[$harness]}" \
    2> >(grep --line-buffered -v 'libprotobuf ERROR .*contains invalid UTF-8 data' >&2)
done
