#!/usr/bin/env bash
# Set-up, build, and the demo: the seed example's request
# ("Q3新品上市营销方案执行") goes from Python through the C ABI into the C++
# engine and back, and is printed as read back through the C ABI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs" --target collabflow >/dev/null
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3
COLLABFLOW_LIBRARY="$PWD/build/default/capi/libcollabflow.so" PYTHONPATH="$PWD/bindings/python" \
  exec "$python" examples/q3_launch_request.py
