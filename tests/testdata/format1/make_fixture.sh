#!/usr/bin/env bash
# How tests/testdata/format1/ was made, kept for the record: a store and an
# archive bundle written by collabflow 0.2.0 (commit 1ef1a15, journal format
# 1: one stream, one global hash chain), and the views a host read from them
# then (views/*.json). The conversion test opens the store with today's
# library and requires the same views. Run it against a 0.2.0 build only:
#
#   COLLABFLOW_LIBRARY=<0.2.0>/libcollabflow.so PYTHONPATH=<0.2.0>/bindings/python \
#     tests/testdata/format1/make_fixture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
py=/usr/bin/python3
cli() { "$py" -m collabflow "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scenario="$root/examples/q3-launch/scenario.jsonl"
# Four requests from the seed scenario, stopped at different steps:
# A runs to the archive, B stops in tracking, C in negotiation; D is filed
# and cancelled. Between them the host acknowledges part of the outbox.
grep -v '^#' "$scenario" | grep -v '^$' > "$work/all.jsonl"
sed 's/REQ-Q3-LAUNCH/REQ-A/g' "$work/all.jsonl" > "$work/a.jsonl"
sed 's/REQ-Q3-LAUNCH/REQ-B/g' "$work/all.jsonl" | sed -n 1,26p | grep -v '"tick"' > "$work/b.jsonl"
sed 's/REQ-Q3-LAUNCH/REQ-C/g' "$work/all.jsonl" | sed -n 1,4p > "$work/c.jsonl"
sed 's/REQ-Q3-LAUNCH/REQ-D/g' "$work/all.jsonl" | sed -n 1,2p > "$work/d.jsonl"
echo '{"actor_id": "p-zhang", "time": "2026-09-01T10:00", "request_id": "REQ-D", "cancel": {"reason": "merged into REQ-A"}}' >> "$work/d.jsonl"
echo '{"acknowledge": 7}' > "$work/ack.jsonl"
echo '{"tick": "2026-09-15T09:00"}' > "$work/tick.jsonl"
rm -rf "$here/store" "$here/views" "$here/a.archive"
mkdir -p "$here/views"
cli init "$here/store" --directory "$root/examples/q3-launch/directory.json" >/dev/null
for f in c d b ack a tick; do cli apply "$here/store" "$work/$f.jsonl" --quiet >/dev/null; done
rm -f "$here/store/LOCK"
for r in REQ-A REQ-B REQ-C REQ-D; do
  cli status "$here/store" "$r" --json > "$here/views/$r.status.json"
  cli record "$here/store" "$r" --json > "$here/views/$r.record.json"
  cli schedule "$here/store" "$r" --json > "$here/views/$r.schedule.json" 2>/dev/null || rm -f "$here/views/$r.schedule.json"
done
for p in $("$py" -c "import json,sys; print(' '.join(p['id'] for p in json.load(open(sys.argv[1]))['people']))" "$root/examples/q3-launch/directory.json"); do
  cli todo "$here/store" "$p" --at 2026-09-16T09:00 --json > "$here/views/todo.$p.json"
done
cli outbox "$here/store" --json > "$here/views/outbox.json"
cli archive "$here/store" REQ-A "$here/a.archive" >/dev/null
cli verify "$here/store" --json > "$here/views/verify.json"
rm -f "$here/store/LOCK"
