#!/usr/bin/env bash
# Refreshes the committed ABI baseline (capi/abi/libcollabflow.abi) from a
# build made with CI's flags (the `default` preset: RelWithDebInfo, so the
# DWARF abidw reads is there). Use it only as docs/abi.md describes: after
# adding functions (at release), or together with an ABI version bump.
#
#   scripts/update_abi_baseline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh abi
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs" --target collabflow
# shellcheck source=../capi/abi/abi_common.sh
source capi/abi/abi_common.sh
abi_dump build/default/capi/libcollabflow.so capi build/default/capi capi/abi/libcollabflow.abi
echo "update_abi_baseline: wrote capi/abi/libcollabflow.abi" \
  "($(grep -c '<elf-symbol name=.cflow_' capi/abi/libcollabflow.abi) exported functions," \
  "soname $(sed -n 's/.*soname=.\([^"'"'"']*\).*/\1/p' capi/abi/libcollabflow.abi | head -1))"
git --no-pager diff --stat -- capi/abi/libcollabflow.abi || true
