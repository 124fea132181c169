#!/usr/bin/env bash
# The ABI guard: compares a freshly built libcollabflow.so with the committed
# baseline (capi/abi/libcollabflow.abi) using abidiff (package abigail-tools).
#
#   check_abi.sh LIBRARY BASELINE PUBLIC_HEADERS_DIR GENERATED_HEADERS_DIR
#
# Passes when the ABI is unchanged or only grew (added cflow_* functions).
# Fails on anything else: a removed or renamed function, a changed parameter
# or return type, a changed soname, ... (see docs/abi.md for what to do when
# a change is intended). Registered as the ctest `abi_compatible` when abidiff
# is found; scripts/test.sh installs it (scripts/setup.sh abi).
set -uo pipefail
[[ $# -eq 4 ]] || { echo "usage: $0 LIBRARY BASELINE PUBLIC_HEADERS_DIR GENERATED_HEADERS_DIR" >&2; exit 2; }
library="$1" baseline="$2" public_headers="$3" generated_headers="$4"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=abi_common.sh
source "$here/abi_common.sh"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
current="$scratch/current.abi"
if ! abi_dump "$library" "$public_headers" "$generated_headers" "$current"; then
  echo "check_abi: abidw could not read $library" >&2
  exit 1
fi
exported="$(grep -c '<elf-symbol name=.cflow_' "$current" || true)"
echo "check_abi: $library exports $exported cflow_* symbols; comparing with $baseline"

# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible change. Added functions alone are a (compatible) change,
# so the verdict comes from a second run that leaves added symbols out.
abidiff --no-show-locs "$baseline" "$current" >"$scratch/full.txt" 2>&1
full=$?
abidiff --no-show-locs --no-added-syms "$baseline" "$current" >"$scratch/verdict.txt" 2>&1
verdict=$?
cat "$scratch/full.txt"
if ((verdict == 0)); then
  if ((full != 0)); then
    echo "check_abi: OK, compatible: functions were only added (refresh the baseline at release)"
  else
    echo "check_abi: OK, the ABI is unchanged"
  fi
  exit 0
fi
echo "check_abi: FAILED (abidiff exit status $verdict: $( ((verdict & 8)) && echo incompatible change; ((verdict & 4)) && echo ABI change; ((verdict & 3)) && echo error))" >&2
echo "check_abi: the ABI of $library is not a superset of the baseline." >&2
echo "check_abi: if that is intended, follow docs/abi.md (new name, or ABI version bump + scripts/update_abi_baseline.sh)" >&2
exit 1
