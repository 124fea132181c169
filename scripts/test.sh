#!/usr/bin/env bash
# Set-up, build and every test: C++ (GoogleTest), the C ABI (as C99 and C11),
# the ABI guard (abidiff against capi/abi/), the example C host, the
# installed-tree consumer, the Python package (pytest), and the format check.
# With the default preset (what CI runs) it then also runs the C++ and C ABI
# suites and the example host under ASan+UBSan, and a short libFuzzer run over
# the C ABI (both harnesses, the seconds split between them).
#
#   scripts/test.sh [preset]     preset: default (RelWithDebInfo, -Werror), debug, asan, tsan, release
#
# Environment: COLLABFLOW_FUZZ_SECONDS (default 30; 0 skips the fuzz run),
# COLLABFLOW_SKIP_SANITIZED=1 skips the ASan+UBSan run.
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
    # Every C++ and C suite (the asan preset builds no benchmarks). Not the
    # Python package (it loads the library into an uninstrumented
    # interpreter), nor the packaging, installed-tree, ABI and format checks,
    # which do not depend on the build type and ran above.
    cmake --preset asan
    cmake --build --preset asan -j "$jobs"
    ctest --preset asan -j "$jobs" \
      -E 'python|packaging|installed_tree|abi_compatible|format_check|benchmark_smoke'
  fi
  fuzz_seconds="${COLLABFLOW_FUZZ_SECONDS:-30}"
  if ((fuzz_seconds > 0)); then
    COLLABFLOW_FUZZ_FRESH=1 scripts/fuzz.sh "$fuzz_seconds"
  fi
fi
