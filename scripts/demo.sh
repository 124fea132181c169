#!/usr/bin/env bash
# Set-up, build, and the demo: the seed's worked example ("Q3新品上市营销方案执行",
# examples/q3-launch/) applied to a fresh store by the collabflow CLI — from
# the request through negotiation, the plan, tracking (a blocker, a plan
# revision, an escalated resource request, missed reports), a failed review
# and rework, to acceptance and the archive — then the process record table
# and the schedule printed, and the HTML report and the archive written.
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
out="$PWD/build/demo"
echo
echo "== process record table (协作流程记录表)"
cli record "$store" REQ-Q3-LAUNCH
echo
echo "== plan and schedule, from actual dates (协作任务拆分清单)"
cli schedule "$store" REQ-Q3-LAUNCH
echo
cli report "$store" REQ-Q3-LAUNCH --now 2026-09-21T10:00 --out "$out/q3-launch-report.html"
cli report "$store" REQ-Q3-LAUNCH --now 2026-09-21T10:00 --lang en --out "$out/q3-launch-report.en.html"
cli archive "$store" REQ-Q3-LAUNCH "$out/q3-launch.archive"
cli verify "$store"
echo
echo "Open the report: $out/q3-launch-report.html (English: q3-launch-report.en.html)"
echo "The store is $store; explore it with:"
echo "  PYTHONPATH=bindings/python COLLABFLOW_LIBRARY=$COLLABFLOW_LIBRARY $python -m collabflow --help"
