#!/usr/bin/env bash
# Set-up, build, and the demo: the seed's worked example ("Q3新品上市营销方案执行",
# examples/q3-launch/) applied to a fresh store by the collabflow CLI, then the
# request's status and its schedule (critical path marked) printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs" --target collabflow >/dev/null
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3
export COLLABFLOW_LIBRARY="$PWD/build/default/capi/libcollabflow.so"
export PYTHONPATH="$PWD/bindings/python"
store="$PWD/build/demo/q3-launch.store"
rm -rf "$store"
mkdir -p "$(dirname "$store")"
cli() { "$python" -m collabflow "$@"; }
echo "== collabflow $("$python" -c 'import collabflow; print(collabflow.version())'): the seed example, step by step"
cli init "$store" --directory examples/q3-launch/directory.json
cli apply "$store" examples/q3-launch/scenario.jsonl
echo
echo "== status"
cli status "$store" REQ-Q3-LAUNCH
echo
echo "== plan and schedule (协作任务拆分清单)"
cli schedule "$store" REQ-Q3-LAUNCH
echo
echo "The store is in $store; try: PYTHONPATH=bindings/python COLLABFLOW_LIBRARY=$COLLABFLOW_LIBRARY $python -m collabflow --help"
