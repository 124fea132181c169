#!/usr/bin/env bash
# Set-up, build and every test: C++ (GoogleTest), the C ABI (as C99 and C11),
# the ABI guard (abidiff against capi/abi/), the example C host, the
# installed-tree consumer, the Python package (pytest), and the format check.
# With the default preset (what CI runs) it then also runs the C ABI tests and
# the example host under ASan+UBSan, and a short libFuzzer run over the C ABI.
#
#   scripts/test.sh [preset]     preset: default (RelWithDebInfo, -Werror), debug, asan, tsan, release
#
# Environment: COLLABFLOW_FUZZ_SECONDS (default 30; 0 skips the fuzz run),
# COLLABFLOW_SKIP_SANITIZED=1 skips the ASan+UBSan C ABI run.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
scripts/setup.sh abi
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"

if [[ "$preset" == default ]]; then
  if [[ "${COLLABFLOW_SKIP_SANITIZED:-0}" != 1 ]]; then
    # Only the C ABI's own test programs: the rest of the suite runs above.
    capi_targets=(c_host)
    for suite in capi capi_engine capi_records capi_typed capi_calendar capi_scheduler \
                 capi_progress; do
      capi_targets+=("${suite}_c99_test" "${suite}_c11_test")
    done
    cmake --preset asan
    cmake --build --preset asan -j "$jobs" --target "${capi_targets[@]}"
    ctest --preset asan -j "$jobs" \
      -R '^(capi_(engine_|records_|typed_|calendar_|scheduler_|progress_)?c(99|11)_test|c_host_example.*)$'
  fi
  fuzz_seconds="${COLLABFLOW_FUZZ_SECONDS:-30}"
  if ((fuzz_seconds > 0)); then
    COLLABFLOW_FUZZ_FRESH=1 scripts/fuzz.sh "$fuzz_seconds"
  fi
fi
