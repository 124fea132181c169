#!/usr/bin/env bash
# Set-up, build and every test: C++ (GoogleTest), the C ABI (as C99 and C11),
# the installed-tree consumer, the Python package (pytest), and the format check.
#   scripts/test.sh [preset]     preset: default (RelWithDebInfo, -Werror), debug, asan, tsan, release
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
scripts/setup.sh
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
