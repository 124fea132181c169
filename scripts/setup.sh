#!/usr/bin/env bash
# Installs the Debian packages collabflow needs, idempotently.
#
#   scripts/setup.sh            build + test dependencies
#   scripts/setup.sh bench      ... plus the benchmark peers (Boost Graph, networkx, SQLite)
#   scripts/setup.sh abi        ... plus abigail-tools (ABI baseline checks)
#   scripts/setup.sh browser    ... plus headless Chromium and CJK fonts (HTML report check)
#
# Runs `apt-get update` only when something is missing, as root or through sudo,
# and says what it installs. Safe to run any number of times.
set -euo pipefail

core=(
  cmake g++ make pkg-config git tzdata
  libabsl-dev libprotobuf-dev protobuf-compiler libssl-dev
  libpq-dev postgresql-15
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-pytest python3-protobuf
  python3-pip python3-setuptools python3-wheel
  clang-format
)
declare -A groups=(
  [bench]="libboost-graph-dev python3-networkx libsqlite3-dev"
  [abi]="abigail-tools"
  [browser]="chromium fonts-noto-cjk"
)

wanted=("${core[@]}")
for g in "$@"; do
  [[ -n "${groups[$g]:-}" ]] || { echo "setup.sh: unknown group '$g' (known: ${!groups[*]})" >&2; exit 2; }
  read -r -a extra <<<"${groups[$g]}"
  wanted+=("${extra[@]}")
done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup.sh: all ${#wanted[@]} packages present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
